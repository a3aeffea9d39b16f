import { describe, expect, it } from '@jest/globals';

import type { IdentifierRole } from '../events/prepare-event.js';
import { type FetchEvents, type TracedEvent, walkTrace } from './trace-graph.js';

// An in-memory event index: the walk's only input, so its rules are checked without a database.
const indexOf = (events: TracedEvent[]): FetchEvents & { calls: string[][] } => {
  const calls: string[][] = [];
  const fetch = async (identifiers: readonly string[], limit: number) => {
    calls.push([...identifiers]);
    const hits: { identifier: string; role: IdentifierRole; event: TracedEvent }[] = [];
    for (const event of [...events].sort((a, b) => a.time - b.time)) {
      for (const named of event.identifiers) {
        if (identifiers.includes(named.identifier)) {
          hits.push({ identifier: named.identifier, role: named.role, event });
        }
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
  ilmdLot: undefined,
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
      ilmdLot: 'L 1',
      identifiers: [{ role: 'epc', identifier: 'https://id.gs1.org/01/09506000134352/21/7' }],
    };
    const harvest = transform(
      'h',
      1,
      ['https://id.gs1.org/01/09506000134352/10/X'],
      ['https://id.gs1.org/01/09506000134352/10/L%201'],
    );
    const walk = await walkTrace(
      ['https://id.gs1.org/01/09506000134352/21/7'],
      'backward',
      { maxDepth: 10, maxEvents: 100 },
      indexOf([commissioning, harvest]),
    );
    expect([...walk.events.keys()].sort()).toEqual(['c', 'h']);
  });
});
