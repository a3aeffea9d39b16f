import { Module } from '@nestjs/common';

import { CaptureValidator } from '../capture/validation/capture-validator.js';
import { RulesModule } from '../rules/rules.module.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';
import { RecordEventService } from './record-event.service.js';

@Module({
  imports: [RulesModule],
  controllers: [EventsController],
  providers: [EventsRepository, EventsService, RecordEventService, CaptureValidator],
  exports: [EventsService, CaptureValidator],
})
export class EventsModule {}
