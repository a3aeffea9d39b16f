import type { Env } from '../config/env.js';
import type { RuntimeSettings } from './runtime.js';

/** The runtime settings the environment gives (config/env.ts has already validated them). */
export const runtimeSettings = (env: Env): RuntimeSettings => ({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  logOrigin: env.LOG_ORIGIN,
  logSigningKey: env.LOG_SIGNING_KEY,
  logSigningKeyFile: env.LOG_SIGNING_KEY_FILE,
  devOrigin: `${new URL(publicBaseUrl(env)).host}/log`,
  sealIntervalMs: env.SEAL_INTERVAL_MS,
  sealBatchSize: env.SEAL_BATCH_SIZE,
  captureLimit: env.CAPTURE_LIMIT,
  captureMaxBytes: env.CAPTURE_MAX_BYTES,
});

/** PUBLIC_BASE_URL, else localhost on `port` (default PORT; pass the bound port when PORT is 0). */
export const publicBaseUrl = (env: Env, port: number = env.PORT): string =>
  env.PUBLIC_BASE_URL ?? `http://localhost:${port}`;
