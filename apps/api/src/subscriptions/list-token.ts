import { DomainError } from '../common/errors/domain-error.js';

/** Where a list page ended: the last item's creation time and key (keyset paging). */
export type ListPosition = { createdAt: Date; key: string };

/** The nextPageToken of GET /queries and GET …/subscriptions: opaque to clients. */
export const encodeListToken = (position: ListPosition): string =>
  Buffer.from(JSON.stringify(['l1', position.createdAt.toISOString(), position.key])).toString(
    'base64url',
  );

/** The position a nextPageToken names; QUERY_PARAMETER_INVALID naming it when not one of ours. */
export const decodeListToken = (token: string | undefined): ListPosition | null => {
  if (token === undefined) return null;
  const refuse = (): never => {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      'nextPageToken is not a token this service issued for this list',
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'l1') return refuse();
  const [, time, key] = parsed as unknown[];
  const createdAt = typeof time === 'string' ? new Date(time) : new Date(NaN);
  if (Number.isNaN(createdAt.getTime()) || typeof key !== 'string' || key.length > 200) {
    return refuse();
  }
  return { createdAt, key };
};
