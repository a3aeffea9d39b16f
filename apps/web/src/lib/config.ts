// The web app's one reader of process.env (STYLE §3.6). Read on each call, not at import: route
// handlers run at request time, and `next build` must not freeze a build machine's values.

const DEFAULT_WEB_PORT = 3001;

// Scheme and host, an optional path prefix, no query or fragment: the shape a GS1 Digital Link
// base may have (formatDigitalLink refuses anything else).
const BASE_URL_SHAPE = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i;

const readWebPort = (raw: string | undefined): number => {
  if (raw === undefined || raw === '') return DEFAULT_WEB_PORT;
  const port = Number(raw);
  if (!/^[0-9]+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error('Invalid environment: WEB_PORT must be a TCP port (1–65535)');
  }
  return port;
};

/**
 * The public origin (and optional path prefix) under which this app is reached, without a
 * trailing slash: `PUBLIC_BASE_URL`, or `http://localhost:${WEB_PORT}` (WEB_PORT default 3001).
 * GS1 Digital Link URIs printed in QR codes and links are built on it.
 *
 * Throws (naming the variable, never echoing its value) when it is not an http(s) URL without
 * query or fragment: a misconfiguration, so a 500, never the visitor's fault.
 */
export const publicBaseUrl = (env: NodeJS.ProcessEnv = process.env): string => {
  const configured = env.PUBLIC_BASE_URL?.trim();
  if (!configured) return `http://localhost:${readWebPort(env.WEB_PORT)}`;
  const base = configured.replace(/\/+$/, '');
  if (!BASE_URL_SHAPE.test(base)) {
    throw new Error('Invalid environment: PUBLIC_BASE_URL must be an http(s) URL without query');
  }
  return base;
};
