import { describe, expect, it } from '@jest/globals';

import { type FetchEvents, type TracedEvent, type TraceRole, walkTrace } from './trace-graph.js';

// An in-memory event index: the walk's only input, so its rules are checked without a database.
const indexOf = (events: TracedEvent[]): FetchEvents & { calls: string[][] } => {
  const calls: string[][] = [];
  const fetch = async (identifiers: readonly string[], limit: number) => {
    calls.push([...identifiers]);
    const hits: { identifier: string; role: TraceRole; event: TracedEvent }[] = [];
    for (const event of [...events].sort((a, b) => a.time - b.time)) {
      for (const named of event.identifiers) {
        if (identifiers.includes(named.identifier)) {
          hits.push({ identifier: named.identifier, role: named.role, event });
        }
      }
      // event_terms 'ilmdLot': the lot of each GTIN whose items the ILMD describes
      for (const lot of event.ilmdLots) {
        if (identifiers.includes(lot)) hits.push({ identifier: lot, role: 'ilmdLot', event });
      }
    }
    return Promise.resolve(hits.slice(0, limit));
  };
  return Object.assign(fetch, { calls });
};

const transform = (id: string, time: number, inputs: string[], outputs: string[]): TracedEvent => ({
  eventId: id,
  type: 'TransformationEvent',
  action: undefined,
  time,
  ilmdLots: [],
  identifiers: [
    ...inputs.map((identifier) => ({ role: 'inputQuantity' as const, identifier })),
    ...outputs.map((identifier) => ({ role: 'outputQuantity' as const, identifier })),
  ],
});

