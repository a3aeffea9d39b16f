import { DomainError } from '../common/errors/domain-error.js';
import { isoDate } from './masterdata.dto.js';

// ISO 8601 date-time with seconds and an offset (or Z), or a calendar date (its start, UTC).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The `at` query parameter: an ISO 8601 instant (`2026-03-01T08:00:00Z`, `…+08:00`) or a date
 * (`2026-03-01`, midnight UTC); absent → undefined. A `+` that a client left unencoded arrives as
 * a space and is read as `+`. QUERY_PARAMETER_INVALID otherwise.
 */
export const parseInstant = (value: string | undefined, name = 'at'): Date | undefined => {
  if (value === undefined) return undefined;
  const text = value.replace(/ (\d{2}:\d{2})$/, '+$1');
  const isInstant =
    (DATE_TIME.test(text) || DATE.test(text)) && isoDate.safeParse(text.slice(0, 10)).success;
  const instant = isInstant ? new Date(text) : undefined;
  if (instant === undefined || Number.isNaN(instant.getTime())) {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      `${name} must be an ISO 8601 date-time with an offset (e.g. 2026-03-01T08:00:00Z) or a date, not "${value}"`,
    );
  }
  return instant;
};
