import { Module } from '@nestjs/common';

import { ENV } from '../config/env.js';
import { QueryModule } from '../query/query.module.js';
import { DeliveryWorker } from './delivery.worker.js';
import { NamedQueriesController } from './named-queries.controller.js';
import { NamedQueriesService } from './named-queries.service.js';
import { SUBSCRIPTIONS_CONFIG, subscriptionsConfig } from './subscriptions.config.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

/**
 * EPCIS 2.0 named queries (/queries) and webhook subscriptions (/queries/{queryName}/
 * subscriptions), and the worker that delivers them (docs/specs/subscriptions.md). Needs the
 * global DatabaseModule and ConfigModule; runs its queries through QueryModule's QueryService.
 */
@Module({
  imports: [QueryModule],
  controllers: [NamedQueriesController, SubscriptionsController],
  providers: [
    SubscriptionsRepository,
    NamedQueriesService,
    SubscriptionsService,
    DeliveryWorker,
    { provide: SUBSCRIPTIONS_CONFIG, useFactory: subscriptionsConfig, inject: [ENV] },
  ],
})
export class SubscriptionsModule {}
