import { DomainError } from '../errors/domain-error.js';

/** A row's place in a newest-first list of rows keyed by (created_at, id): capture jobs, recalls. */
export type Position = { createdAt: Date; id: string };

/** A UUID, as the lists' ids are (any version, either case). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The nextPageToken after `position`: `<kind>:<createdAt in ms>:<id>` in base64url, opaque to
 * clients. `kind` (one letter per list) keeps one list's token from being taken by another.
 */
export const encodePositionToken = (kind: string, position: Position): string =>
  Buffer.from(`${kind}:${position.createdAt.getTime()}:${position.id}`).toString('base64url');

/** The position a token of `kind` names; anything else is QUERY_PARAMETER_INVALID. */
export const decodePositionToken = (kind: string, token: unknown): Position => {
  const match =
    typeof token === 'string'
      ? /^([a-z]):(\d{1,16}):([0-9a-f-]{36})$/.exec(
          Buffer.from(token, 'base64url').toString('utf8'),
        )
      : null;
  const createdAt = new Date(Number(match?.[2]));
  if (!match || match[1] !== kind || !UUID.test(match[3]!) || Number.isNaN(createdAt.getTime())) {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      'nextPageToken is not a token this service issued',
    );
  }
  return { createdAt, id: match[3]! };
};
