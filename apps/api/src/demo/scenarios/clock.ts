// Demo times: local wall-clock times at places, a number of days before a base time. Pure: the
// base time is a parameter, so the same base time gives the same documents.

const DAY_MS = 86_400_000;

/** The time zones of the demo's places. */
export type Zone = 'China' | 'US Pacific';

/** EPCIS `eventTime` with its local offset, and `eventTimeZoneOffset`. */
export type EventTime = { eventTime: string; eventTimeZoneOffset: string };

// US daylight saving time (Energy Policy Act of 2005, since 2007): from the second Sunday of
// March to the first Sunday of November. Decided per local date (the 02:00 switch is ignored).
const nthSunday = (year: number, month: number, n: number): number => {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + 7 * (n - 1);
};

const isPacificDaylightTime = (year: number, month: number, day: number): boolean => {
  if (month > 2 && month < 10) return true; // April–October
  if (month === 2) return day >= nthSunday(year, 2, 2); // March
  if (month === 10) return day < nthSunday(year, 10, 1); // November
  return false;
};

/** The UTC offset of `zone` on a local calendar date, in minutes (China: +480, US Pacific: -420 / -480). */
export const utcOffsetMinutes = (zone: Zone, year: number, month: number, day: number): number =>
  zone === 'China' ? 480 : isPacificDaylightTime(year, month, day) ? -420 : -480;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const formatOffset = (minutes: number): string =>
  `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;

/** `instant` as ISO 8601 local time with its offset, milliseconds included (xsd:dateTimeStamp). */
export const formatLocal = (instant: number, offsetMinutes: number): string => {
  const local = new Date(instant + offsetMinutes * 60_000);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}${formatOffset(offsetMinutes)}`
  );
};

/** A moment of the demo: its instant and the offset of the place where it happens. */
export type Moment = { readonly instant: number; readonly offset: number };

export type DemoClock = {
  /** Midnight UTC of the base time's date: every demo day is counted from it. */
  readonly anchor: number;
  /** `daysBefore` days before the anchor's date, at `hhmm` local time in `zone`. */
  readonly at: (daysBefore: number, hhmm: string, zone: Zone) => Moment;
};

/**
 * The demo's clock for a base time (usually now). Every moment is a local date `daysBefore` days
 * before the base date: with `daysBefore` ≥ 1 and local times up to 15:59 it is before the base
 * time in every demo zone (US Pacific is at most 8 hours behind UTC).
 */
export const demoClock = (baseTime: Date): DemoClock => {
  const base = baseTime.getTime();
  if (!Number.isFinite(base)) throw new Error('the demo base time is not a valid date');
  const anchor = Math.floor(base / DAY_MS) * DAY_MS;
  return {
    anchor,
    at: (daysBefore, hhmm, zone) => {
      const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
      if (!match) throw new Error(`'${hhmm}' is not a time of day (HH:MM)`);
      const date = new Date(anchor - daysBefore * DAY_MS);
      const offset = utcOffsetMinutes(
        zone,
        date.getUTCFullYear(),
        date.getUTCMonth(),
        date.getUTCDate(),
      );
      const localMinutes = Number(match[1]) * 60 + Number(match[2]);
      return { instant: date.getTime() + (localMinutes - offset) * 60_000, offset };
    },
  };
};

/** A moment `minutes` later, same place. */
export const later = (moment: Moment, minutes: number): Moment => ({
  instant: moment.instant + minutes * 60_000,
  offset: moment.offset,
});

/** The EPCIS time fields of a moment. */
export const eventTimeOf = (moment: Moment): EventTime => ({
  eventTime: formatLocal(moment.instant, moment.offset),
  eventTimeZoneOffset: formatOffset(moment.offset),
});

/** The local calendar date of a moment, `YYYY-MM-DD`. */
export const localDate = (moment: Moment): string =>
  formatLocal(moment.instant, moment.offset).slice(0, 10);

/** A calendar date `days` after a moment's local date, `YYYY-MM-DD`. */
export const dateAfter = (moment: Moment, days: number): string =>
  localDate({ instant: moment.instant + days * DAY_MS, offset: moment.offset });
