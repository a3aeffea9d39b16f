// Boots the real app (AppModule + configureApp, exactly as main.ts does) on 127.0.0.1, port 0,
// for e2e tests that talk to it over HTTP with fetch.
import 'reflect-metadata';

import type {
  DynamicModule,
  ForwardReference,
  LoggerService,
  Provider,
  Type,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { Test } from '@nestjs/testing';

import { AppModule } from '../../src/app.module.js';
import { configureApp, nestAppOptions } from '../../src/common/http/configure-app.js';
import { createAppLogger } from '../../src/common/logging/app-logger.js';
import { loadEnv } from '../../src/config/env.js';

export type StartAppOptions = {
  /**
   * Environment variables as strings, parsed by loadEnv exactly like process.env (which is never
   * read here: pass DATABASE_URL and friends explicitly). LOG_LEVEL defaults to "error" in tests.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Modules, controllers and providers added next to AppModule (e.g. a feature under test). */
  imports?: (Type | DynamicModule | Promise<DynamicModule> | ForwardReference)[];
  controllers?: Type[];
  providers?: Provider[];
  /** Replace providers, guards, modules: `(b) => b.overrideProvider(Clock).useValue(fakeClock)`. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Default: the app's own logger at the env's LOG_LEVEL and LOG_FORMAT. `false`: silent. */
  logger?: LoggerService | false;
};

export type StartedApp = {
  /** e.g. "http://127.0.0.1:41234", no trailing slash. */
  baseUrl: string;
  /** The running app, for `app.get(SomeService)`. */
  app: NestExpressApplication;
  close: () => Promise<void>;
};

export const startApp = async (options: StartAppOptions = {}): Promise<StartedApp> => {
  const env = loadEnv({ LOG_LEVEL: 'error', ...options.env });
  const logger = options.logger ?? createAppLogger(env);
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(env), ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  });
  if (logger !== false) builder = builder.setLogger(logger);
  if (options.override) builder = options.override(builder);

  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(nestAppOptions(logger));
  configureApp(app, env);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace(/\/$/, '');
  return { baseUrl, app, close: () => app.close() };
};
