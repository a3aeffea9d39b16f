import { TraceError } from '../errors.js';

// xsd:dateTimeStamp as EPCIS 2.0 requires it: a full date and time with seconds, any number of
// fractional digits and a mandatory UTC offset. Compiled once.
const DATE_TIME_STAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): integer
// arithmetic only, so no Date object, no host time zone and no two-digit-year surprises.
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

const civilFromDays = (days: number): readonly [number, number, number] => {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
};

type Sextuple = [number, number, number, number, number, number];

const isLeapYear = (year: number): boolean =>
  year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

// 31 for January, March, May, July, August, October, December; 30 for the others but February.
const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return 30 + ((month + Math.floor(month / 8)) % 2);
};

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

// CBV 2.0 event hash ID rule 9 (as stated in its 2.1 clarification): keep three fractional digits and
// round the third up when the fourth is 5-9; digits after the fourth do not matter.
const roundedMillis = (fraction: string | undefined): number => {
  if (fraction === undefined) return 0;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  return fraction.length > 3 && fraction.charCodeAt(3) >= 0x35 ? millis + 1 : millis;
};

const invalid = (field: string, value: string, why: string): TraceError =>
  new TraceError('INVALID_EVENT', `${field} "${value}" ${why}`);

/**
 * Normalises an xsd:dateTimeStamp to the form the event hash ID hashes (CBV 2.0 event hash ID rules 8
 * and 9): UTC, written with `Z`, exactly three fractional digits (zero-filled, or rounded half-up
 * on the fourth digit; a carry may roll over into the next second, day or year).
 * `2020-03-04T11:00:30.12345+01:00` becomes `2020-03-04T10:00:30.123Z`.
 *
 * Precondition: `value` is a full date-time with seconds and an offset (`Z` or `±hh:mm`), as
 * EPCIS requires. Throws `TraceError('INVALID_EVENT')` naming `field` otherwise, or when a part is
 * out of range, or when the UTC instant falls outside years 0001-9999.
 */
export const formatHashTimestamp = (value: string, field: string): string => {
  const m = DATE_TIME_STAMP.exec(value);
  if (m === null) {
    throw invalid(
      field,
      value,
      'is not an xsd:dateTimeStamp (YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm))',
    );
  }
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) =>
    Number(m[i]),
  ) as Sextuple;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw invalid(field, value, 'has no such calendar date');
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw invalid(field, value, 'has no such time of day');
  }
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 14 || offsetMinutes > 59) {
    throw invalid(field, value, 'has an offset beyond ±14:00');
  }
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const local =
    daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
  return formatUtcMillis(local + roundedMillis(m[7]) - offset * MS_PER_MINUTE, field, value);
};

const formatUtcMillis = (utc: number, field: string, value: string): string => {
  const days = Math.floor(utc / MS_PER_DAY);
  const [year, month, day] = civilFromDays(days);
  if (year < 1 || year > 9999) throw invalid(field, value, 'lies outside years 0001-9999 in UTC');
  let rest = utc - days * MS_PER_DAY;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(millis, 3)}Z`;
};
