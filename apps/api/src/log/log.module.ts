import { Module } from '@nestjs/common';

import { EventsModule } from '../events/events.module.js';
import { LogController } from './log.controller.js';

@Module({ imports: [EventsModule], controllers: [LogController] })
export class LogModule {}
