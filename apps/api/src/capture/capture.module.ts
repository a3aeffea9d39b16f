import { type DynamicModule, Module } from '@nestjs/common';

import { EventsModule } from '../events/events.module.js';
import { MasterDataModule } from '../masterdata/masterdata.module.js';
import { CAPTURE_LIMITS, type CaptureLimits } from './capture-limits.js';
import { CaptureController } from './capture.controller.js';
import { CaptureJobsRepository } from './capture-jobs.repository.js';
import { CaptureService } from './capture.service.js';

@Module({})
export class CaptureModule {
  static forRoot(limits: CaptureLimits): DynamicModule {
    return {
      module: CaptureModule,
      imports: [EventsModule, MasterDataModule],
      controllers: [CaptureController],
      providers: [
        { provide: CAPTURE_LIMITS, useValue: limits },
        CaptureService,
        CaptureJobsRepository,
      ],
    };
  }
}
