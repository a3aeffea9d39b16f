import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { AdminModule } from './auth/admin.module.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { CaptureModule } from './capture/capture.module.js';
import { ErrorsModule } from './common/errors/errors.module.js';
import { ConfigModule } from './config/config.module.js';
import type { Env } from './config/env.js';
import { DatabaseModule } from './database/database.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { EventsModule } from './events/events.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { HealthModule } from './health/health.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { LogModule } from './log/log.module.js';
import { MasterDataModule } from './masterdata/masterdata.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { QueryModule } from './query/query.module.js';
import { RecallsModule } from './recalls/recalls.module.js';
import { ScansModule } from './scans/scans.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { TraceModule } from './trace/trace.module.js';
import type { Runtime } from './startup/runtime.js';

@Module({})
export class AppModule {
  /** The platform modules only (errors, health, discovery): what runs without a database. */
  static forRoot(
    env: Env,
    runtime?: Pick<Runtime, 'databaseUrl' | 'ledger' | 'captureLimits' | 'keks'> &
      Partial<Pick<Runtime, 'embedded'>>,
  ): DynamicModule {
    const platform = [ConfigModule.forRoot(env), ErrorsModule, HealthModule, DiscoveryModule];
    if (!runtime) return { module: AppModule, imports: platform };
    return {
      module: AppModule,
      imports: [
        ...platform,
        // The embedded PGlite has one backend: pglite-socket's multiplexer interleaves the
        // extended protocol of concurrent connections ("unnamed prepared statement does not
        // exist"), so the app uses one connection and its queries queue in the pool.
        DatabaseModule.forRoot(
          runtime.databaseUrl,
          async () => runtime.embedded?.stop(),
          runtime.embedded ? 1 : undefined,
        ),
        AuthModule,
        LedgerModule.forRoot(runtime.ledger),
        PrivacyModule.forRoot(runtime.keks),
        EventsModule,
        AdminModule,
        QueryModule,
        CaptureModule.forRoot(runtime.captureLimits),
        LogModule,
        MasterDataModule,
        ScansModule,
        SubscriptionsModule,
        TraceModule,
        RecallsModule,
        ExportsModule,
      ],
      // Every route needs an API key unless it is @Public() (reads of public log data, health).
      providers: [{ provide: APP_GUARD, useExisting: ApiKeyGuard }],
    };
  }
}
