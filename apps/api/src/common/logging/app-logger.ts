import type { LogLevel } from '@nestjs/common';
import { ConsoleLogger } from '@nestjs/common';

import type { Env, LogLevelName } from '../../config/env.js';
import { currentRequestId } from '../http/request-context.js';

// Thresholds to Nest's level lists. `info` is Nest's `log`.
const LEVELS_AT_OR_ABOVE: Record<LogLevelName, LogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * Masked wherever they appear in a logged object or error, at any depth (Nest's `redact`): request
 * bodies (body-parser puts the raw body on its errors), credentials and key material.
 */
export const REDACTED_LOG_KEYS = [
  'body',
  'rawBody',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'token',
  'signatureToken',
  'privateKey',
  'signingKey',
  'seed',
];

// The parameter and result of ConsoleLogger#getJsonLogObject (protected, so not indexable).
type JsonLogOptions = {
  context: string;
  logLevel: LogLevel;
  writeStreamType?: 'stdout' | 'stderr';
  errorStack?: unknown;
  params?: Record<string, unknown>;
  error?: Error;
};
type JsonLogObject = {
  [key: string]: unknown;
  level: LogLevel;
  pid: number;
  timestamp: number;
  message: unknown;
};

/**
 * Nest's ConsoleLogger (JSON mode: one object per line, params flattened into it) that also tags
 * every record written while a request is handled with that request's ID.
 */
export class AppLogger extends ConsoleLogger {
  protected override getJsonLogObject(message: unknown, options: JsonLogOptions): JsonLogObject {
    const record = super.getJsonLogObject(message, options);
    const requestId = currentRequestId();
    if (requestId !== undefined && record.requestId === undefined) record.requestId = requestId;
    return record;
  }
}

export const createAppLogger = (env: Pick<Env, 'LOG_LEVEL' | 'LOG_FORMAT'>): AppLogger =>
  new AppLogger({
    json: env.LOG_FORMAT === 'json',
    logLevels: LEVELS_AT_OR_ABOVE[env.LOG_LEVEL],
    flattenParams: true,
    redact: REDACTED_LOG_KEYS,
  });
