// `npm run demo`: loads the demo data (scenarios 1 and 2) into the database the environment
// configures — booting the service in this process on a free port of 127.0.0.1 — or, with
// --url, into a running service. Exit codes: 0 loaded (or already there), 1 failed, 2 usage.
import 'reflect-metadata';

import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { AppModule } from '../app.module.js';
import { configureApp, nestAppOptions } from '../common/http/configure-app.js';
import { createAppLogger } from '../common/logging/app-logger.js';
import { type Env, InvalidEnvError, loadEnv } from '../config/env.js';
import { prepareRuntime } from '../startup/runtime.js';
import { publicBaseUrl, runtimeSettings } from '../startup/settings.js';
import { organizationsOf } from './in-process.js';
import { DemoError, type LoadDemoOptions, type LoadedDemo, loadDemo } from './load-demo.js';
import { demoUrls } from './scenarios/index.js';

const HELP = `Usage: npm run demo [-- [--url URL --api-key KEY] [--base-time ISO]]

Loads Traceroot's demo data: scenario 1 (a Pu'er tea cake from Bulang Mountain, Yunnan, to a
tea shop in Shanghai) and scenario 2 (strawberries from the Salinas Valley to three stores, with
the cold chain, a temperature excursion and a recall): 9 organizations with their API keys,
their master data, and 65 EPCIS events, waiting until a signed checkpoint covers them all.

By default into the database the environment configures (DATABASE_URL, or the embedded one
under DATA_DIR, default .data), with the service started in this process for the duration. The
embedded database opens in one process at a time: while \`npm start\` runs, use --url.

  --url URL         load into the running service at URL instead (e.g. http://localhost:3000)
  --api-key KEY     an admin API key of that service (default: TRACEROOT_BOOTSTRAP_API_KEY)
  --base-time ISO   the events happen in the weeks before this time (default: now)
  -h, --help        this text

Loading twice is refused (the demo's organizations exist): nothing is changed.
`;

type Args = { url?: string; apiKey?: string; baseTime?: Date };

const usage = (message: string): never => {
  process.stderr.write(`${message}\n\n${HELP}`);
  process.exit(2);
};

const parse = (argv: string[]): Args | 'help' => {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        args: argv,
        options: {
          url: { type: 'string' },
          'api-key': { type: 'string' },
          'base-time': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        allowPositionals: true,
      });
    } catch (error) {
      return usage((error as Error).message);
    }
  })();
  if (values.help) return 'help';
  if (positionals.length > 0) usage(`unexpected argument "${positionals[0]}"`);
  const baseTime = values['base-time'] === undefined ? undefined : new Date(values['base-time']);
  if (baseTime !== undefined && Number.isNaN(baseTime.getTime())) {
    usage(`--base-time "${values['base-time']}" is not a date-time`);
  }
  if (values.url !== undefined && !/^https?:\/\/[^/]+/.test(values.url)) {
    usage(`--url "${values.url}" is not an http(s) URL`);
  }
  if (values['api-key'] !== undefined && values.url === undefined) {
    usage('--api-key goes with --url');
  }
  return {
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values['api-key'] === undefined ? {} : { apiKey: values['api-key'] }),
    ...(baseTime === undefined ? {} : { baseTime }),
  };
};

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Boots the service on the configured database, on a free port of 127.0.0.1; loads; stops. */
const loadInProcess = async (
  env: Env,
  options: Omit<LoadDemoOptions, 'baseUrl'>,
): Promise<LoadedDemo> => {
  options.log?.(
    env.DATABASE_URL === undefined
      ? `Opening the embedded database under ${env.DATA_DIR}…`
      : 'Connecting to the PostgreSQL server of DATABASE_URL…',
  );
  // The demo waits for a checkpoint: seal even when the environment turned the timer off.
  const settings = { ...runtimeSettings(env), sealIntervalMs: env.SEAL_INTERVAL_MS || 200 };
  const runtime = await prepareRuntime(settings).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      /in use by process/.test(message)
        ? `${message} Load the demo into the running service instead: npm run demo -- --url http://localhost:${env.PORT} --api-key <admin key> (start it with TRACEROOT_BOOTSTRAP_API_KEY set).`
        : message,
    );
  });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(env, runtime),
    nestAppOptions(createAppLogger({ ...env, LOG_LEVEL: 'warn' })),
  );
  try {
    configureApp(app, env);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return await loadDemo({
      ...options,
      baseUrl: `http://127.0.0.1:${port}`,
      createOrganization: organizationsOf(app),
    });
  } finally {
    await app.close(); // also stops the embedded database
  }
};

const main = async (): Promise<number> => {
  const args = parse(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const env = loadEnv();
  const started = Date.now();
  const options = { log: print, ...(args.baseTime ? { baseTime: args.baseTime } : {}) };
  let loaded: LoadedDemo;
  try {
    if (args.url !== undefined) {
      const adminKey = args.apiKey ?? env.TRACEROOT_BOOTSTRAP_API_KEY;
      if (adminKey === undefined) return usage('--url needs --api-key (an admin API key)');
      loaded = await loadDemo({ ...options, baseUrl: args.url, adminKey });
    } else {
      loaded = await loadInProcess(env, options);
    }
  } catch (error) {
    if (error instanceof DemoError && error.code === 'ALREADY_LOADED') {
      print(error.message);
      return 0;
    }
    process.stderr.write(
      `The demo could not be loaded: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const urls = demoUrls(publicBaseUrl(env));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  print(
    [
      '',
      `Demo loaded in ${seconds} s: ${loaded.events} events of ${loaded.organizations.length} organizations, sealed at tree size ${loaded.treeSize}.`,
      `  a Pu’er tea cake (scenario 1):           ${urls.teaCakePage}`,
      `  its QR code:                             ${urls.teaCakeQrCode}`,
      `  a recalled strawberry lot (scenario 2):  ${urls.recalledStrawberryLotPage}`,
      '  (pages of the web app at PUBLIC_BASE_URL: `npm start` runs it)',
      '',
      'API keys of the demo organizations (shown once; each captures its own events):',
      ...loaded.organizations.map((o) => `  ${o.apiKey}  ${o.name}`),
      '',
    ].join('\n'),
  );
  return 0;
};

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof InvalidEnvError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
