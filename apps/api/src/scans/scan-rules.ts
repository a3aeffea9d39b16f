// The counterfeit-warning rules of scan telemetry, pure (time is a parameter). A genuine item's
// code is scanned a few times, in one region; a copied code turns up often, or in two places no
// single bottle could travel between in the time. docs/specs/master-data.md, "Scan telemetry".

/** A position as stored: rounded to 0.1° (≈ 11 km of latitude), never finer. */
export type Position = { latitude: number; longitude: number };

export type LocatedScan = Position & { scannedAt: Date };

/** Evidence of an impossible journey between two scans of one code. */
export type FarApart = {
  distanceKm: number;
  minutesApart: number;
  /** Null when both scans arrived in the same millisecond. */
  speedKmh: number | null;
  /** The speed limit the pair broke (SCAN_MAX_SPEED_KMH when it was seen). */
  maxSpeedKmh: number;
};

export type ScanRules = {
  /** Warn many-scans from this many scans of one code on (SCAN_WARN_COUNT). */
  warnCount: number;
  /** Warn far-apart above this speed (SCAN_MAX_SPEED_KMH)… */
  maxSpeedKmh: number;
};

/** …for scans at least this far apart: closer ones may be rounding, or one city. */
export const FAR_APART_MIN_KM = 100;

export type ScanWarning =
  | { reason: 'many-scans'; detail: string; scanCount: number; threshold: number }
  | ({ reason: 'far-apart'; detail: string } & FarApart);

// + 0 turns -0 into 0 (JSON would print it as 0 anyway, but equality checks would not).
const roundTenth = (degrees: number): number => Math.round(degrees * 10) / 10 + 0;

/** The position kept of a scan: each coordinate rounded to one decimal degree (≈ 10 km). */
export const coarsen = (position: Position): Position => ({
  latitude: roundTenth(position.latitude),
  longitude: roundTenth(position.longitude),
});

const EARTH_RADIUS_KM = 6371.0088; // IUGG mean radius
const radians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in km (haversine formula). */
export const distanceKm = (a: Position, b: Position): number => {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
};

/**
 * The fastest impossible journey between `scan` and one of `earlier`: at least
 * FAR_APART_MIN_KM apart and faster than `maxSpeedKmh`; null when there is none.
 */
export const findFarApart = (
  scan: LocatedScan,
  earlier: readonly LocatedScan[],
  maxSpeedKmh: number,
): FarApart | null => {
  let fastest: { km: number; hours: number; speed: number } | null = null;
  for (const other of earlier) {
    const km = distanceKm(scan, other);
    const hours = Math.abs(scan.scannedAt.getTime() - other.scannedAt.getTime()) / 3_600_000;
    const speed = hours === 0 ? Infinity : km / hours;
    if (km >= FAR_APART_MIN_KM && speed > maxSpeedKmh && speed > (fastest?.speed ?? 0)) {
      fastest = { km, hours, speed };
    }
  }
  return fastest === null
    ? null
    : {
        distanceKm: Math.round(fastest.km),
        minutesApart: Math.round(fastest.hours * 60),
        speedKmh: Number.isFinite(fastest.speed) ? Math.round(fastest.speed) : null,
        maxSpeedKmh,
      };
};

const duration = (minutes: number): string =>
  minutes < 120 ? `${minutes} minutes` : `${Math.round(minutes / 60)} hours`;

/**
 * The warning for a code scanned `scanCount` times: far-apart (the stronger evidence) when an
 * impossible journey was ever seen, else many-scans from `warnCount` scans on, else none.
 * `detail` is English for developers; pages word it from `reason`.
 */
export const warningOf = (
  scanCount: number,
  farApart: FarApart | null,
  rules: ScanRules,
): ScanWarning | null => {
  if (farApart !== null) {
    return {
      reason: 'far-apart',
      detail:
        `This code was scanned ${farApart.distanceKm} km apart within ${duration(farApart.minutesApart)}, ` +
        `faster than anyone travels (${farApart.maxSpeedKmh} km/h): the code may have been copied.`,
      ...farApart,
    };
  }
  if (scanCount >= rules.warnCount) {
    return {
      reason: 'many-scans',
      detail: `This code has been scanned ${scanCount} times, more than a genuine item's code usually is: it may have been copied.`,
      scanCount,
      threshold: rules.warnCount,
    };
  }
  return null;
};
