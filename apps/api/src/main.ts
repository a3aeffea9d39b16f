// Bootstrap only. reflect-metadata must be evaluated before any decorated class is defined.
import 'reflect-metadata';

import type { AddressInfo } from 'node:net';

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import { configureApp, nestAppOptions } from './common/http/configure-app.js';
import { createAppLogger } from './common/logging/app-logger.js';
import { loadEnv } from './config/env.js';
import { loadOwnDemo } from './demo/in-process.js';
import { printBanner } from './startup/banner.js';
import {
  isWorker,
  printsBanner,
  runPrimary,
  workerCount,
  workersProblem,
} from './startup/cluster.js';
import { migrateDatabase, prepareRuntime } from './startup/runtime.js';
import { apiBaseUrl, publicBaseUrl, runtimeSettings } from './startup/settings.js';

const env = loadEnv();
const problem = workersProblem(env);
if (problem !== null) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}
const workers = workerCount(env);
if (workers > 1 && !isWorker()) {
  // The primary of API_WORKERS processes: migrates once, then only supervises (startup/cluster.ts).
  await migrateDatabase(env.DATABASE_URL!);
  process.stdout.write(`Starting ${workers} API processes (API_WORKERS) on port ${env.PORT}\n`);
  process.exit(await runPrimary(workers, (line) => process.stderr.write(`${line}\n`)));
}
const runtime = await prepareRuntime({ ...runtimeSettings(env), migrate: !isWorker() });
const app = await NestFactory.create<NestExpressApplication>(
  AppModule.forRoot(env, runtime),
  nestAppOptions(createAppLogger(env)),
);
configureApp(app, env);
app.enableShutdownHooks();
await app.listen(env.PORT);
// The port actually bound: PORT=0 asks the system for a free one (tests, benchmarks).
const { port } = app.getHttpServer().address() as AddressInfo;
const firstOrganization = runtime.embedded
  ? await app.get(AuthService).ensureFirstOrganization()
  : null;
// An empty embedded database on its first start: the demo, when asked (npm start asks).
const demo =
  firstOrganization !== null && env.TRACEROOT_DEMO
    ? await loadOwnDemo(app, port, publicBaseUrl(env))
    : null;
if (printsBanner()) {
  printBanner({
    apiUrl: apiBaseUrl(port),
    publicBaseUrl: publicBaseUrl(env),
    runtime,
    firstOrganization,
    workers,
    demo,
  });
}
