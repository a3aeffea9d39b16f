import { createHash } from 'node:crypto';

import { DomainError } from '../common/errors/domain-error.js';
import type { EventQuery } from './event-query.js';
import type { Keyset } from './query-sql.js';

// nextPageToken: where the previous page ended, bound to the query it belongs to. Opaque to
// clients (base64url of JSON); not a secret (it names a position, never data).

type TokenBody = { v: 1; q: string; t: string | null; s: number; n: number };

/** A short digest of the query's normalised parameters (keys in sorted order). */
export const queryDigest = (query: EventQuery): string =>
  createHash('sha256').update(JSON.stringify(query.parameters)).digest('base64url').slice(0, 16);

export const encodePageToken = (query: EventQuery, after: Keyset, served: number): string =>
  Buffer.from(
    JSON.stringify({ v: 1, q: queryDigest(query), t: after.time, s: after.seq, n: served }),
  ).toString('base64url');

const badToken = (why: string): DomainError =>
  new DomainError('QUERY_PARAMETER_INVALID', `nextPageToken ${why}`);

/** The position and count a token carries; it must have been issued for this very query. */
export const decodePageToken = (
  token: string,
  query: EventQuery,
): { after: Keyset; served: number } => {
  let body: Partial<TokenBody>;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    throw badToken('is not a token this service issued');
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    body.v !== 1 ||
    typeof body.q !== 'string' ||
    !Number.isSafeInteger(body.s) ||
    body.s! < 0 ||
    !Number.isSafeInteger(body.n) ||
    body.n! < 0 ||
    (body.t !== null && (typeof body.t !== 'string' || Number.isNaN(Date.parse(body.t))))
  ) {
    throw badToken('is not a token this service issued');
  }
  if (body.q !== queryDigest(query)) {
    throw badToken('belongs to a query with other parameters: repeat the query of its first page');
  }
  return { after: { time: body.t ?? null, seq: body.s! }, served: body.n! };
};
