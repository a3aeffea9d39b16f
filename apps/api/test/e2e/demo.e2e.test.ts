// The demo loader (src/demo/load-demo.ts) end to end against the full service on a fresh
// PostgreSQL database, over HTTP with an admin key: the organizations and their keys, the master
// data, every capture job SUCCESS with every event stored under its own organization, a signed
// checkpoint covering them all, the featured identifiers traceable; a second run is refused and
// changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink, openCheckpoint } from '@traceroot/trace';

import { DemoError, type LoadedDemo, loadDemo } from '../../src/demo/load-demo.js';
import { buildDemo, DEMO_FEATURED } from '../../src/demo/scenarios/index.js';
import { call, type LedgerApp, startLedgerApp } from '../support/ledger-app.js';

const BASE_TIME = new Date('2026-11-27T15:00:00Z');
const demo = buildDemo(BASE_TIME);
const demoEvents = demo.captures.flatMap((c) =>
  c.document.epcisBody.eventList.map((event) => ({ by: c.by, event })),
);

type TraceView = {
  nodes: { id: string }[];
  edges: { eventID: string; bizStep?: string }[];
};

describe('loadDemo (e2e)', () => {
  let ledger: LedgerApp;
  let loaded: LoadedDemo;
  const lines: string[] = [];

  beforeAll(async () => {
    ledger = await startLedgerApp({ env: { SEAL_INTERVAL_MS: '100' } });
    loaded = await loadDemo({
      baseUrl: ledger.baseUrl,
      adminKey: ledger.adminKey,
      baseTime: BASE_TIME,
      log: (line) => lines.push(line),
      timeoutMs: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('creates one organization per party, each with a working API key', async () => {
    expect(loaded.organizations.map((o) => o.gln)).toEqual(demo.organizations.map((o) => o.gln));
    const rows = await ledger.sql<{ name: string; gln: string; keys: string }>(
      `SELECT o.name, o.gln, count(k.id)::text AS keys FROM organizations o
         JOIN api_keys k ON k.organization_id = o.id WHERE o.gln = ANY($1) GROUP BY o.id`,
      [demo.organizations.map((o) => o.gln)],
    );
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.keys === '1')).toBe(true);
    for (const organization of loaded.organizations) {
      const response = await call(ledger.baseUrl, '/capture', { key: organization.apiKey });
      expect(response.status).toBe(200);
    }
  });

  it('captures every document as its own organization’s job, all SUCCESS', async () => {
    const jobs = await ledger.sql<{ status: string; event_count: number; gln: string }>(
      `SELECT j.status, j.event_count, o.gln FROM capture_jobs j
         JOIN organizations o ON o.id = j.organization_id ORDER BY j.created_at`,
    );
    const glnOf = new Map(demo.organizations.map((o) => [o.key, o.gln]));
    expect(jobs).toEqual(
      demo.captures.map((c) => ({
        status: 'SUCCESS',
        event_count: c.document.epcisBody.eventList.length,
        gln: glnOf.get(c.by),
      })),
    );
    const stored = await ledger.sql<{ event_id: string; gln: string }>(
      `SELECT e.event_id, o.gln FROM events e JOIN organizations o ON o.id = e.organization_id
         WHERE e.event_id NOT IN (SELECT event_id FROM admin_actions) ORDER BY e.leaf_index`,
    );
    expect(stored).toEqual(
      demoEvents.map(({ by, event }) => ({ event_id: event.eventID, gln: glnOf.get(by) })),
    );
    expect(loaded.events).toBe(65);
  });

  it('waits until a signed checkpoint covers every demo event', async () => {
    const note = await (await call(ledger.baseUrl, '/log/checkpoint')).text();
    const { checkpoint } = openCheckpoint(note, [ledger.verifierKey], { origin: ledger.origin });
    expect(checkpoint.treeSize).toBeGreaterThanOrEqual(loaded.treeSize);
    // Each POST /admin/organizations appends its record to the log too (docs/specs/admin.md).
    expect(loaded.treeSize).toBe(demoEvents.length + demo.organizations.length);
    expect(lines.at(-1)).toContain(`covers all ${demoEvents.length} demo events`);
    expect(lines.filter((l) => l.includes('capture '))).toHaveLength(demo.captures.length);
  });

  it('writes the master data, backdated before the events', async () => {
    const { gtin, lot } = DEMO_FEATURED.teaCake;
    const product = await call(ledger.baseUrl, `/masterdata/products/${gtin}`);
    expect(product.status).toBe(200);
    const body = JSON.stringify(await product.json());
    expect(body).toContain('布朗山古树普洱生茶饼');
    expect(body).toContain(demo.masterDataValidFrom.slice(0, 10));
    const lotRecord = await call(ledger.baseUrl, `/masterdata/products/${gtin}/lots/${lot}`);
    expect(lotRecord.status).toBe(200);
    const location = demo.masterData.locations[0]!;
    expect((await call(ledger.baseUrl, `/masterdata/locations/${location.gln}`)).status).toBe(200);
    const party = demo.masterData.parties.at(-1)!;
    expect((await call(ledger.baseUrl, `/masterdata/parties/${party.pgln}`)).status).toBe(200);
  });

  it('makes the featured tea cake traceable back to its harvests and on to its sale', async () => {
    const path = encodeURIComponent(DEMO_FEATURED.teaCake.path);
    const response = await call(ledger.baseUrl, `/trace/${path}?direction=both`);
    expect(response.status).toBe(200);
    const trace = (await response.json()) as TraceView;
    const steps = trace.edges.map((e) => e.bizStep ?? '');
    for (const step of ['commissioning', 'packing', 'shipping', 'receiving', 'retail_selling']) {
      expect(steps.some((s) => s.endsWith(step))).toBe(true);
    }
    const ids = new Set(trace.nodes.map((n) => n.id));
    const freshLeaf = demo.masterData.lots.filter((l) => l.lot.startsWith('BLS-XY-'));
    expect(freshLeaf).toHaveLength(3);
    for (const l of freshLeaf) expect(ids).toContain(`https://id.gs1.org/01/${l.gtin}/10/${l.lot}`);
  });

  it('makes the recalled lot reachable from the contaminated field lot, with its recall', async () => {
    const fieldLot = demo.masterData.lots.find((l) => l.lot === 'SV-R12-B2')!;
    const start = encodeURIComponent(`/01/${fieldLot.gtin}/10/${fieldLot.lot}`);
    const trace = (await (
      await call(ledger.baseUrl, `/trace/${start}?direction=forward`)
    ).json()) as TraceView;
    const { gtin, lot } = DEMO_FEATURED.recalledStrawberryLot;
    expect(trace.nodes.map((n) => n.id)).toContain(`https://id.gs1.org/01/${gtin}/10/${lot}`);
    const recall = demoEvents.find(({ event }) => event.disposition === 'recalled')!.event;
    const stored = await call(
      ledger.baseUrl,
      `/events/${encodeURIComponent(String(recall.eventID))}`,
    );
    const event = (await stored.json()) as { quantityList: { epcClass: string }[] };
    expect(event.quantityList.map((q) => epcUriToDigitalLink(q.epcClass))).toContain(
      `https://id.gs1.org/01/${gtin}/10/${lot}`,
    );
  });

  it('refuses a second run clearly, changing nothing', async () => {
    const count = async () =>
      (
        await ledger.sql<{ n: string }>(
          'SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM events) AS n',
        )
      )[0]!.n;
    const before = await count();
    const again = loadDemo({ baseUrl: ledger.baseUrl, adminKey: ledger.adminKey });
    await expect(again).rejects.toBeInstanceOf(DemoError);
    await expect(again).rejects.toMatchObject({
      code: 'ALREADY_LOADED',
      message: expect.stringMatching(/demo is already loaded here.*Nothing was changed/),
    });
    expect(await count()).toBe(before);
  });

  it('says what an admin key is for when it is refused', async () => {
    const refused = loadDemo({ baseUrl: ledger.baseUrl, adminKey: ledger.apiKey });
    await expect(refused).rejects.toMatchObject({
      code: 'REFUSED',
      message: expect.stringMatching(/403.*admin API key/),
    });
  });
});
