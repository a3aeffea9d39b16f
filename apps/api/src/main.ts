// Bootstrap only. reflect-metadata must be evaluated before any decorated class is defined.
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module.js';
import { loadEnv } from './config/env.js';

const env = loadEnv();
const app = await NestFactory.create(AppModule.forRoot(env));
app.enableShutdownHooks();
await app.listen(env.PORT);
