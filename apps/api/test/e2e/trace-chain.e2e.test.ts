// GET /trace on a generated multi-tier supply chain (issue 5 §3): farms → packers → processors
// (splits, merges, serialisation by transformation and by ILMD, kits) → SSCC pallets with a
// reusable logger associated → distributors (unpacking, repacking) → retailers. The generator
// (bench/lib/trace-chain.mjs, seeded) writes down, beside the EPCIS events, a model of what went
// into what. The expected trace of every start identifier is computed HERE from that model with a
// simple worklist walk — no EPCIS parsing, no event index, no production code — and the API's
// answers, captured through POST /capture on real PostgreSQL, must equal it exactly.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink, verifyTraceBundle } from '@traceroot/trace';

import {
  type Containment,
  generateSupplyChain,
  kindOf,
  type SupplyChainModel,
} from '../../bench/lib/trace-chain.mjs';
import { call, epcisDocument, type LedgerApp, startLedgerApp } from '../support/ledger-app.js';

const SEED = 20261127;
const chain = generateSupplyChain({ seed: SEED, scale: 1 });

type Direction = 'backward' | 'forward';
/** One way the model walk reached an identifier: a time window, and the child for a container. */
type Reach = { from: number; to: number; child?: string };

/**
 * The expected trace from the model, by the rules of docs/specs/trace.md: an identifier's events
 * are those naming it inside the window it was reached with; derivations lead to inputs before
 * (backward) or outputs after (forward); a child leads to its container while it was in it, and
 * only a container reached otherwise leads to its contents.
 */
const expectedTrace = (
  model: SupplyChainModel,
  start: readonly string[],
  direction: Direction,
): { ids: Set<string>; events: Set<string> } => {
  const reaches = new Map<string, Reach[]>();
  const queue: [string, Reach][] = [];
  const visit = (id: string, reach: Reach) => {
    const known = reaches.get(id) ?? [];
    const covered = known.some(
      (r) =>
        r.from <= reach.from &&
        r.to >= reach.to &&
        (r.child === undefined || r.child === reach.child),
    );
    if (covered) return;
    reaches.set(id, [...known, reach]);
    queue.push([id, reach]);
  };
  for (const id of start) visit(id, { from: -Infinity, to: Infinity });
  const events = new Set<string>();
  const containmentOf = (parent: string, child: string, packedAt: number): Containment =>
    model.containments.find(
      (c) => c.parent === parent && c.child === child && c.packedAt === packedAt,
    )!;
  while (queue.length > 0) {
    const [id, reach] = queue.shift()!;
    const end =
      reach.child === undefined
        ? reach.to
        : Math.min(reach.to, containmentOf(id, reach.child, reach.from).unpackedAt);
    const within = (time: number) => reach.from <= time && time <= end;
    for (const event of model.events) {
      if (event.names.includes(id) && within(event.time)) events.add(event.eventID);
    }
    for (const d of model.derivations) {
      if (direction === 'backward' && d.to === id && within(d.time)) {
        visit(d.from, { from: -Infinity, to: d.time });
      }
      if (direction === 'forward' && d.from === id && within(d.time)) {
        visit(d.to, { from: d.time, to: Infinity });
      }
    }
    for (const c of model.containments) {
      if (c.child === id && within(c.packedAt)) {
        visit(c.parent, { from: c.packedAt, to: Infinity, child: id });
      }
      if (c.parent !== id || reach.child !== undefined) continue;
      if (direction === 'backward' && within(c.packedAt)) {
        visit(c.child, { from: -Infinity, to: c.packedAt });
      }
      if (direction === 'forward') {
        if (within(c.packedAt)) visit(c.child, { from: c.packedAt, to: Infinity });
        if (c.unpackNamesChild && within(c.unpackedAt)) {
          visit(c.child, { from: c.unpackedAt, to: Infinity });
        }
      }
    }
  }
  return { ids: new Set(reaches.keys()), events };
};

type TraceView = {
  start: string[];
  truncated: boolean;
  nodes: { id: string; kind: string; level?: string }[];
  edges: {
    eventID: string;
    leafIndex: number;
    inputs: string[];
    outputs: string[];
    locations: string[];
    parties: string[];
  }[];
  events: { eventID: string; ledger: { leafIndex: number } }[];
  bundle?: Parameters<typeof verifyTraceBundle>[0] | null;
  unsealed?: string[];
};

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const dl = (id: string) => epcUriToDigitalLink(id);

