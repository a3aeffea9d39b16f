// The demo data set on its own (no database): every document passes the service's validation for
// any base time, every GS1 key has the check digit the GS1 algorithm gives (recomputed here from
// the data, never typed), master data covers every identifier the events name, and the featured
// identifiers tell the stories they are shown for. Capture into PostgreSQL: test/e2e/demo.e2e.test.ts.
import { describe, expect, it } from '@jest/globals';
import {
  epcUriToDigitalLink,
  gs1CheckDigit,
  isValidCheckDigit,
  parseDigitalLink,
  verifyAiValue,
} from '@traceroot/trace';
import fc from 'fast-check';

import { validateCaptureDocument } from '../../capture/validation/validate-capture.js';
import { demoClock, formatLocal } from './clock.js';
import { buildDemo, DEMO_FEATURED, type DemoData, demoUrls, type EpcisEvent } from './index.js';

const BASE = new Date('2026-11-27T15:48:00Z');
const demo = buildDemo(BASE);

const eventsOf = (data: DemoData): EpcisEvent[] =>
  data.captures.flatMap((c) => c.document.epcisBody.eventList);
const events = eventsOf(demo);

type Quantity = { epcClass: string; quantity?: number; uom?: string };
const list = <T = string>(event: EpcisEvent, field: string): T[] =>
  Array.isArray(event[field]) ? (event[field] as T[]) : [];

/** Every EPC URI an event names, wherever it names one. */
const epcsOf = (event: EpcisEvent): string[] => [
  ...['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'].flatMap((f) => list(event, f)),
  ...(typeof event.parentID === 'string' ? [event.parentID] : []),
  ...['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'].flatMap((f) =>
    list<Quantity>(event, f).map((q) => q.epcClass),
  ),
  ...['readPoint', 'bizLocation'].flatMap((f) =>
    event[f] === undefined ? [] : [(event[f] as { id: string }).id],
  ),
  ...list<{ source: string }>(event, 'sourceList').map((s) => s.source),
  ...list<{ destination: string }>(event, 'destinationList').map((d) => d.destination),
];

/** The GS1 keys (AI, value) of a Digital Link, primary key and qualifiers. */
const keysOf = (uri: string): { ai: string; value: string }[] => {
  const dl = parseDigitalLink(uri);
  return [dl.primaryKey, ...dl.qualifiers];
};

// GS1 keys whose last digit is a mod-10 check digit (GTIN, SSCC, GLN, party GLN).
const CHECKED_AIS = new Set(['01', '00', '414', '417']);

const expectCheckDigit = (ai: string, value: string): void => {
  expect(isValidCheckDigit(value)).toBe(true);
  expect(Number(value.at(-1))).toBe(gs1CheckDigit(value.slice(0, -1)));
  expect(() => verifyAiValue(ai, value)).not.toThrow();
};

