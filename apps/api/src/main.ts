// Bootstrap only. reflect-metadata must be evaluated before any decorated class is defined.
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { AppModule } from './app.module.js';
import { configureApp, nestAppOptions } from './common/http/configure-app.js';
import { createAppLogger } from './common/logging/app-logger.js';
import { loadEnv } from './config/env.js';

const env = loadEnv();
const app = await NestFactory.create<NestExpressApplication>(
  AppModule.forRoot(env),
  nestAppOptions(createAppLogger(env)),
);
configureApp(app, env);
app.enableShutdownHooks();
await app.listen(env.PORT);
