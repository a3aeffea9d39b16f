import { Module } from '@nestjs/common';

import { EventsModule } from '../events/events.module.js';
import { TraceController } from './trace.controller.js';
import { TraceRepository } from './trace.repository.js';
import { TraceService } from './trace.service.js';

@Module({
  imports: [EventsModule],
  controllers: [TraceController],
  providers: [TraceRepository, TraceService],
})
export class TraceModule {}