// Start identifiers of every kind the issue names, picked from the model (deterministic).
const ids = sorted(chain.model.events.flatMap((e) => e.names));
const ofKind = (kind: ReturnType<typeof kindOf>) => ids.filter((id) => kindOf(id) === kind);
const producedBy = (id: string) => chain.model.derivations.some((d) => d.to === id);
const mergedLot = ofKind('processor-lot').find(
  (id) => chain.model.derivations.filter((d) => d.to === id).length >= 2,
)!;
const splitLot = ofKind('packer-lot').find((id) => {
  const from = chain.model.derivations.find((d) => d.to === id)?.from;
  return (
    chain.model.derivations.filter((d) => d.from === from && kindOf(d.to) === 'packer-lot')
      .length >= 2
  );
})!;
const kit = ids.find((id) => id.includes('.400001.'))!;
const soldItem = chain.model.events
  .filter((e) => e.names.length === 1 && kindOf(e.names[0]!) === 'item')
  .map((e) => e.names[0]!)
  .find((id) => producedBy(id) && !id.includes('.400001.'))!;
const repackedPallet = ofKind('pallet').at(-1)!;
const firstPallet = ofKind('pallet')[0]!;
const STARTS: [string, string][] = [
  ['a farm lot', ofKind('farm-lot')[0]!],
  ['another farm lot', ofKind('farm-lot').at(-1)!],
  ['a packer lot made by a split', splitLot],
  ['a processor lot made by a merge', mergedLot],
  ['a pallet SSCC at the processor', firstPallet],
  ['a pallet SSCC repacked at a distributor', repackedPallet],
  ['a sold retail item', soldItem],
  ['a gift kit (instance-level transformation)', kit],
];

