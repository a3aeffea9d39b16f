// Where the web app finds the ledger API, and which log key it trusts (STYLE §3.6: the web app's
// readers of process.env are config.ts and this file). Read per call, never frozen by `next build`.
import type { WebEnv } from './config';

const DEFAULT_API_PORT = 3000;

/** How long this server waits for the API (ms) before telling the reader it is unavailable. */
export const API_TIMEOUT_MS = 8000;

const httpUrl = (name: string, value: string): string => {
  const url = value.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#]+(\/[^?#]*)?$/i.test(url)) {
    throw new Error(`Invalid environment: ${name} must be an http(s) URL without query`);
  }
  return url;
};

/** The API as this server reaches it: `API_URL`, default `http://127.0.0.1:${PORT:-3000}`. */
export const apiUrl = (env: WebEnv = process.env): string =>
  env.API_URL?.trim()
    ? httpUrl('API_URL', env.API_URL)
    : `http://127.0.0.1:${env.PORT?.trim() || DEFAULT_API_PORT}`;

/**
 * The API as the public reaches it (links in linksets: the EPCIS query, the trace):
 * `API_PUBLIC_URL`, default `http://localhost:${PORT:-3000}`.
 */
export const apiPublicUrl = (env: WebEnv = process.env): string =>
  env.API_PUBLIC_URL?.trim()
    ? httpUrl('API_PUBLIC_URL', env.API_PUBLIC_URL)
    : `http://localhost:${env.PORT?.trim() || DEFAULT_API_PORT}`;

/** The log's verifier key (C2SP vkey) from `LOG_VERIFIER_KEY`, when configured. */
export const configuredVerifierKey = (env: WebEnv = process.env): string | undefined =>
  env.LOG_VERIFIER_KEY?.trim() || undefined;