describe('walkTrace', () => {
  it('is cycle-safe: rework that feeds a lot back into itself ends, each identifier fetched once per window', async () => {
    // a → b, b → a (rework), b → c
    const index = indexOf([
      transform('1', 1, ['a'], ['b']),
      transform('2', 2, ['b'], ['a']),
      transform('3', 3, ['b'], ['c']),
    ]);
    const walk = await walkTrace(['a'], 'forward', { maxDepth: 50, maxEvents: 100 }, index);
    expect([...walk.events.keys()].sort()).toEqual(['1', '2', '3']);
    expect(walk.truncated).toBe(false);
    expect(index.calls.length).toBeLessThanOrEqual(4);
  });

  it('forward only follows what came after: a lot’s earlier inputs are not downstream', async () => {
    const index = indexOf([transform('1', 1, ['x'], ['a']), transform('2', 5, ['a'], ['b'])]);
    const walk = await walkTrace(['a'], 'forward', { maxDepth: 10, maxEvents: 100 }, index);
    expect([...walk.events.keys()].sort()).toEqual(['1', '2']); // 1 names a (its output), but x is not reached
    expect(walk.nodes.map((n) => n.id).sort()).toEqual(['a', 'b']);
  });

  it('stops at maxEvents and says so', async () => {
    const chain = Array.from({ length: 20 }, (_, i) =>
      transform(String(i), i, [`l${i}`], [`l${i + 1}`]),
    );
    const walk = await walkTrace(['l0'], 'forward', { maxDepth: 50, maxEvents: 5 }, indexOf(chain));
    expect(walk.events.size).toBe(5);
    expect(walk.truncated).toBe(true);
  });

  it('links a commissioned instance to the lot its ILMD names (backward)', async () => {
    const commissioning: TracedEvent = {
      eventId: 'c',
      type: 'ObjectEvent',
      action: 'ADD',
      time: 10,
      ilmdLots: ['https://id.gs1.org/01/09506000134352/10/L%2F1'],
      identifiers: [{ role: 'epc', identifier: 'https://id.gs1.org/01/09506000134352/21/7' }],
    };
    const harvest = transform(
      'h',
      1,
      ['https://id.gs1.org/01/09506000134352/10/X'],
      ['https://id.gs1.org/01/09506000134352/10/L%2F1'],
    );
    const walk = await walkTrace(
      ['https://id.gs1.org/01/09506000134352/21/7'],
      'backward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf([commissioning, harvest]),
    );
    expect([...walk.events.keys()].sort()).toEqual(['c', 'h']);
  });

  const item = (gtin: string, n: number) => `https://id.gs1.org/01/${gtin}/21/${n}`;
  const GTIN = '09506000134352';
  const OTHER_GTIN = '09506000134369';
  const pallet = 'https://id.gs1.org/00/095060001343520001';
  const aggregation = (
    id: string,
    time: number,
    action: 'ADD' | 'DELETE',
    children: string[],
  ): TracedEvent => ({
    eventId: id,
    type: 'AggregationEvent',
    action,
    time,
    ilmdLots: [],
    identifiers: [
      { role: 'parentID', identifier: pallet },
      ...children.map((identifier) => ({ role: 'childEPC' as const, identifier })),
    ],
  });
  const observe = (id: string, time: number, epc: string): TracedEvent => ({
    eventId: id,
    type: 'ObjectEvent',
    action: 'OBSERVE',
    time,
    ilmdLots: [],
    identifiers: [{ role: 'epc', identifier: epc }],
  });

  it('a container reached from one of its contents does not lead to the others', async () => {
    const [a, b] = [item(GTIN, 1), item(GTIN, 2)];
    const events = [
      transform('origin-a', 1, ['lot-a'], [a]),
      transform('origin-b', 2, ['lot-b'], [b]),
      aggregation('pack', 3, 'ADD', [a, b]),
      observe('ship', 4, pallet),
      aggregation('unpack', 5, 'DELETE', [a, b]),
      observe('sold-b', 6, b),
      observe('pallet-reused', 7, pallet),
    ];
    const back = await walkTrace(
      [a],
      'backward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf(events),
    );
    expect([...back.events.keys()].sort()).toEqual(['origin-a', 'pack', 'ship', 'unpack']);
    expect(back.nodes.map((n) => n.id).sort()).toEqual([pallet, a, 'lot-a'].sort());
    const forward = await walkTrace(
      ['lot-a'],
      'forward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf(events),
    );
    expect([...forward.events.keys()].sort()).toEqual(['origin-a', 'pack', 'ship', 'unpack']);
    // From the pallet itself, both contents are followed (backward: up to their packing).
    const fromPallet = await walkTrace(
      [pallet],
      'backward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf(events),
    );
    expect([...fromPallet.events.keys()].sort()).toEqual(
      ['origin-a', 'origin-b', 'pack', 'pallet-reused', 'ship', 'unpack'].sort(),
    );
  });

  it('each content keeps its own time in a container: partial unpacking', async () => {
    const [a, b] = [item(GTIN, 1), item(GTIN, 2)];
    const events = [
      transform('origin-a', 1, ['lot'], [a]),
      transform('origin-b', 2, ['lot'], [b]),
      aggregation('pack', 3, 'ADD', [a, b]),
      aggregation('unpack-a', 4, 'DELETE', [a]),
      observe('ship-with-b-only', 5, pallet),
      aggregation('unpack-b', 6, 'DELETE', []),
      observe('after', 7, pallet),
    ];
    const fromA = await walkTrace(
      [a],
      'backward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf(events),
    );
    expect([...fromA.events.keys()].sort()).toEqual(['origin-a', 'pack', 'unpack-a']);
    // Forward from the lot both items are reached: the pallet's journey runs until the last one left.
    const fromLot = await walkTrace(
      ['lot'],
      'forward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf(events),
    );
    expect([...fromLot.events.keys()].sort()).toEqual(
      ['origin-a', 'origin-b', 'pack', 'ship-with-b-only', 'unpack-a', 'unpack-b'].sort(),
    );
  });

  it('follows a lot forward to the items its ILMD commissioned, of its GTIN only', async () => {
    const lot = `https://id.gs1.org/01/${GTIN}/10/L7`;
    const commissioning: TracedEvent = {
      eventId: 'c',
      type: 'ObjectEvent',
      action: 'ADD',
      time: 10,
      ilmdLots: [
        `https://id.gs1.org/01/${GTIN}/10/L7`,
        `https://id.gs1.org/01/${OTHER_GTIN}/10/L7`,
      ],
      identifiers: [
        { role: 'epc', identifier: item(GTIN, 1) },
        { role: 'epc', identifier: item(OTHER_GTIN, 2) },
      ],
    };
    const events = [
      transform('made', 1, ['input'], [lot]),
      commissioning,
      observe('sold-1', 20, item(GTIN, 1)),
      observe('sold-2', 21, item(OTHER_GTIN, 2)),
    ];
    const walk = await walkTrace(
      [lot],
      'forward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf(events),
    );
    expect([...walk.events.keys()].sort()).toEqual(['c', 'made', 'sold-1']);
    expect(walk.nodes.find((n) => n.id === item(GTIN, 1))).toMatchObject({
      depth: 1,
      level: 'instance',
    });
    expect(walk.nodes.find((n) => n.id === lot)).toMatchObject({ depth: 0, level: 'class' });
    // The other GTIN's lot L7 is another lot: its commissioning is no event of this one backward.
    const back = await walkTrace(
      [`https://id.gs1.org/01/${OTHER_GTIN}/10/L7`],
      'backward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf(events),
    );
    expect([...back.events.keys()]).toEqual(['c']);
  });

  it('stops at maxDepth and says so; depth 0 is the start identifiers’ own events', async () => {
    const chain = Array.from({ length: 5 }, (_, i) =>
      transform(String(i), i, [`l${i}`], [`l${i + 1}`]),
    );
    const walk = await walkTrace(
      ['l0'],
      'forward',
      { maxDepth: 0, maxEvents: 100 },
      indexOf(chain),
    );
    expect([...walk.events.keys()]).toEqual(['0']);
    expect(walk.truncated).toBe(true);
    const deep = await walkTrace(
      ['l0'],
      'forward',
      { maxDepth: 5, maxEvents: 100 },
      indexOf(chain),
    );
    expect(deep.events.size).toBe(5);
    expect(deep.truncated).toBe(false);
  });
});
