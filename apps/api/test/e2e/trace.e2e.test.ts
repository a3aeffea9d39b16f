// GET /trace/{identifier} on the full service and real PostgreSQL: a small chain with a
// transformation (lots → lot → serialised items), packing into a case, shipping and unpacking,
// plus events that must NOT be reached (another case's journey, the case's later reuse). The
// expected sets are written out by hand from the chain below, not computed by the code under test.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink, type TraceBundle, verifyTraceBundle } from '@traceroot/trace';

import {
  call,
  epcisDocument,
  type LedgerApp,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const leafLot = (n: number) => `urn:epc:class:lgtin:0614141.712345.LEAF${n}`;
const CAKE_LOT = 'urn:epc:class:lgtin:0614141.812345.CAKE-1';
const cake = (n: number) => `urn:epc:id:sgtin:0614141.812345.${n}`;
const CASE = 'urn:epc:id:sscc:0614141.1234567890';
const OTHER_CASE = 'urn:epc:id:sscc:0614141.1234567891';
const MENGHAI = 'urn:epc:id:sgln:0614141.00001.0';
const KUNMING = 'urn:epc:id:sgln:0614141.00002.0';
const CARRIER = 'urn:epc:id:pgln:0614141.00003';

const at = (day: number, hour: number) =>
  `2026-04-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000+08:00`;
const base = (id: string, time: string) => ({
  eventID: `urn:uuid:00000000-0000-4000-8000-${id.padStart(12, '0')}`,
  eventTime: time,
  eventTimeZoneOffset: '+08:00',
});

// The chain, in time order. Event ids are short numbers so that failures read easily.
const EVENTS = [
  // 1–3: three fresh-leaf lots harvested (class level).
  ...[1, 2, 3].map((n) => ({
    type: 'ObjectEvent',
    ...base(String(n), at(1, 6 + n)),
    epcList: [],
    quantityList: [{ epcClass: leafLot(n), quantity: 400, uom: 'KGM' }],
    action: 'ADD',
    bizStep: 'commissioning',
    readPoint: { id: MENGHAI },
  })),
  // 4: a leaf lot that goes elsewhere (never an input of our cake lot).
  {
    type: 'ObjectEvent',
    ...base('4', at(1, 10)),
    epcList: [],
    quantityList: [{ epcClass: leafLot(9), quantity: 400, uom: 'KGM' }],
    action: 'ADD',
    bizStep: 'commissioning',
    readPoint: { id: MENGHAI },
  },
  // 5: pressing: three leaf lots → the cake lot.
  {
    type: 'TransformationEvent',
    ...base('5', at(2, 8)),
    inputQuantityList: [1, 2, 3].map((n) => ({ epcClass: leafLot(n), quantity: 400, uom: 'KGM' })),
    outputQuantityList: [{ epcClass: CAKE_LOT, quantity: 300, uom: 'KGM' }],
    bizStep: 'creating_class_instance',
    readPoint: { id: MENGHAI },
  },
  // 6: serialising: the cake lot → cakes 1 and 2.
  {
    type: 'TransformationEvent',
    ...base('6', at(2, 12)),
    inputQuantityList: [{ epcClass: CAKE_LOT, quantity: 0.714, uom: 'KGM' }],
    outputEPCList: [cake(1), cake(2)],
    bizStep: 'commissioning',
    readPoint: { id: MENGHAI },
  },
  // 7: a journey of the case BEFORE our cakes were packed into it: not part of their trace.
  {
    type: 'ObjectEvent',
    ...base('7', at(2, 13)),
    epcList: [CASE],
    action: 'OBSERVE',
    bizStep: 'inspecting',
    readPoint: { id: MENGHAI },
  },
  // 8: packing cakes 1 and 2 into the case.
  {
    type: 'AggregationEvent',
    ...base('8', at(3, 8)),
    parentID: CASE,
    childEPCs: [cake(1), cake(2)],
    action: 'ADD',
    bizStep: 'packing',
    readPoint: { id: MENGHAI },
  },
  // 9: shipping the case, carrier named.
  {
    type: 'ObjectEvent',
    ...base('9', at(3, 12)),
    epcList: [CASE],
    action: 'OBSERVE',
    bizStep: 'shipping',
    readPoint: { id: MENGHAI },
    sourceList: [{ type: 'location', source: MENGHAI }],
    destinationList: [
      { type: 'location', destination: KUNMING },
      { type: 'possessing_party', destination: CARRIER },
    ],
  },
  // 10: another case shipped the same day: not ours.
  {
    type: 'ObjectEvent',
    ...base('10', at(3, 13)),
    epcList: [OTHER_CASE],
    action: 'OBSERVE',
    bizStep: 'shipping',
    readPoint: { id: MENGHAI },
  },
  // 11: receiving the case in Kunming.
  {
    type: 'ObjectEvent',
    ...base('11', at(5, 9)),
    epcList: [CASE],
    action: 'OBSERVE',
    bizStep: 'receiving',
    readPoint: { id: KUNMING },
  },
  // 12: unpacking the case.
  {
    type: 'AggregationEvent',
    ...base('12', at(5, 10)),
    parentID: CASE,
    childEPCs: [cake(1), cake(2)],
    action: 'DELETE',
    bizStep: 'unpacking',
    readPoint: { id: KUNMING },
  },
  // 13: the case reused afterwards: not part of the cakes' journey.
  {
    type: 'ObjectEvent',
    ...base('13', at(6, 9)),
    epcList: [CASE],
    action: 'OBSERVE',
    bizStep: 'shipping',
    readPoint: { id: KUNMING },
  },
  // 14: cake 1 sold.
  {
    type: 'ObjectEvent',
    ...base('14', at(7, 15)),
    epcList: [cake(1)],
    action: 'DELETE',
    bizStep: 'retail_selling',
    readPoint: { id: KUNMING },
  },
  // 15: cake 2 sold (not on cake 1's backward trace).
  {
    type: 'ObjectEvent',
    ...base('15', at(7, 16)),
    epcList: [cake(2)],
    action: 'DELETE',
    bizStep: 'retail_selling',
    readPoint: { id: KUNMING },
  },
];

const idOf = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ids = (...ns: number[]) => ns.map(idOf).sort();

type TraceView = {
  start: string[];
  truncated: boolean;
  nodes: { id: string; kind: string; depth?: number; level?: string }[];
  edges: { eventID: string; inputs: string[]; outputs: string[] }[];
  events: (Record<string, unknown> & { eventID: string; ledger: { leafIndex: number } })[];
  bundle?: TraceBundle | null;
  unsealed?: string[];
  checkpoint?: { treeSize: number; signedAt: string | null };
};

describe('GET /trace/{identifier}', () => {
  let ledger: LedgerApp;
  const trace = async (identifier: string, query = ''): Promise<TraceView> => {
    const response = await call(ledger.baseUrl, `/trace/${encodeURIComponent(identifier)}${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as TraceView;
  };
  const eventIdsOf = (view: TraceView) => view.events.map((e) => e.eventID).sort();
  // cake 1 as a shopper's Digital Link: GTIN + lot + serial.
  const cakeGtinPath = new URL(epcUriToDigitalLink(cake(1))).pathname.split('/21/')[0]!;
  const cakeLink = `${cakeGtinPath}/10/CAKE-1/21/1`;

  beforeAll(async () => {
    ledger = await startLedgerApp();
    const response = await call(ledger.baseUrl, '/capture', {
      key: ledger.apiKey,
      body: epcisDocument(EVENTS),
    });
    expect([response.status, response.status === 202 ? '' : await response.text()]).toEqual([
      202,
      '',
    ]);
    await ledger.seal();
  }, 60_000);
  afterAll(async () => ledger?.close());

  it('backward from a sold cake: its origin lots, the pressing, its case while it was in it', async () => {
    const view = await trace(cakeLink, '?direction=backward');
    expect(view.start).toEqual([epcUriToDigitalLink(cake(1)), epcUriToDigitalLink(CAKE_LOT)]);
    expect(eventIdsOf(view)).toEqual(ids(1, 2, 3, 5, 6, 8, 9, 11, 12, 14));
    expect(view.truncated).toBe(false);
    // oldest first
    const times = view.events.map((e) => Date.parse(String(e.eventTime)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('names the identifiers, locations and parties as nodes, and the transformation as an edge', async () => {
    const view = await trace(cakeLink, '?direction=backward');
    const byId = new Map(view.nodes.map((n) => [n.id, n]));
    expect(byId.get(epcUriToDigitalLink(leafLot(1)))).toMatchObject({
      kind: 'identifier',
      level: 'class',
      depth: 1,
    });
    expect(byId.get(epcUriToDigitalLink(CASE))).toMatchObject({
      kind: 'identifier',
      level: 'instance',
      depth: 1,
    });
    expect(byId.get(epcUriToDigitalLink(KUNMING))).toMatchObject({ kind: 'location' });
    expect(byId.get(epcUriToDigitalLink(CARRIER))).toMatchObject({ kind: 'party' });
    expect(byId.has(epcUriToDigitalLink(leafLot(9)))).toBe(false);
    const pressing = view.edges.find((e) => e.eventID === idOf(5))!;
    expect(pressing.inputs.sort()).toEqual(
      [1, 2, 3].map((n) => epcUriToDigitalLink(leafLot(n))).sort(),
    );
    expect(pressing.outputs).toEqual([epcUriToDigitalLink(CAKE_LOT)]);
    const packing = view.edges.find((e) => e.eventID === idOf(8))!;
    expect(packing.outputs).toEqual([epcUriToDigitalLink(CASE)]);
  });

  it('forward from a leaf lot: the pressing, both cakes, their case until unpacked, both sales', async () => {
    const view = await trace(leafLot(2), '?direction=forward');
    expect(eventIdsOf(view)).toEqual(ids(2, 5, 6, 8, 9, 11, 12, 14, 15));
  });

  it('both directions from the cake lot, given as a Digital Link URI on any host', async () => {
    const view = await trace(`https://example.com${cakeGtinPath}/10/CAKE-1`);
    expect(eventIdsOf(view)).toEqual(ids(1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15));
  });

  it('maxDepth bounds the walk and says so', async () => {
    const view = await trace(cakeLink, '?direction=backward&maxDepth=0');
    expect(eventIdsOf(view)).toEqual(ids(5, 6, 8, 12, 14));
    expect(view.truncated).toBe(true);
  });

  it('bundle=true proves every event of the trace in one bundle', async () => {
    const view = await trace(cakeLink, '?direction=backward&bundle=true');
    expect(view.unsealed).toEqual([]);
    const verdict = verifyTraceBundle(view.bundle!, [ledger.verifierKey]);
    expect(view.checkpoint?.treeSize).toBe(verdict.ok ? verdict.treeSize : -1);
    expect(Date.now() - Date.parse(view.checkpoint!.signedAt!)).toBeGreaterThanOrEqual(0);
    expect(Date.now() - Date.parse(view.checkpoint!.signedAt!)).toBeLessThan(10 * 60_000);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.entries.map((e) => e.fields.eventID).sort()).toEqual(eventIdsOf(view));
    expect(verdict.entries.map((e) => e.leafIndex).sort((a, b) => a - b)).toEqual(
      view.events.map((e) => e.ledger.leafIndex).sort((a, b) => a - b),
    );
  });

  it('GET /events?MATCH_anyEPC / MATCH_anyEPCClass: exactly the events naming them, in every page size', async () => {
    const listed = async (query: string): Promise<string[]> => {
      const ids: string[] = [];
      let next: string | null = `/events?${query}`;
      while (next) {
        const response = await call(ledger.baseUrl, next);
        expect(response.status).toBe(200);
        const body = (await response.json()) as {
          epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
        };
        ids.push(...body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID));
        next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
      }
      return ids.sort();
    };
    const q = (name: string, ...values: string[]) =>
      `${name}=${encodeURIComponent(values.join('|'))}`;
    expect(await listed(q('MATCH_anyEPC', cake(1)))).toEqual(ids(6, 8, 12, 14));
    expect(await listed(`${q('MATCH_anyEPC', epcUriToDigitalLink(cake(1)))}&perPage=1`)).toEqual(
      ids(6, 8, 12, 14),
    );
    expect(await listed(q('MATCH_anyEPC', cake(2), CASE))).toEqual(ids(6, 7, 8, 9, 11, 12, 13, 15));
    expect(await listed(q('MATCH_anyEPCClass', CAKE_LOT))).toEqual(ids(5, 6));
    const bad = await call(ledger.baseUrl, `/events?${q('MATCH_anyEPC', 'urn:epc:id:sgtin:nope')}`);
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).detail).toContain('MATCH_anyEPC');
  });

  it('an unknown identifier is an empty trace, not an error', async () => {
    const view = await trace(cake(77));
    expect(view.events).toEqual([]);
    expect(view.edges).toEqual([]);
  });

  it.each([
    ['/01/09506000134353/21/1', '', 'check digit'],
    ['/01/09506000134352/21/1/10/LOT', '', ''],
    ['urn:epc:id:sgtin:nonsense', '', 'EPC'],
    [cake(1), '?direction=sideways', 'direction'],
    [cake(1), '?maxDepth=-1', 'maxDepth'],
    [cake(1), '?maxDepth=51', 'maxDepth'],
    [cake(1), '?bundle=yes', 'bundle'],
  ])('%s%s → 400 naming the problem', async (identifier, query, named) => {
    const response = await call(ledger.baseUrl, `/trace/${encodeURIComponent(identifier)}${query}`);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe('epcisException:QueryParameterException');
    expect(problem.detail).toContain(named);
  });
});
