import { Controller, Get } from '@nestjs/common';

import { APP_VERSION } from '../config/app-version.js';

export type Health = { status: 'ok'; version: string };

@Controller('health')
export class HealthController {
  @Get()
  getHealth(): Health {
    return { status: 'ok', version: APP_VERSION };
  }
}