describe('the demo data set', () => {
  it('passes the service’s capture validation, document by document, for any base time', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2035-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (baseTime) => {
          for (const { document } of buildDemo(baseTime).captures) {
            expect(validateCaptureDocument(document).failures).toEqual([]);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('happens in the 50 days before the base time, in order within each scenario', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2035-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (baseTime) => {
          const times = eventsOf(buildDemo(baseTime)).map((e) => Date.parse(e.eventTime));
          for (const time of times) {
            expect(time).toBeLessThan(baseTime.getTime());
            expect(time).toBeGreaterThan(baseTime.getTime() - 50 * 86_400_000);
          }
        },
      ),
      { numRuns: 50 },
    );
    const scenarioOf = (by: string) => by.split('-')[0];
    for (const scenario of ['tea', 'berry']) {
      const times = demo.captures
        .filter((c) => scenarioOf(c.by) === scenario)
        .flatMap((c) => c.document.epcisBody.eventList.map((e) => Date.parse(e.eventTime)));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('is the same for the same base time, and every eventID is its CBV 2.0 event hash ID', () => {
    expect(buildDemo(new Date(BASE))).toEqual(demo);
    const results = demo.captures.flatMap(
      ({ document }) => validateCaptureDocument(document).events,
    );
    expect(results.map((r) => r.eventHashId)).toEqual(events.map((e) => e.eventID));
    expect(new Set(events.map((e) => e.eventID)).size).toBe(events.length);
  });

  it('uses the offsets of Yunnan, Shanghai and California (daylight saving time included)', () => {
    const offsets = (data: DemoData, by: string) =>
      new Set(
        data.captures
          .filter((c) => c.by.startsWith(by))
          .flatMap((c) => c.document.epcisBody.eventList.map((e) => e.eventTimeZoneOffset)),
      );
    expect(offsets(demo, 'tea')).toEqual(new Set(['+08:00']));
    expect(offsets(demo, 'berry')).toEqual(new Set(['-08:00']));
    expect(offsets(buildDemo(new Date('2026-07-20T12:00:00Z')), 'berry')).toEqual(
      new Set(['-07:00']),
    );
    // 2026: daylight saving time from 8 March to 1 November.
    const clock = demoClock(new Date('2026-03-10T12:00:00Z'));
    expect(formatLocal(clock.at(2, '09:00', 'US Pacific').instant, -480)).toBe(
      '2026-03-08T08:00:00.000-08:00',
    );
    expect(clock.at(3, '09:00', 'US Pacific').offset).toBe(-480);
    expect(clock.at(2, '09:00', 'US Pacific').offset).toBe(-420);
  });

  it('gives every GS1 key the check digit the GS1 algorithm computes', () => {
    const { parties, locations, products, lots } = demo.masterData;
    const numeric: [string, string][] = [
      ...demo.organizations.map((o): [string, string] => ['414', o.gln]),
      ...parties.map((p): [string, string] => ['417', p.pgln]),
      ...locations.map((l): [string, string] => ['414', l.gln]),
      ...locations.flatMap((l): [string, string][] =>
        l.owningParty ? [['417', l.owningParty]] : [],
      ),
      ...products.map((p): [string, string] => ['01', p.gtin]),
      ...lots.map((l): [string, string] => ['01', l.gtin]),
    ];
    // Every GS1 EPC URI of the events, as the GS1 key its Digital Link carries.
    const uris = [...new Set(events.flatMap(epcsOf))];
    expect(uris.length).toBeGreaterThan(850);
    for (const uri of uris) {
      for (const { ai, value } of keysOf(epcUriToDigitalLink(uri))) {
        if (CHECKED_AIS.has(ai)) numeric.push([ai, value]);
      }
    }
    const featured = [DEMO_FEATURED.teaCake.path, DEMO_FEATURED.recalledStrawberryLot.path];
    for (const path of featured) {
      for (const { ai, value } of keysOf(`https://id.gs1.org${path}`)) {
        if (CHECKED_AIS.has(ai)) numeric.push([ai, value]);
      }
    }
    expect(new Set(numeric.map(([ai]) => ai))).toEqual(CHECKED_AIS);
    for (const [ai, value] of numeric) expectCheckDigit(ai, value);
    // Scenario 1 uses Chinese prefixes (690–699), scenario 2 US ones (0…).
    for (const o of demo.organizations) {
      expect(o.gln).toMatch(o.key.startsWith('tea') ? /^69\d/ : /^0/);
    }
    expect(new Set(demo.organizations.map((o) => o.gln)).size).toBe(demo.organizations.length);
  });

  it('has master data for every product, lot, location and party the events name', () => {
    const { parties, locations, products, lots } = demo.masterData;
    const known = new Set([
      ...products.map((p) => `https://id.gs1.org/01/${p.gtin}`),
      ...lots.map((l) => `https://id.gs1.org/01/${l.gtin}/10/${encodeURIComponent(l.lot)}`),
      ...locations.map((l) => `https://id.gs1.org/414/${l.gln}`),
      ...parties.map((p) => `https://id.gs1.org/417/${p.pgln}`),
    ]);
    for (const uri of new Set(events.flatMap(epcsOf))) {
      const link = epcUriToDigitalLink(uri);
      const dl = parseDigitalLink(link);
      if (dl.primaryKey.ai === '00') continue; // cases and pallets: no master data
      if (dl.primaryKey.ai === '01' && dl.qualifiers.some((q) => q.ai === '21')) {
        expect(known).toContain(`https://id.gs1.org/01/${dl.primaryKey.value}`);
      } else {
        expect(known).toContain(link.replace(/\/254\/0$/, ''));
      }
    }
    // Each record is written by an organization of the demo, and party records by the party.
    const keys = new Set(demo.organizations.map((o) => o.key));
    for (const record of [...parties, ...locations, ...products, ...lots]) {
      expect(keys).toContain(record.owner);
    }
    for (const party of parties) {
      expect(demo.organizations.find((o) => o.key === party.owner)?.gln).toBe(party.pgln);
    }
    expect(Date.parse(demo.masterDataValidFrom)).toBeLessThan(
      Math.min(...events.map((e) => Date.parse(e.eventTime))),
    );
  });

  it('holds its quantities: 3 × 400 kg of leaf into 300 kg of cake, 840 cakes of 357 g, 42 a case', () => {
    const [pressing, serialising] = events.filter((e) => e.type === 'TransformationEvent');
    const kg = (qs: Quantity[]) => qs.reduce((sum, q) => sum + (q.quantity ?? 0), 0);
    expect(list<Quantity>(pressing!, 'inputQuantityList')).toHaveLength(3);
    expect(kg(list<Quantity>(pressing!, 'inputQuantityList'))).toBe(1200);
    expect(kg(list<Quantity>(pressing!, 'outputQuantityList'))).toBe(300);
    expect(pressing!['certificationInfo']).toMatch(/^https:\/\//);
    expect(list(serialising!, 'outputEPCList')).toHaveLength(840);
    expect(Math.abs(840 * 0.357 - 300)).toBeLessThan(0.5);
    const cases = events.filter((e) => e.type === 'AggregationEvent' && e.action === 'ADD');
    const teaCases = cases.filter((e) => list(e, 'childEPCs').length > 0);
    expect(teaCases).toHaveLength(20);
    for (const e of teaCases) expect(list(e, 'childEPCs')).toHaveLength(42);
  });

  it('measures the cold chain every 15 minutes, with one leg above 5 °C for an hour', () => {
    const sensed = events.filter((e) => e.sensorElementList !== undefined);
    expect(sensed.map((e) => e.bizStep)).toEqual([
      'storing',
      ...Array<string>(5).fill('receiving'),
    ]);
    const excursions = [];
    for (const event of sensed) {
      const reports = list<{ sensorReport: { time: string; value: number; type: string }[] }>(
        event,
        'sensorElementList',
      ).flatMap((s) => s.sensorReport);
      const times = reports.map((r) => Date.parse(r.time));
      times.slice(1).forEach((t, i) => expect(t - times[i]!).toBe(15 * 60_000));
      for (const r of reports) expect(r).toMatchObject({ type: 'gs1:Temperature', uom: 'CEL' });
      if (event.bizStep !== 'receiving') continue; // cooling starts warm, by definition
      const warm = reports.filter((r) => r.value > 5).map((r) => Date.parse(r.time));
      const alarms = reports.filter((r) => (r as { exception?: string }).exception);
      expect(alarms.map((r) => Date.parse(r.time))).toEqual(warm);
      if (warm.length > 0) excursions.push(Math.max(...warm) - Math.min(...warm));
    }
    expect(excursions).toEqual([60 * 60_000]);
  });

  it('features a tea cake serialised from its lot, packed, shipped to Shanghai and sold there', () => {
    const { gtin, lot, serial, path } = DEMO_FEATURED.teaCake;
    expect(path).toBe(`/01/${gtin}/10/${lot}/21/${serial}`);
    const sgtin = events
      .flatMap((e) => list(e, 'outputEPCList'))
      .find((epc) => epcUriToDigitalLink(epc) === `https://id.gs1.org/01/${gtin}/21/${serial}`);
    expect(sgtin).toBeDefined();
    const serialising = events.find((e) => list(e, 'outputEPCList').includes(sgtin!))!;
    expect(
      list<Quantity>(serialising, 'inputQuantityList').map((q) => epcUriToDigitalLink(q.epcClass)),
    ).toEqual([`https://id.gs1.org/01/${gtin}/10/${lot}`]);
    const packed = events.find((e) => list(e, 'childEPCs').includes(sgtin!) && e.action === 'ADD')!;
    const shipments = events.filter(
      (e) => e.bizStep === 'shipping' && list(e, 'epcList').includes(String(packed.parentID)),
    );
    expect(shipments).toHaveLength(2);
    expect(
      events.some((e) => e.bizStep === 'retail_selling' && list(e, 'epcList').includes(sgtin!)),
    ).toBe(true);
    expect(demoUrls('http://localhost:3001/')).toMatchObject({
      teaCakePage: `http://localhost:3001${path}`,
      teaCakeQrCode: `http://localhost:3001/qr${path}.png`,
    });
  });

  it('features a recalled clamshell lot whose pallet rode the warm truck', () => {
    const { gtin, lot, path } = DEMO_FEATURED.recalledStrawberryLot;
    const link = `https://id.gs1.org/01/${gtin}/10/${lot}`;
    expect(`https://id.gs1.org${path}`).toBe(link);
    const names = (e: EpcisEvent, field: string) =>
      list<Quantity>(e, field).map((q) => epcUriToDigitalLink(q.epcClass));
    const recall = events.find((e) => e.disposition === 'recalled')!;
    expect(recall.persistentDisposition).toEqual({ set: ['recalled'] });
    expect(names(recall, 'quantityList')).toContain(link);
    expect(names(recall, 'quantityList')).toHaveLength(2);
    const pallet = events.find(
      (e) => e.type === 'AggregationEvent' && names(e, 'childQuantityList').includes(link),
    )!;
    const receipts = events.filter(
      (e) => e.bizStep === 'receiving' && list(e, 'epcList').includes(String(pallet.parentID)),
    );
    expect(receipts).toHaveLength(2); // at the distribution center, then at the store
    const readings = list<{ sensorReport: { value: number }[] }>(receipts[1]!, 'sensorElementList');
    expect(
      Math.max(...readings.flatMap((s) => s.sensorReport.map((r) => r.value))),
    ).toBeGreaterThan(5);
  });
});
