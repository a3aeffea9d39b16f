// POST /recalls and GET /recalls[/{id}] on the full service and real PostgreSQL, with the demo's
// scenario 2 loaded over HTTP (strawberries: field lots → packed clamshell lots → pallets → a
// distribution centre → three stores). The lab finds field lot SV-R12-B2 contaminated; its recall
// must reach exactly what an independent walk over the scenario's own events (below, written
// without the trace code) says is downstream, and every affected identifier's backward trace —
// what the consumer page reads — must carry a recall event naming it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink } from '@traceroot/trace';

import { loadDemo, type LoadedDemo } from '../../src/demo/load-demo.js';
import { buildDemo, DEMO_FEATURED, type EpcisEvent } from '../../src/demo/scenarios/index.js';
import { call, type LedgerApp, problemOf, startLedgerApp } from '../support/ledger-app.js';

const BASE_TIME = new Date('2026-11-27T15:00:00Z');
const demo = buildDemo(BASE_TIME);
const strawberryEvents: EpcisEvent[] = demo.captures
  .filter((c) => c.by.startsWith('berry-'))
  .flatMap((c) => c.document.epcisBody.eventList);

const FIELD_LOT = demo.masterData.lots.find((l) => l.lot === 'SV-R12-B2')!;
const FIELD_LOT_DL = `https://id.gs1.org/01/${FIELD_LOT.gtin}/10/${FIELD_LOT.lot}`;

type RecallView = {
  id: string;
  reason: string;
  classification?: string;
  contact?: string;
  organizationId: string;
  recalled: string[];
  eventIDs: string[];
  recalledAt: string;
  createdAt: string;
  affected: {
    lots: string[];
    epcs: string[];
    locations: string[];
    parties: string[];
    truncated: boolean;
    eventCount: number;
  };
};

type TraceView = {
  edges: { eventID: string; inputs: string[]; outputs: string[] }[];
  events: Record<string, unknown>[];
};

const dl = (id: string): string => (id.startsWith('urn:epc:') ? epcUriToDigitalLink(id) : id);
const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const epcsOf = (e: EpcisEvent, key: string): string[] => list(e[key]).map((x) => dl(String(x)));
const classesOf = (e: EpcisEvent, key: string): string[] =>
  list(e[key]).map((q) => dl(String(record(q).epcClass)));
const namedBy = (e: EpcisEvent): string[] => [
  ...epcsOf(e, 'epcList'),
  ...epcsOf(e, 'childEPCs'),
  ...(typeof e.parentID === 'string' ? [dl(e.parentID)] : []),
  ...classesOf(e, 'quantityList'),
  ...classesOf(e, 'childQuantityList'),
  ...classesOf(e, 'inputQuantityList'),
  ...classesOf(e, 'outputQuantityList'),
];
const isRecall = (e: EpcisEvent): boolean => record(e.persistentDisposition).set !== undefined;

/**
 * Downstream of `start` in the scenario, by a plain fixpoint: a transformation with an affected
 * input makes its outputs affected; packing an affected lot into a pallet makes the pallet
 * affected from that moment. The places and parties are those the events naming an affected
 * identifier (after it became affected) name, recall events aside.
 */
const downstream = (start: string) => {
  const since = new Map<string, number>([[start, -Infinity]]);
  for (let changed = true; changed;) {
    changed = false;
    for (const e of strawberryEvents) {
      const t = Date.parse(e.eventTime);
      const reached = (ids: string[]) => ids.some((id) => (since.get(id) ?? Infinity) <= t);
      const next =
        e.type === 'TransformationEvent' && reached(classesOf(e, 'inputQuantityList'))
          ? classesOf(e, 'outputQuantityList')
          : e.type === 'AggregationEvent' &&
              e.action === 'ADD' &&
              reached(classesOf(e, 'childQuantityList'))
            ? [dl(String(e.parentID))]
            : [];
      for (const id of next) {
        if (!since.has(id)) {
          since.set(id, t);
          changed = true;
        }
      }
    }
  }
  const locations = new Set<string>();
  const parties = new Set<string>();
  for (const e of strawberryEvents) {
    if (isRecall(e)) continue;
    const t = Date.parse(e.eventTime);
    if (!namedBy(e).some((id) => (since.get(id) ?? Infinity) <= t)) continue;
    for (const key of ['readPoint', 'bizLocation']) {
      const id = record(e[key]).id;
      if (typeof id === 'string') locations.add(dl(id));
    }
    for (const [listKey, key] of [
      ['sourceList', 'source'],
      ['destinationList', 'destination'],
    ] as const) {
      for (const entry of list(e[listKey]).map(record)) {
        (entry.type === 'location' ? locations : parties).add(dl(String(entry[key])));
      }
    }
  }
  const ids = [...since.keys()];
  return {
    lots: ids.filter((id) => id.includes('/10/')).sort(),
    epcs: ids.filter((id) => !id.includes('/10/')).sort(),
    locations: [...locations].sort(),
    parties: [...parties].sort(),
  };
};

