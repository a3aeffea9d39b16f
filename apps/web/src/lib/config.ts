import { formatDigitalLink, parseDigitalLink } from '@traceroot/trace';

// The web app's one reader of process.env (STYLE §3.6). Read on each call, not at import: route
// handlers run at request time, and `next build` must not freeze a build machine's values.

/** An environment (a parameter, so tests pass their own); PUBLIC_BASE_URL and WEB_PORT are read. */
export type WebEnv = Readonly<Record<string, string | undefined>>;

const DEFAULT_WEB_PORT = 3001;

// Any GS1 Digital Link is built on this base, so the library decides what a valid base is
// (scheme, host, optional path prefix, no query or fragment): format one on it.
const SAMPLE_DIGITAL_LINK = parseDigitalLink('https://id.gs1.org/01/09506000134352');
const isDigitalLinkBase = (base: string): boolean => {
  try {
    formatDigitalLink(SAMPLE_DIGITAL_LINK, base);
    return true;
  } catch {
    return false;
  }
};

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
export const publicBaseUrl = (env: WebEnv = process.env): string => {
  const configured = env.PUBLIC_BASE_URL?.trim();
  if (!configured) return `http://localhost:${readWebPort(env.WEB_PORT)}`;
  const base = configured.replace(/\/+$/, '');
  if (!isDigitalLinkBase(base)) {
    throw new Error('Invalid environment: PUBLIC_BASE_URL must be an http(s) URL without query');
  }
  return base;
};
