import { describe, expect, it } from '@jest/globals';

import { coarsen, distanceKm, findFarApart, warningOf } from './scan-rules.js';

const CHENGDU = { latitude: 30.66, longitude: 104.07 };
const HARBIN = { latitude: 45.8, longitude: 126.53 };
const T0 = new Date('2026-03-01T08:00:00Z');
const minutesLater = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe(coarsen.name, () => {
  it.each([
    [CHENGDU, { latitude: 30.7, longitude: 104.1 }],
    [
      { latitude: -33.8688, longitude: 151.2093 },
      { latitude: -33.9, longitude: 151.2 },
    ],
    [
      { latitude: -0.04, longitude: -0.04 },
      { latitude: 0, longitude: 0 },
    ],
    [
      { latitude: 89.99, longitude: 179.99 },
      { latitude: 90, longitude: 180 },
    ],
  ])('rounds %j to one decimal degree', (position, expected) => {
    const coarse = coarsen(position);
    expect(coarse).toEqual(expected);
    expect(Object.is(coarse.latitude, -0)).toBe(false);
  });
});

describe(distanceKm.name, () => {
  it('is the great-circle distance (Chengdu–Harbin ≈ 2,570 km; one degree of latitude ≈ 111 km)', () => {
    expect(distanceKm(CHENGDU, HARBIN)).toBeGreaterThan(2550);
    expect(distanceKm(CHENGDU, HARBIN)).toBeLessThan(2590);
    expect(distanceKm({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo(
      111.19,
      1,
    );
    expect(distanceKm(HARBIN, HARBIN)).toBe(0);
  });
});

describe(findFarApart.name, () => {
  it('flags Chengdu then Harbin 40 minutes later (faster than 900 km/h)', () => {
    const found = findFarApart(
      { ...HARBIN, scannedAt: minutesLater(40) },
      [{ ...CHENGDU, scannedAt: T0 }],
      900,
    );
    expect(found).toEqual({
      distanceKm: Math.round(distanceKm(CHENGDU, HARBIN)),
      minutesApart: 40,
      speedKmh: Math.round(distanceKm(CHENGDU, HARBIN) * 1.5),
      maxSpeedKmh: 900,
    });
  });

  it('does not flag the same journey a day later, nor two scans in one city at once', () => {
    expect(
      findFarApart(
        { ...HARBIN, scannedAt: minutesLater(24 * 60) },
        [{ ...CHENGDU, scannedAt: T0 }],
        900,
      ),
    ).toBeNull();
    const nearby = { latitude: 30.9, longitude: 104.5 }; // ≈ 50 km: under 100 km is never far apart
    expect(
      findFarApart({ ...nearby, scannedAt: T0 }, [{ ...CHENGDU, scannedAt: T0 }], 900),
    ).toBeNull();
  });

  it('flags two far places at the same instant (no speed), and keeps the fastest pair', () => {
    expect(
      findFarApart({ ...HARBIN, scannedAt: T0 }, [{ ...CHENGDU, scannedAt: T0 }], 900),
    ).toMatchObject({
      minutesApart: 0,
      speedKmh: null,
    });
    const found = findFarApart(
      { ...HARBIN, scannedAt: minutesLater(120) },
      [
        { ...CHENGDU, scannedAt: T0 },
        { ...CHENGDU, scannedAt: minutesLater(60) },
      ],
      900,
    );
    expect(found?.minutesApart).toBe(60);
  });
});

describe(warningOf.name, () => {
  const rules = { warnCount: 5, maxSpeedKmh: 900 };
  it('warns many-scans from the 5th scan on', () => {
    expect(warningOf(4, null, rules)).toBeNull();
    expect(warningOf(5, null, rules)).toMatchObject({
      reason: 'many-scans',
      scanCount: 5,
      threshold: 5,
    });
  });

  it('prefers far-apart, the stronger evidence', () => {
    const evidence = { distanceKm: 2400, minutesApart: 40, speedKmh: 3600, maxSpeedKmh: 900 };
    expect(warningOf(9, evidence, rules)).toEqual({
      reason: 'far-apart',
      detail: expect.stringContaining('2400 km apart within 40 minutes'),
      ...evidence,
    });
  });
});
