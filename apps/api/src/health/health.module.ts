import { Global, Module } from '@nestjs/common';

import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { ReadinessRegistry } from './readiness.js';

// Global so that any module (the database one first) can inject ReadinessRegistry and register
// its check without importing HealthModule.
@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthService, ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class HealthModule {}
