import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import type { Env } from './env.js';
import { ENV } from './env.js';

// Makes the Env parsed by main.ts injectable everywhere as `@Inject(ENV)`.
@Module({})
export class ConfigModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: ENV, useValue: env }],
      exports: [ENV],
    };
  }
}
