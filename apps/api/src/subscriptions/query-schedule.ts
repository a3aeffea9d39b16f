// The EPCIS query schedule (EPCIS 2.0 §8.2.5.3 "QuerySchedule"; REST binding query-schedule.json):
// when a scheduled subscription runs. Pure: time is a parameter.
//
// Each field is a string of the grammar
//   QueryScheduleField ::= Element ( "," Element )*
//   Element            ::= Number | Range
//   Range              ::= "[" Number "-" Number "]"
// with every Number in the field's range and a Range's first Number ≤ its second. A time matches
// the schedule when each field that is present matches (an omitted field matches every value, so
// `{ hour: "2" }` fires every second from 02:00:00 to 02:59:59, as the standard's example says).
// The service evaluates schedules in UTC (the standard lets the service choose the time zone).

/** The fields of a schedule, in the order of query-schedule.json. */
export const SCHEDULE_FIELDS = [
  'second',
  'minute',
  'hour',
  'dayOfMonth',
  'month',
  'dayOfWeek',
] as const;
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number];

/** A schedule as the binding carries it: each present field a string of the grammar above. */
export type QuerySchedule = Partial<Record<ScheduleField, string>>;

/** A parsed schedule: for each present field, the set of values it matches. */
export type ParsedSchedule = Readonly<Partial<Record<ScheduleField, ReadonlySet<number>>>>;

/** The legal values of each field; dayOfWeek 1 is Monday, 7 Sunday (ISO 8601). */
const RANGES: Record<ScheduleField, readonly [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
};

/** A fault in a schedule, naming the field (a SubscriptionControlsException to the caller). */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';

  constructor(
    readonly field: ScheduleField | null,
    message: string,
  ) {
    super(message);
  }
}

const ELEMENT = /^(?:(\d{1,2})|\[(\d{1,2})-(\d{1,2})\])$/;

const parseField = (field: ScheduleField, text: unknown): ReadonlySet<number> => {
  const [low, high] = RANGES[field];
  if (typeof text !== 'string') {
    throw new ScheduleError(field, `${field} must be a string such as "5", "[0-29]" or "0,30"`);
  }
  const values = new Set<number>();
  for (const element of text.split(',')) {
    const match = ELEMENT.exec(element);
    if (!match) {
      throw new ScheduleError(
        field,
        `${field}: "${text.slice(0, 40)}" is not a list of numbers and [low-high] ranges`,
      );
    }
    const from = Number(match[1] ?? match[2]);
    const to = Number(match[1] ?? match[3]);
    for (const n of [from, to]) {
      if (n < low || n > high) {
        throw new ScheduleError(field, `${field}: ${n} is outside ${low}–${high}`);
      }
    }
    if (from > to) throw new ScheduleError(field, `${field}: the range [${from}-${to}] is empty`);
    for (let n = from; n <= to; n += 1) values.add(n);
  }
  return values;
};

/**
 * Parses a schedule object; throws ScheduleError naming the first bad field (or `null` for an
 * unknown member or a non-object). An empty object is valid: it fires every second.
 */
export const parseQuerySchedule = (schedule: unknown): ParsedSchedule => {
  if (typeof schedule !== 'object' || schedule === null || Array.isArray(schedule)) {
    throw new ScheduleError(null, 'schedule must be an object');
  }
  const parsed: Partial<Record<ScheduleField, ReadonlySet<number>>> = {};
  for (const [name, value] of Object.entries(schedule)) {
    if (!(SCHEDULE_FIELDS as readonly string[]).includes(name)) {
      throw new ScheduleError(
        null,
        `schedule.${name} is not a schedule field (${SCHEDULE_FIELDS.join(', ')})`,
      );
    }
    parsed[name as ScheduleField] = parseField(name as ScheduleField, value);
  }
  if (nextScheduledTime(parsed, new Date(Date.UTC(2000, 0, 1))) === null) {
    throw new ScheduleError(null, 'the schedule never fires (no such day)');
  }
  return parsed;
};

const matches = (parsed: ParsedSchedule, field: ScheduleField, value: number): boolean =>
  parsed[field]?.has(value) ?? true;

/** ISO day of the week of a UTC time: 1 Monday … 7 Sunday. */
const isoDayOfWeek = (time: Date): number => ((time.getUTCDay() + 6) % 7) + 1;

// 28 years repeat the Gregorian calendar's days of the week and leap days (except across a
// century not divisible by 400); 29 years more than cover any schedule that can fire at all.
const SEARCH_YEARS = 29;

/**
 * The first whole second strictly after `after` that matches the schedule (UTC), or null when
 * none does (e.g. dayOfMonth 31 in month 2 only). Steps by month, day, hour and minute while a
 * coarser field does not match, so it takes at most a few thousand steps.
 */
export const nextScheduledTime = (parsed: ParsedSchedule, after: Date): Date | null => {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = Date.UTC(t.getUTCFullYear() + SEARCH_YEARS, 0, 1);
  while (t.getTime() < limit) {
    if (!matches(parsed, 'month', t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (
      !matches(parsed, 'dayOfMonth', t.getUTCDate()) ||
      !matches(parsed, 'dayOfWeek', isoDayOfWeek(t))
    ) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!matches(parsed, 'hour', t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!matches(parsed, 'minute', t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else if (!matches(parsed, 'second', t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
    } else {
      return t;
    }
  }
  return null;
};
