import type { Env } from '../config/env.js';
import type { RuntimeSettings } from './runtime.js';

/** The runtime settings the environment gives (config/env.ts has already validated them). */
export const runtimeSettings = (env: Env): RuntimeSettings => ({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  logOrigin: env.LOG_ORIGIN,
  logSigningKey: env.LOG_SIGNING_KEY,
  logSigningKeyFile: env.LOG_SIGNING_KEY_FILE,
  kek: env.TRACEROOT_KEK,
  kekFile: env.TRACEROOT_KEK_FILE,
  rules: env.TRACEROOT_RULES,
  devOrigin: `${new URL(publicBaseUrl(env)).host}/log`,
  sealIntervalMs: env.SEAL_INTERVAL_MS,
  sealBatchSize: env.SEAL_BATCH_SIZE,
  captureLimit: env.CAPTURE_LIMIT,
  captureMaxBytes: env.CAPTURE_MAX_BYTES,
});

/**
 * The web app's public base (PUBLIC_BASE_URL, else `http://localhost:$WEB_PORT`), without a
 * trailing slash: Digital Links and the consumer pages' URLs are built on it.
 */
export const publicBaseUrl = (env: Pick<Env, 'PUBLIC_BASE_URL' | 'WEB_PORT'>): string =>
  (env.PUBLIC_BASE_URL ?? `http://localhost:${env.WEB_PORT}`).replace(/\/+$/, '');

/** This API's own address on this machine, on the port it bound (PORT may be 0). */
export const apiBaseUrl = (port: number): string => `http://localhost:${port}`;