describe('GET /trace on a generated multi-tier supply chain', () => {
  let ledger: LedgerApp;
  const trace = async (identifier: string, query: string): Promise<TraceView> => {
    const response = await call(ledger.baseUrl, `/trace/${encodeURIComponent(identifier)}${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as TraceView;
  };

  beforeAll(async () => {
    ledger = await startLedgerApp();
    const response = await call(ledger.baseUrl, '/capture', {
      key: ledger.apiKey,
      body: epcisDocument(chain.events),
    });
    expect(response.status).toBe(202);
    const location = response.headers.get('location')!;
    let job: { running: boolean; success: boolean; errors?: unknown };
    do {
      job = (await (await call(ledger.baseUrl, location, { key: ledger.apiKey })).json()) as {
        running: boolean;
        success: boolean;
      };
    } while (job.running);
    expect(job).toMatchObject({ success: true });
    await ledger.seal();
  }, 120_000);
  afterAll(async () => ledger?.close());

  it('the generated chain has every shape the trace must follow', () => {
    expect(chain.events.length).toBeGreaterThan(200);
    for (const [, start] of STARTS) expect(start).toBeDefined();
    const types = new Set(chain.events.map((e) => e.type));
    expect(sorted(types)).toEqual([
      'AggregationEvent',
      'AssociationEvent',
      'ObjectEvent',
      'TransformationEvent',
    ]);
    // serialisation both by transformation and by ILMD commissioning only
    const ilmd = chain.events.filter((e) => e.ilmd !== undefined);
    expect(new Set(ilmd.map((e) => e.type)).size).toBe(2);
    // pallets unpacked both naming their contents and naming none
    const unpacks = chain.model.containments.filter((c) => c.parent.includes(':sscc:'));
    expect(new Set(unpacks.map((c) => c.unpackNamesChild)).size).toBe(2);
    // loggers reused: one logger associated with several pallets at different times
    const loggerUses = chain.model.containments.filter((c) => c.parent.includes(':giai:'));
    expect(new Set(loggerUses.map((c) => c.parent)).size).toBeLessThan(loggerUses.length);
  });

  describe.each(STARTS)('from %s', (_, start) => {
    it.each(['backward', 'forward'] as const)(
      '%s: exactly the model’s identifiers and events',
      async (direction) => {
        const expected = expectedTrace(chain.model, [start], direction);
        const view = await trace(start, `?direction=${direction}&maxDepth=50`);
        expect(view.truncated).toBe(false);
        expect(sorted(view.events.map((e) => e.eventID))).toEqual(sorted(expected.events));
        expect(sorted(view.nodes.filter((n) => n.kind === 'identifier').map((n) => n.id))).toEqual(
          sorted([...expected.ids].map(dl)),
        );
        // lots are class-level nodes, everything else instance-level
        for (const node of view.nodes.filter((n) => n.kind === 'identifier')) {
          expect([node.id, node.level]).toEqual([
            node.id,
            /\/10\/[^/]+$/.test(node.id) ? 'class' : 'instance',
          ]);
        }
      },
    );

    it('both: the union of the two, with the places and parties its events name', async () => {
      const backward = expectedTrace(chain.model, [start], 'backward');
      const forward = expectedTrace(chain.model, [start], 'forward');
      const events = new Set([...backward.events, ...forward.events]);
      const view = await trace(start, '?maxDepth=50');
      expect(sorted(view.events.map((e) => e.eventID))).toEqual(sorted(events));
      const modelEvents = chain.model.events.filter((e) => events.has(e.eventID));
      const kinds = (kind: string) =>
        sorted(view.nodes.filter((n) => n.kind === kind).map((n) => n.id));
      expect(kinds('location')).toEqual(sorted(modelEvents.flatMap((e) => e.locations).map(dl)));
      expect(kinds('party')).toEqual(sorted(modelEvents.flatMap((e) => e.parties).map(dl)));
      // every edge carries its event's ledger position, and names only nodes of the trace
      const leafOf = new Map(view.events.map((e) => [e.eventID, e.ledger.leafIndex]));
      const nodeIds = new Set(view.nodes.map((n) => n.id));
      for (const edge of view.edges) {
        expect(edge.leafIndex).toBe(leafOf.get(edge.eventID));
        for (const id of [...edge.locations, ...edge.parties]) expect(nodeIds.has(id)).toBe(true);
      }
    });
  });

  it('a Digital Link with lot and serial starts from the item and its lot', async () => {
    const commissioning = chain.model.derivations.find((d) => d.to === soldItem)!;
    const lot = commissioning.from;
    const [, , gtinPath] = /^(https:\/\/id\.gs1\.org)(\/01\/\d{14})\/21\/(.+)$/.exec(dl(soldItem))!;
    const serial = dl(soldItem).split('/21/')[1]!;
    const lotNumber = dl(lot).split('/10/')[1]!;
    const view = await trace(`${gtinPath}/10/${lotNumber}/21/${serial}`, '?direction=backward');
    expect(view.start).toEqual([dl(soldItem), dl(lot)]);
    const expected = expectedTrace(chain.model, [soldItem, lot], 'backward');
    expect(sorted(view.events.map((e) => e.eventID))).toEqual(sorted(expected.events));
  });

  it('an SSCC as a Digital Link (/00/…) is the same trace as its EPC URI', async () => {
    const byUri = await trace(firstPallet, '?direction=forward');
    const byLink = await trace(new URL(dl(firstPallet)).pathname, '?direction=forward');
    expect(sorted(byLink.events.map((e) => e.eventID))).toEqual(
      sorted(byUri.events.map((e) => e.eventID)),
    );
  });

  it('bundle=true proves every event of a lot’s trace at its ledger position', async () => {
    const view = await trace(mergedLot, '?bundle=true');
    expect(view.unsealed).toEqual([]);
    const verdict = verifyTraceBundle(view.bundle!, [ledger.verifierKey]);
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(sorted(verdict.entries.map((e) => String(e.fields.eventID)))).toEqual(
      sorted(view.events.map((e) => e.eventID)),
    );
    const leafOf = new Map(view.events.map((e) => [e.eventID, e.ledger.leafIndex]));
    for (const entry of verdict.entries) {
      expect(entry.leafIndex).toBe(leafOf.get(String(entry.fields.eventID)));
    }
  });

  it('maxDepth bounds the walk: depth 1 from a farm lot forward is a strict part, truncated', async () => {
    const farmLot = ofKind('farm-lot')[0]!;
    const full = await trace(farmLot, '?direction=forward&maxDepth=50');
    const shallow = await trace(farmLot, '?direction=forward&maxDepth=1');
    expect(shallow.truncated).toBe(true);
    const all = new Set(full.events.map((e) => e.eventID));
    expect(shallow.events.every((e) => all.has(e.eventID))).toBe(true);
    expect(shallow.events.length).toBeLessThan(full.events.length);
  });
});
