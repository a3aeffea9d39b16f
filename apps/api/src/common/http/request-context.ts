import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { Logger } from '@nestjs/common';

export const REQUEST_ID_HEADER = 'X-Request-ID';

// Attacker-controlled: a client's ID is echoed in a header and written to logs, so it is kept
// only when it is a short token (UUIDs, ULIDs, trace IDs) with no spaces, quotes or controls.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@+=/-]{1,128}$/;

type Next = (error?: unknown) => void;

const requestIds = new WeakMap<IncomingMessage, string>();
const requestContext = new AsyncLocalStorage<{ requestId: string }>();
const accessLog = new Logger('HTTP');

/** The ID `assignRequestId` gave this request, if it ran. */
export const getRequestId = (request: IncomingMessage): string | undefined =>
  requestIds.get(request);

/** The ID of the request whose handler is running, for log records written on its behalf. */
export const currentRequestId = (): string | undefined => requestContext.getStore()?.requestId;

/** The request path without its query string (which may carry tokens). */
export const requestPath = (request: IncomingMessage): string =>
  (request.url ?? '/').split('?', 1)[0] ?? '/';

const pickRequestId = (request: IncomingMessage): string => {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
};

/**
 * First middleware of the app: gives the request an ID (the client's X-Request-ID when sane),
 * returns it as a header, and writes one access-log record when the response is done. The record
 * names method, path, status and duration only: never headers, query strings or bodies.
 */
export const assignRequestId = (
  request: IncomingMessage,
  response: ServerResponse,
  next: Next,
): void => {
  const startedAt = process.hrtime.bigint();
  const requestId = pickRequestId(request);
  requestIds.set(request, requestId);
  response.setHeader(REQUEST_ID_HEADER, requestId);
  response.once('close', () => {
    const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    const { method = 'GET' } = request;
    const path = requestPath(request);
    const status = response.statusCode;
    accessLog.log(`${method} ${path} ${status}`, {
      requestId,
      method,
      path,
      status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      ...(response.writableFinished ? {} : { aborted: true }),
    });
  });
  next();
};

/**
 * Runs the rest of the request inside an async context carrying its ID, so that every log record
 * written while handling it is tagged (see AppLogger). Installed after the body parser: stream
 * callbacks of the body would otherwise lose the context.
 */
export const enterRequestContext = (
  request: IncomingMessage,
  _response: ServerResponse,
  next: Next,
): void => {
  const requestId = getRequestId(request);
  if (requestId === undefined) {
    next();
    return;
  }
  requestContext.run({ requestId }, next);
};
