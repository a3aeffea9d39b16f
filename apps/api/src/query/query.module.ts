import { Module } from '@nestjs/common';

import {
  BrowseController,
  QueryController,
  VALUE_RESOURCE_CONTROLLERS,
} from './query.controller.js';
import { QueryRepository } from './query.repository.js';
import { QueryService } from './query.service.js';

/** The EPCIS 2.0 query interface: GET /events, the browse resources, and QueryService for others. */
@Module({
  controllers: [QueryController, BrowseController, ...VALUE_RESOURCE_CONTROLLERS],
  providers: [QueryRepository, QueryService],
  exports: [QueryService],
})
export class QueryModule {}
