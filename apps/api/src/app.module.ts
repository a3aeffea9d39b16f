import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import { ErrorsModule } from './common/errors/errors.module.js';
import { ConfigModule } from './config/config.module.js';
import type { Env } from './config/env.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { HealthModule } from './health/health.module.js';

@Module({})
export class AppModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(env), ErrorsModule, HealthModule, DiscoveryModule],
    };
  }
}