describe('recalls (e2e)', () => {
  let ledger: LedgerApp;
  let loaded: LoadedDemo;
  let brandOwnerKey: string;
  let recall: RecallView;
  let location: string | null;

  const counts = async () => {
    const [row] = await ledger.sql<{ events: string; recalls: string }>(
      'SELECT (SELECT count(*) FROM events)::text AS events, (SELECT count(*) FROM recalls)::text AS recalls',
    );
    return row!;
  };

  beforeAll(async () => {
    ledger = await startLedgerApp({ env: { SEAL_INTERVAL_MS: '100' } });
    loaded = await loadDemo({
      baseUrl: ledger.baseUrl,
      adminKey: ledger.adminKey,
      baseTime: BASE_TIME,
      timeoutMs: 60_000,
    });
    brandOwnerKey = loaded.organizations.find((o) => o.key === 'berry-brand-owner')!.apiKey;
    const response = await call(ledger.baseUrl, '/recalls', {
      key: brandOwnerKey,
      body: {
        gtin: FIELD_LOT.gtin,
        lot: FIELD_LOT.lot,
        reason: 'Salmonella detected in a laboratory sample of field lot SV-R12-B2',
        classification: 'I',
        contact: 'recalls@sunrise-berries.example, +1 831 555 0100',
      },
    });
    expect(response.status).toBe(201);
    location = response.headers.get('location');
    recall = (await response.json()) as RecallView;
  }, 180_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('lists exactly the downstream lots, EPCs, locations and parties', () => {
    const expected = downstream(FIELD_LOT_DL);
    // The scenario's own words: the two clamshell lots packed from the field lot, and their pallets.
    expect(expected.lots).toHaveLength(3);
    expect(expected.epcs).toHaveLength(2);
    expect(recall.recalled).toEqual([FIELD_LOT_DL]);
    expect(recall.affected).toEqual({
      ...expected,
      truncated: false,
      eventCount: expect.any(Number),
    });
    // Two of the three stores got the pallets: San Jose and Sacramento, not Oakland.
    const stores = demo.masterData.locations.filter((l) => l.name.startsWith('Harvest Market'));
    const reached = stores
      .filter((s) => recall.affected.locations.includes(`https://id.gs1.org/414/${s.gln}`))
      .map((s) => s.name.split(', ')[1]);
    expect(reached.sort()).toEqual(['Sacramento', 'San Jose']);
  });

  it('answers 201 with the Location of the recall, and GET /recalls/{id} round-trips', async () => {
    expect(location).toBe(`/recalls/${recall.id}`);
    const response = await call(ledger.baseUrl, location!); // public: no key
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(recall);
    expect(recall).toMatchObject({
      reason: 'Salmonella detected in a laboratory sample of field lot SV-R12-B2',
      classification: 'I',
      contact: 'recalls@sunrise-berries.example, +1 831 555 0100',
      organizationId: loaded.organizations.find((o) => o.key === 'berry-brand-owner')!.id,
    });
  });

  it('records the recall as EPCIS events in the log: holding, recalled, persistently', async () => {
    expect(recall.eventIDs.length).toBeGreaterThan(0);
    const named = new Set<string>();
    for (const eventID of recall.eventIDs) {
      const response = await call(ledger.baseUrl, `/events/${encodeURIComponent(eventID)}`);
      expect(response.status).toBe(200);
      const event = (await response.json()) as Record<string, unknown> & {
        ledger: { leafIndex: number };
      };
      expect(event).toMatchObject({
        type: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: 'holding',
        disposition: 'recalled',
        persistentDisposition: { set: ['recalled'] },
        'recall:recallID': `urn:uuid:${recall.id}`,
        eventTime: recall.recalledAt,
      });
      expect(event.eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      expect(event.ledger.leafIndex).toBeGreaterThanOrEqual(loaded.treeSize);
      for (const id of epcsOf(event as unknown as EpcisEvent, 'epcList')) named.add(id);
      for (const id of classesOf(event as unknown as EpcisEvent, 'quantityList')) named.add(id);
    }
    expect([...named].sort()).toEqual([...recall.affected.lots, ...recall.affected.epcs].sort());
    // The query index has them: GET /events?MATCH_anyEPCClass finds the recall of each lot.
    for (const lot of recall.affected.lots) {
      const page = await call(
        ledger.baseUrl,
        `/events?MATCH_anyEPCClass=${encodeURIComponent(lot)}&perPage=1000`,
      );
      const body = (await page.json()) as {
        epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
      };
      const ids = body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID);
      expect(ids.some((id) => recall.eventIDs.includes(id))).toBe(true);
    }
  });

  it('puts a recall naming it in the backward trace of every affected item (the consumer page)', async () => {
    // The page's story builder (apps/web lib/story/build.ts activeRecall) shows the banner when an
    // event of the item's backward trace sets `recalled` on an identifier its edge names.
    for (const id of [...recall.affected.lots, ...recall.affected.epcs]) {
      const response = await call(
        ledger.baseUrl,
        `/trace/${encodeURIComponent(id)}?direction=backward`,
      );
      expect(response.status).toBe(200);
      const trace = (await response.json()) as TraceView;
      const recallEdges = trace.edges.filter((e) => recall.eventIDs.includes(e.eventID));
      expect(recallEdges.some((e) => e.inputs.includes(id) || e.outputs.includes(id))).toBe(true);
      const event = trace.events.find((e) => recall.eventIDs.includes(String(e.eventID)))!;
      expect(record(event.persistentDisposition).set).toEqual(['recalled']);
    }
    // An item that is not downstream (the clamshell lot packed from another field lot) has none.
    const other = demo.masterData.lots.find((l) => l.lot === 'PCP-4101')!;
    const response = await call(
      ledger.baseUrl,
      `/trace/${encodeURIComponent(`/01/${other.gtin}/10/${other.lot}`)}?direction=backward`,
    );
    const trace = (await response.json()) as TraceView;
    expect(trace.edges.some((e) => recall.eventIDs.includes(e.eventID))).toBe(false);
  });

  it('reaches serialised items made from a lot, in several events, and each item page sees it', async () => {
    // Scenario 1: the pressed tea cake lot was serialised into 840 cakes (a TransformationEvent).
    const { gtin, lot, serial } = DEMO_FEATURED.teaCake;
    const cooperative = loaded.organizations.find((o) => o.key === 'tea-cooperative')!;
    const response = await call(ledger.baseUrl, '/recalls', {
      key: cooperative.apiKey,
      body: { gtin, lot, reason: 'Mould found in retained samples' },
    });
    expect(response.status).toBe(201);
    const teaRecall = (await response.json()) as RecallView;
    const cake = `https://id.gs1.org/01/${gtin}/21/${serial}`;
    expect(teaRecall.affected.epcs).toContain(cake);
    const cakes = teaRecall.affected.epcs.filter((id) => id.includes('/21/'));
    expect(cakes).toHaveLength(840);
    // 840 cakes and their cases: more identifiers than one event names.
    expect(teaRecall.eventIDs.length).toBe(
      Math.ceil((teaRecall.affected.lots.length + teaRecall.affected.epcs.length) / 500),
    );
    expect(teaRecall.eventIDs.length).toBeGreaterThan(1);
    // The cake's own page, even by its serial alone, sees a recall event naming it.
    const trace = (await (
      await call(
        ledger.baseUrl,
        `/trace/${encodeURIComponent(`/01/${gtin}/21/${serial}`)}?direction=backward`,
      )
    ).json()) as TraceView;
    const named = trace.edges.filter(
      (e) => teaRecall.eventIDs.includes(e.eventID) && [...e.inputs, ...e.outputs].includes(cake),
    );
    expect(named).toHaveLength(1);
  });

  it('lists recalls newest first, in pages', async () => {
    const second = await call(ledger.baseUrl, '/recalls', {
      key: brandOwnerKey,
      body: {
        epcs: [recall.affected.epcs[0]!],
        reason: 'Pallet held for inspection',
        readPoint: 'urn:epc:id:sgln:0778899.00018.0',
      },
    });
    expect(second.status).toBe(201);
    const secondView = (await second.json()) as RecallView;
    expect(secondView.recalled).toEqual([recall.affected.epcs[0]]);
    expect(secondView.affected.epcs).toContain(recall.affected.epcs[0]);
    const event = (await (
      await call(ledger.baseUrl, `/events/${encodeURIComponent(secondView.eventIDs[0]!)}`)
    ).json()) as Record<string, unknown>;
    expect(event.readPoint).toEqual({ id: 'urn:epc:id:sgln:0778899.00018.0' });

    // Page by page (perPage=1), following Link: rel="next", newest first.
    type Summary = Omit<RecallView, 'affected'> & {
      affectedCounts: Record<'lots' | 'epcs' | 'locations' | 'parties', number>;
      truncated: boolean;
    };
    const seen: Summary[] = [];
    let path: string | null = '/recalls?perPage=1';
    while (path !== null) {
      const response = await call(ledger.baseUrl, path);
      expect(response.status).toBe(200);
      const page = (await response.json()) as {
        recalls: Summary[];
        nextPageToken: string | null;
      };
      expect(page.recalls.length).toBeLessThanOrEqual(1);
      seen.push(...page.recalls);
      const link = response.headers.get('link');
      expect(link !== null).toBe(page.nextPageToken !== null);
      path = link === null ? null : /^<([^>]+)>; rel="next"$/.exec(link)![1]!;
    }
    const all = (await (await call(ledger.baseUrl, '/recalls')).json()) as {
      recalls: Summary[];
    };
    expect(seen).toEqual(all.recalls);
    expect(seen[0]!.id).toBe(secondView.id);
    expect(seen.at(-1)!.id).toBe(recall.id);
    // Each entry is the recall without its lists, with their sizes.
    const { affected, ...fields } = recall;
    expect(seen.at(-1)).toEqual({
      ...fields,
      affectedCounts: {
        lots: affected.lots.length,
        epcs: affected.epcs.length,
        locations: affected.locations.length,
        parties: affected.parties.length,
      },
      truncated: false,
    });
    const times = seen.map((r) => Date.parse(r.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it.each([
    ['no reason', { lot: FIELD_LOT_DL }, '/reason'],
    ['an empty reason', { lot: FIELD_LOT_DL, reason: '  ' }, '/reason'],
    ['neither lot nor epcs', { reason: 'x' }, '/lot'],
    [
      'both lot and epcs',
      { lot: FIELD_LOT_DL, epcs: ['urn:epc:id:sscc:0845123.0000410103'], reason: 'x' },
      '/epcs',
    ],
    [
      'a GTIN without a lot',
      { lot: `https://id.gs1.org/01/${FIELD_LOT.gtin}`, reason: 'x' },
      '/lot',
    ],
    ['a bad check digit', { gtin: '00614141200011', lot: 'SV-R12-B2', reason: 'x' }, '/gtin'],
    [
      'a gtin without a lot',
      { gtin: FIELD_LOT.gtin, epcs: ['urn:epc:id:sscc:0845123.0000410103'], reason: 'x' },
      '/gtin',
    ],
    [
      'an invalid EPC',
      { epcs: ['urn:epc:id:sscc:0845123.0000410103', 'not an epc'], reason: 'x' },
      '/epcs/1',
    ],
    [
      'a read point that is no location',
      { lot: FIELD_LOT_DL, reason: 'x', readPoint: FIELD_LOT_DL },
      '/readPoint',
    ],
    [
      'an unknown class',
      { lot: FIELD_LOT_DL, reason: 'x', classification: 'IV' },
      '/classification',
    ],
    ['an unknown field', { lot: FIELD_LOT_DL, reason: 'x', severity: 'high' }, '/severity'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_case, body, pointer) => {
    const before = await counts();
    const response = await call(ledger.baseUrl, '/recalls', { key: brandOwnerKey, body });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
    expect(await counts()).toEqual(before);
  });

  it('answers 404 naming the field for a lot or EPC no event names, writing nothing', async () => {
    const before = await counts();
    const lot = await call(ledger.baseUrl, '/recalls', {
      key: brandOwnerKey,
      body: { gtin: FIELD_LOT.gtin, lot: 'NO-SUCH-LOT', reason: 'x' },
    });
    expect(lot.status).toBe(404);
    expect((await problemOf(lot)).errors.map((e) => e.pointer)).toEqual(['/lot']);
    const epcs = await call(ledger.baseUrl, '/recalls', {
      key: brandOwnerKey,
      body: {
        epcs: [recall.affected.epcs[0]!, 'urn:epc:id:sscc:0845123.0000499999'],
        reason: 'x',
      },
    });
    expect(epcs.status).toBe(404);
    expect((await problemOf(epcs)).errors.map((e) => e.pointer)).toEqual(['/epcs/1']);
    expect(await counts()).toEqual(before);
  });

  it('needs an organization key: 401 without one, 403 for a key of no organization', async () => {
    const body = { lot: FIELD_LOT_DL, reason: 'x' };
    expect((await call(ledger.baseUrl, '/recalls', { body })).status).toBe(401);
    const admin = await call(ledger.baseUrl, '/recalls', { key: ledger.adminKey, body });
    expect(admin.status).toBe(403);
    await problemOf(admin);
    expect((await call(ledger.baseUrl, '/recalls/not-a-uuid')).status).toBe(404);
    expect(
      (await call(ledger.baseUrl, '/recalls/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });
});
