// The request bodies of POST /queries and POST /queries/{queryName}/subscriptions (EPCIS 2.0 REST
// binding: QueryDefinition; AbstractQuerySubscription + QueryScheduleSubscription |
// QueryStreamSubscription), checked by hand so that every fault names its field with a JSON
// pointer and the binding's exception (ValidationException; SubscriptionControlsException for the
// subscription controls). Pure apart from the destination check's setting.
import type { EpcisExceptionName, FieldError } from '../common/errors/domain-error.js';
import { DomainError } from '../common/errors/domain-error.js';
import { DestinationError, parseDestination } from './destination.js';
import { parseQuerySchedule, type QuerySchedule, ScheduleError } from './query-schedule.js';

/** A query name: one URL path segment of RFC 3986 unreserved characters (CHECK in the table). */
export const QUERY_NAME = /^[A-Za-z0-9._~-]{1,128}$/;

/** Names of the standard's predefined queries (EPCIS 2.0 §8.2.7), not available as named queries. */
const PREDEFINED_QUERIES = new Set(['SimpleEventQuery', 'SimpleMasterDataQuery']);

const MAX_TOKEN_LENGTH = 1024;

const invalid = (
  pointer: string,
  message: string,
  epcisException: EpcisExceptionName = 'ValidationException',
): DomainError => {
  const error: FieldError = {
    pointer,
    message: `${pointer === '' ? 'the body' : pointer}: ${message}`,
  };
  return new DomainError('VALIDATION_FAILED', error.message, { errors: [error], epcisException });
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refuseUnknown = (
  body: Record<string, unknown>,
  known: readonly string[],
  epcisException: EpcisExceptionName,
): void => {
  const unknown = Object.keys(body).find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw invalid(
      `/${unknown.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      'is not a known field',
      epcisException,
    );
  }
};

/** POST /queries: `{ name, query }`. The query's parameters are the query engine's to check. */
export const parseCreateQueryBody = (
  body: unknown,
): { name: string; query: Record<string, unknown> } => {
  if (!isObject(body)) throw invalid('', 'the body must be a JSON object { name, query }');
  refuseUnknown(body, ['name', 'query'], 'ValidationException');
  const { name, query } = body;
  if (typeof name !== 'string') throw invalid('/name', 'is required: a string');
  if (!QUERY_NAME.test(name)) {
    throw invalid('/name', 'must be 1–128 characters of A–Z, a–z, 0–9, ".", "_", "~" and "-"');
  }
  if (PREDEFINED_QUERIES.has(name)) {
    throw invalid('/name', `${name} is the name of a predefined query`);
  }
  if (!isObject(query)) throw invalid('/query', 'is required: an object of query parameters');
  return { name, query };
};

/** A subscription as asked for. */
export type SubscribeRequest = {
  dest: string;
  signatureToken: string | null;
  stream: boolean;
  schedule: QuerySchedule | null;
  reportIfEmpty: boolean;
  initialRecordTime: Date | null;
};

// RFC 3339 date-time with a time-zone designator (what the binding's format: date-time means).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;

const SUBSCRIPTION_FIELDS = [
  'dest',
  'signatureToken',
  'stream',
  'schedule',
  'reportIfEmpty',
  'initialRecordTime',
];

/**
 * POST /queries/{queryName}/subscriptions. `dest` must pass the destination check
 * (`allowPrivate`: SUBSCRIPTION_ALLOW_PRIVATE_DEST); exactly one of `stream: true` and `schedule`.
 */
export const parseSubscribeBody = (body: unknown, allowPrivate: boolean): SubscribeRequest => {
  const controls = 'SubscriptionControlsException' as const;
  if (!isObject(body)) {
    throw invalid('', 'the body must be a JSON object { dest, signatureToken, stream | schedule }');
  }
  refuseUnknown(body, SUBSCRIPTION_FIELDS, controls);
  const { dest, signatureToken, stream, schedule, reportIfEmpty, initialRecordTime } = body;
  if (typeof dest !== 'string') {
    throw invalid('/dest', 'is required: an http or https URL', controls);
  }
  try {
    parseDestination(dest, allowPrivate);
  } catch (error) {
    if (error instanceof DestinationError) throw invalid('/dest', error.message, controls);
    throw error;
  }
  if (
    signatureToken !== undefined &&
    (typeof signatureToken !== 'string' ||
      signatureToken.length === 0 ||
      signatureToken.length > MAX_TOKEN_LENGTH)
  ) {
    throw invalid(
      '/signatureToken',
      `must be a string of 1–${MAX_TOKEN_LENGTH} characters`,
      controls,
    );
  }
  if (stream !== undefined && stream !== true) {
    throw invalid('/stream', 'must be true (or leave it out and give a schedule)', controls);
  }
  if (stream === true && schedule !== undefined) {
    throw invalid('/schedule', 'give either stream: true or a schedule, not both', controls);
  }
  if (stream === undefined && schedule === undefined) {
    throw invalid(
      '',
      'give stream: true or a schedule: the service must know when to report',
      controls,
    );
  }
  let parsedSchedule: QuerySchedule | null = null;
  if (schedule !== undefined) {
    try {
      parseQuerySchedule(schedule);
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      throw invalid(
        error.field === null ? '/schedule' : `/schedule/${error.field}`,
        error.message,
        controls,
      );
    }
    parsedSchedule = schedule;
  }
  if (reportIfEmpty !== undefined && typeof reportIfEmpty !== 'boolean') {
    throw invalid('/reportIfEmpty', 'must be true or false', controls);
  }
  let initial: Date | null = null;
  if (initialRecordTime !== undefined) {
    const time = typeof initialRecordTime === 'string' ? new Date(initialRecordTime) : null;
    if (
      typeof initialRecordTime !== 'string' ||
      !DATE_TIME.test(initialRecordTime) ||
      time === null ||
      Number.isNaN(time.getTime())
    ) {
      throw invalid(
        '/initialRecordTime',
        'must be an RFC 3339 date-time with a time zone, e.g. 2026-11-27T08:00:00Z',
        controls,
      );
    }
    initial = time;
  }
  return {
    dest,
    signatureToken: signatureToken ?? null,
    stream: stream === true,
    schedule: parsedSchedule,
    reportIfEmpty: reportIfEmpty === true,
    initialRecordTime: initial,
  };
};
