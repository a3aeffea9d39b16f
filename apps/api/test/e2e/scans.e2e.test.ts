// Scan telemetry over HTTP on the full service and a real PostgreSQL: only items a recorded event
// names are counted, counts, the far-apart and many-scans warnings, bounded growth, and that
// nothing about the scanner is stored.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ScansService } from '../../src/scans/scans.service.js';
import {
  call,
  type LedgerApp,
  objectEvent,
  omit,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const GTIN = '09506000134352';
const item = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;

let eventCount = 0;
/** Records one event (POST /events): an ObjectEvent naming `items`, or `event` when given. */
const recordEventNaming = async (
  ledger: LedgerApp,
  items: readonly string[],
  event: Record<string, unknown> = objectEvent(++eventCount, { epcList: items }),
): Promise<void> => {
  const response = await call(ledger.baseUrl, '/events', { key: ledger.apiKey, body: event });
  expect([response.status, await response.text()]).toEqual([201, expect.any(String)]);
};
const CHENGDU = { latitude: 30.66, longitude: 104.07 };
const HARBIN = { latitude: 45.8, longitude: 126.53 };

type Summary = {
  identifier: string;
  scanCount: number;
  firstScannedAt: string | null;
  lastScannedAt: string | null;
  warning: (Record<string, unknown> & { reason: string; detail: string }) | null;
};

describe('scan telemetry: /scans', () => {
  let ledger: LedgerApp;

  const scan = async (body: unknown, headers: Record<string, string> = {}): Promise<Summary> => {
    const response = await call(ledger.baseUrl, '/scans', { body, headers });
    const text = await response.text();
    expect([response.status, text]).toEqual([200, expect.any(String)]);
    return JSON.parse(text) as Summary;
  };
  const summary = async (identifier: string): Promise<Summary> => {
    const response = await call(ledger.baseUrl, `/scans/${encodeURIComponent(identifier)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Summary;
  };
  /** Moves every stored scan of `identifier` `minutes` into the past (the test's clock). */
  const age = (identifier: string, minutes: number) =>
    Promise.all([
      ledger.sql(
        `UPDATE scans SET scanned_at = scanned_at - make_interval(mins => $2) WHERE identifier = $1`,
        [identifier, minutes],
      ),
      ledger.sql(
        `UPDATE scanned_items SET first_scanned_at = first_scanned_at - make_interval(mins => $2),
           last_scanned_at = last_scanned_at - make_interval(mins => $2) WHERE identifier = $1`,
        [identifier, minutes],
      ),
    ]);

  beforeAll(async () => {
    ledger = await startLedgerApp();
    // The items the tests scan, all in the ledger (one of them in an EPC URI).
    await recordEventNaming(ledger, [
      'urn:epc:id:sgtin:9506000.013435.0001',
      ...['BJ-8848', 'BJ-0002', 'MANY', 'PRIVACY', 'NEVER', 'BUSY', 'STALE'].map(item),
    ]);
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('records a scan of a Digital Link path (lot allowed) as the item, with its count', async () => {
    const first = await scan({ identifier: `/01/${GTIN}/10/L-2026/21/0001`, location: CHENGDU });
    expect(first).toEqual({
      identifier: item('0001'),
      scanCount: 1,
      firstScannedAt: expect.any(String),
      lastScannedAt: first.firstScannedAt,
      warning: null,
    });
    const second = await scan({ identifier: 'urn:epc:id:sgtin:9506000.013435.0001' });
    expect(second).toMatchObject({
      identifier: item('0001'),
      scanCount: 2,
      firstScannedAt: first.firstScannedAt,
      warning: null,
    });
    expect(await summary(item('0001'))).toEqual(second);
  });

  it('warns far-apart: a baijiu bottle scanned in Chengdu, then 40 minutes later in Harbin', async () => {
    const bottle = `/01/${GTIN}/21/BJ-8848`;
    expect((await scan({ identifier: bottle, location: CHENGDU })).warning).toBeNull();
    await age(item('BJ-8848'), 40);
    const harbin = await scan({ identifier: bottle, location: HARBIN });
    expect(harbin.scanCount).toBe(2);
    expect(harbin.warning).toEqual({
      reason: 'far-apart',
      detail: expect.stringContaining('km apart within 40 minutes'),
      distanceKm: expect.any(Number),
      minutesApart: 40,
      speedKmh: expect.any(Number),
      maxSpeedKmh: 900,
    });
    expect(harbin.warning?.distanceKm).toBeGreaterThan(2500);
    expect(harbin.warning?.speedKmh).toBeGreaterThan(900);
    // The verdict stays with the item, also for the page's summary and for later scans.
    expect((await summary(bottle)).warning).toMatchObject({ reason: 'far-apart' });
    expect((await scan({ identifier: bottle })).warning).toMatchObject({ reason: 'far-apart' });
  });

  it('does not warn for the same journey by train (a day later), nor for scans in one city', async () => {
    const bottle = `/01/${GTIN}/21/BJ-0002`;
    await scan({ identifier: bottle, location: CHENGDU });
    await age(item('BJ-0002'), 24 * 60);
    expect((await scan({ identifier: bottle, location: HARBIN })).warning).toBeNull();
    expect(
      (await scan({ identifier: bottle, location: { latitude: 45.75, longitude: 126.65 } }))
        .warning,
    ).toBeNull();
  });

  it('warns many-scans from the 5th scan on (SCAN_WARN_COUNT default)', async () => {
    const answers: Summary[] = [];
    for (let i = 0; i < 6; i++) answers.push(await scan({ identifier: item('MANY') }));
    expect(answers.map((a) => a.scanCount)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(answers.map((a) => a.warning?.reason ?? null)).toEqual([
      null,
      null,
      null,
      null,
      'many-scans',
      'many-scans',
    ]);
    expect(answers[4]?.warning).toEqual({
      reason: 'many-scans',
      detail: expect.stringContaining('5 times'),
      scanCount: 5,
      threshold: 5,
    });
  });

  it('stores the item, the time and a position rounded to 0.1° — no IP address, user agent or cookie', async () => {
    await scan(
      { identifier: item('PRIVACY'), location: { latitude: 30.6598, longitude: 104.0633 } },
      {
        'x-forwarded-for': '203.0.113.77',
        'user-agent': 'Mozilla/5.0 (PrivacyProbe)',
        cookie: 'session=s3cr3t-cookie',
        'x-real-ip': '198.51.100.9',
      },
    );
    const columns = await ledger.sql<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_name IN ('scans', 'scanned_items') ORDER BY table_name, ordinal_position`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
      'scanned_items.identifier',
      'scanned_items.scan_count',
      'scanned_items.first_scanned_at',
      'scanned_items.last_scanned_at',
      'scanned_items.far_apart',
      'scans.id',
      'scans.identifier',
      'scans.scanned_at',
      'scans.latitude',
      'scans.longitude',
    ]);
    const rows = await ledger.sql<Record<string, unknown>>(
      'SELECT identifier, latitude::text, longitude::text FROM scans WHERE identifier = $1',
      [item('PRIVACY')],
    );
    expect(rows).toEqual([{ identifier: item('PRIVACY'), latitude: '30.7', longitude: '104.1' }]);
    const everything = JSON.stringify(
      await ledger.sql('SELECT s.*, i.* FROM scans s JOIN scanned_items i USING (identifier)'),
    );
    for (const secret of [
      '203.0.113.77',
      '198.51.100.9',
      '127.0.0.1',
      'PrivacyProbe',
      's3cr3t',
      '30.6598',
      '104.0633',
    ]) {
      expect([secret, everything.includes(secret)]).toEqual([secret, false]);
    }
  });

  it.each([
    [{ identifier: `/01/${GTIN}` }, '/identifier'],
    [{ identifier: `/01/${GTIN}/10/L-2026` }, '/identifier'],
    [{ identifier: 'urn:epc:idpat:sgtin:9506000.013435.*' }, '/identifier'],
    [{ identifier: '/00/095060001343520012' }, '/identifier'],
    [{ identifier: '/01/09506000134353/21/1' }, '/identifier'],
    [{}, '/identifier'],
    [{ identifier: item('X'), location: { latitude: 91, longitude: 0 } }, '/location/latitude'],
    [{ identifier: item('X'), location: { latitude: 30 } }, '/location/longitude'],
    [
      { identifier: item('X'), location: { latitude: 30, longitude: 104, accuracy: 5 } },
      '/location/accuracy',
    ],
    [{ identifier: item('X'), ip: '203.0.113.77' }, '/ip'],
  ])('refuses body %# with 400 naming the field, storing nothing', async (body, pointer) => {
    const before = await ledger.sql('SELECT count(*) AS n FROM scans');
    const problem = await problemOf(await call(ledger.baseUrl, '/scans', { body }));
    expect(problem).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      type: 'epcisException:ValidationException',
    });
    expect(problem.errors.map((e) => e.pointer)).toEqual([pointer]);
    expect(await ledger.sql('SELECT count(*) AS n FROM scans')).toEqual(before);
  });

  it('answers 404 for an item no recorded event names, and stores nothing', async () => {
    const counts = () =>
      ledger.sql<{ scans: string; items: string; invented: string }>(
        `SELECT (SELECT count(*) FROM scans) AS scans, (SELECT count(*) FROM scanned_items) AS items,
           (SELECT count(*) FROM scanned_items WHERE identifier = $1) AS invented`,
        [item('INVENTED-1')],
      );
    const before = await counts();
    for (const identifier of [
      item('INVENTED-1'),
      `/01/${GTIN}/10/L-2026/21/INVENTED-1`,
      'urn:epc:id:sgtin:9506000.013435.999999',
    ]) {
      const problem = await problemOf(
        await call(ledger.baseUrl, '/scans', { body: { identifier, location: CHENGDU } }),
      );
      expect(problem).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
        type: 'epcisException:NoSuchResourceException',
        detail: expect.stringContaining('no recorded event names the item https://id.gs1.org/01/'),
      });
    }
    expect(await counts()).toEqual(before);
    expect(before[0]?.invented).toBe('0');
    const get = await problemOf(
      await call(ledger.baseUrl, `/scans/${encodeURIComponent(item('INVENTED-1'))}`),
    );
    expect(get).toMatchObject({ status: 404, type: 'epcisException:NoSuchResourceException' });
  });

  it('counts an item once an event names it, in any instance role (here a child of a case)', async () => {
    const bottle = item('LATE');
    const refused = await call(ledger.baseUrl, '/scans', { body: { identifier: bottle } });
    expect(refused.status).toBe(404);
    await recordEventNaming(
      ledger,
      [bottle],
      omit(
        objectEvent(++eventCount, {
          type: 'AggregationEvent',
          parentID: 'urn:epc:id:sscc:9506000.0000000001',
          childEPCs: [bottle],
          action: 'ADD',
          bizStep: 'packing',
          disposition: 'in_progress',
        }),
        'epcList',
      ),
    );
    expect(await summary(bottle)).toMatchObject({ identifier: bottle, scanCount: 0 });
    expect(await scan({ identifier: bottle })).toMatchObject({ identifier: bottle, scanCount: 1 });
    expect(
      await ledger.sql('SELECT scan_count FROM scanned_items WHERE identifier = $1', [bottle]),
    ).toEqual([{ scan_count: 1 }]);
  });

  it('GET /scans/{identifier}: count 0 for a recorded item never scanned; 400 for one that is no item', async () => {
    expect(await summary(`/01/${GTIN}/21/NEVER`)).toEqual({
      identifier: item('NEVER'),
      scanCount: 0,
      firstScannedAt: null,
      lastScannedAt: null,
      warning: null,
    });
    const problem = await problemOf(
      await call(ledger.baseUrl, `/scans/${encodeURIComponent(`/01/${GTIN}`)}`),
    );
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('bounds growth: the latest 100 scans per item, nothing older than SCAN_RETENTION_DAYS', async () => {
    const busy = item('BUSY');
    await ledger.sql(
      `INSERT INTO scanned_items (identifier, scan_count, first_scanned_at, last_scanned_at)
       VALUES ($1, 120, now() - interval '2 days', now() - interval '1 day')`,
      [busy],
    );
    await ledger.sql(
      `INSERT INTO scans (identifier, scanned_at) SELECT $1, now() - interval '1 day' - make_interval(mins => n)
       FROM generate_series(1, 120) AS n`,
      [busy],
    );
    expect((await scan({ identifier: busy })).scanCount).toBe(121);
    const kept = await ledger.sql<{ n: string; newest: boolean }>(
      `SELECT count(*) AS n, bool_or(scanned_at > now() - interval '1 minute') AS newest FROM scans WHERE identifier = $1`,
      [busy],
    );
    expect(kept).toEqual([{ n: '100', newest: true }]);

    const stale = item('STALE');
    await ledger.sql(
      `INSERT INTO scanned_items (identifier, scan_count, first_scanned_at, last_scanned_at)
       VALUES ($1, 3, now() - interval '500 days', now() - interval '400 days')`,
      [stale],
    );
    await ledger.sql(
      `INSERT INTO scans (identifier, scanned_at) VALUES ($1, now() - interval '400 days')`,
      [stale],
    );
    await ledger.sql(
      `INSERT INTO scans (identifier, scanned_at) VALUES ($1, now() - interval '400 days')`,
      [busy],
    );
    const pruned = await ledger.app.get(ScansService).prune();
    expect(pruned).toEqual({ scans: 2, items: 1 });
    expect((await summary(stale)).scanCount).toBe(0);
    expect((await summary(busy)).scanCount).toBe(121);
  });

  it('/openapi.json lists the public scan operations', async () => {
    const document = (await (await fetch(`${ledger.baseUrl}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
      >;
    };
    for (const [path, method] of [
      ['/scans', 'post'],
      ['/scans/{identifier}', 'get'],
    ] as const) {
      const operation = document.paths[path]?.[method];
      expect(Object.keys(operation?.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '400', '404']),
      );
      expect(operation?.security ?? []).toEqual([]);
    }
  });
});

describe('scan telemetry settings', () => {
  let ledger: LedgerApp;

  beforeAll(async () => {
    ledger = await startLedgerApp({ env: { SCAN_WARN_COUNT: '2', SCAN_MAX_SPEED_KMH: '5000' } });
    await recordEventNaming(ledger, [item('S1')]);
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('SCAN_WARN_COUNT and SCAN_MAX_SPEED_KMH change the warnings', async () => {
    const post = async (body: unknown) =>
      (await (await call(ledger.baseUrl, '/scans', { body })).json()) as Summary;
    expect((await post({ identifier: item('S1'), location: CHENGDU })).warning).toBeNull();
    await ledger.sql(`UPDATE scans SET scanned_at = scanned_at - interval '40 minutes'`);
    // ≈ 3,850 km/h is under 5,000 km/h: no far-apart, but the 2nd scan is "many".
    expect((await post({ identifier: item('S1'), location: HARBIN })).warning).toMatchObject({
      reason: 'many-scans',
      threshold: 2,
    });
  });
});
