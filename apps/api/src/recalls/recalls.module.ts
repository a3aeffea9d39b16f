import { Module } from '@nestjs/common';

import { EventsModule } from '../events/events.module.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { TraceService } from '../trace/trace.service.js';
import { RecallsController } from './recalls.controller.js';
import { RecallsRepository } from './recalls.repository.js';
import { RecallsService } from './recalls.service.js';

/**
 * POST/GET /recalls. TraceModule exports nothing, so this module provides its own TraceService
 * (stateless: the same walk over the same index) instead of changing that module.
 */
@Module({
  imports: [EventsModule],
  controllers: [RecallsController],
  providers: [RecallsRepository, RecallsService, TraceRepository, TraceService],
})
export class RecallsModule {}
