import { Global, Module } from '@nestjs/common';

import { EventsModule } from '../events/events.module.js';
import { AdminRecordsRepository } from './admin-records.repository.js';
import { AdminRecordsService } from './admin-records.service.js';

/**
 * The record of administrative actions. Global, so that any module (the events module too, whose
 * EventsService this one uses) can inject AdminRecordsService without importing this module,
 * which would make the two import each other.
 */
@Global()
@Module({
  imports: [EventsModule],
  providers: [AdminRecordsRepository, AdminRecordsService],
  exports: [AdminRecordsService],
})
export class AdminRecordsModule {}
