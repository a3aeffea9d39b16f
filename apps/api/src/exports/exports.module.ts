import { Module } from '@nestjs/common';

import { EventsModule } from '../events/events.module.js';
import { MasterDataRepository } from '../masterdata/masterdata.repository.js';
import { MasterDataService } from '../masterdata/masterdata.service.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { TraceService } from '../trace/trace.service.js';
import { ExportsController } from './exports.controller.js';
import { ExportsRepository } from './exports.repository.js';
import { ExportsService } from './exports.service.js';

/**
 * GET /exports/fsma204. TraceModule and MasterDataModule export nothing, so this module provides
 * their (stateless) services itself instead of changing those modules.
 */
@Module({
  imports: [EventsModule],
  controllers: [ExportsController],
  providers: [
    ExportsRepository,
    ExportsService,
    TraceRepository,
    TraceService,
    MasterDataRepository,
    MasterDataService,
  ],
})
export class ExportsModule {}
