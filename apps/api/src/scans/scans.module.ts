import { Module } from '@nestjs/common';

import { ScansController } from './scans.controller.js';
import { ScansRepository } from './scans.repository.js';
import { ScansService } from './scans.service.js';

/** Scan telemetry (POST /scans, GET /scans/{identifier}). Needs DatabaseModule and ENV. */
@Module({
  controllers: [ScansController],
  providers: [ScansRepository, ScansService],
})
export class ScansModule {}
