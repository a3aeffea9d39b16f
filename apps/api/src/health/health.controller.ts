import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';

import type { Liveness } from './health.service.js';
import { HealthService } from './health.service.js';
import type { Readiness } from './readiness.js';
import { Public } from '../auth/public.decorator.js';

@ApiTags('Operations')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: 200 while the process serves requests' })
  @ApiOkResponse({ description: '`{ status: "ok", version }`' })
  getLiveness(): Liveness {
    return this.health.getLiveness();
  }

  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness: 200 when every registered check passes' })
  @ApiOkResponse({
    description: '`{ status: "ready", checks: [{ name, status: "up", durationMs }] }`',
  })
  @ApiServiceUnavailableResponse({ description: 'A check failed (problem details name it)' })
  getReadiness(): Promise<Readiness> {
    return this.health.getReadiness();
  }
}
