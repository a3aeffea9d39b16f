// The pure parts of recalls: what the body names, the affected snapshot of traces, and the recall
// events (valid EPCIS 2.0, as the capture validator sees them).
import { describe, expect, it } from '@jest/globals';

import { validateEvent } from '../capture/validation/validate-capture.js';
import { DomainError } from '../common/errors/domain-error.js';
import { affectedOf, isRecallEvent } from './affected.js';
import { IDENTIFIERS_PER_EVENT, RECALL_CONTEXT, recallEvents } from './recall-events.js';
import { recalledIdentifiers } from './recalls.service.js';

const LOT = 'https://id.gs1.org/01/00614141200016/10/SV-R12-B2';
const PALLET = 'https://id.gs1.org/00/008451230004101045';

const pointerOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.errors[0]?.pointer;
    throw error;
  }
  return undefined;
};

describe('recalledIdentifiers', () => {
  it('reads a lot as GTIN + lot number, an LGTIN URI or a Digital Link, in the index form', () => {
    expect(recalledIdentifiers({ gtin: '614141200016', lot: 'SV-R12-B2' })).toEqual([
      { identifier: LOT, pointer: '/lot' },
    ]);
    expect(recalledIdentifiers({ lot: 'urn:epc:class:lgtin:0614141.020001.SV-R12-B2' })).toEqual([
      { identifier: LOT, pointer: '/lot' },
    ]);
    expect(recalledIdentifiers({ lot: '/01/00614141200016/10/SV-R12-B2' })[0]!.identifier).toBe(
      LOT,
    );
  });

  it('reads EPCs once each, keeping the pointer of the first', () => {
    expect(
      recalledIdentifiers({
        epcs: [
          'urn:epc:id:sscc:0845123.0000410104',
          PALLET,
          'urn:epc:id:sgtin:0614141.107346.2018',
        ],
      }),
    ).toEqual([
      { identifier: PALLET, pointer: '/epcs/0' },
      { identifier: 'https://id.gs1.org/01/10614141073464/21/2018', pointer: '/epcs/2' },
    ]);
  });

  it('names the field at fault', () => {
    expect(
      pointerOf(() => recalledIdentifiers({ lot: 'https://id.gs1.org/01/00614141200016' })),
    ).toBe('/lot');
    expect(pointerOf(() => recalledIdentifiers({ lot: 'no such thing' }))).toBe('/lot');
    expect(pointerOf(() => recalledIdentifiers({ gtin: '00614141200011', lot: 'A' }))).toBe(
      '/gtin',
    );
    expect(pointerOf(() => recalledIdentifiers({ epcs: [PALLET, 'urn:epc:id:sscc:1'] }))).toBe(
      '/epcs/1',
    );
  });
});

describe('affectedOf', () => {
  const shipping = {
    eventID: 'e1',
    type: 'ObjectEvent',
    readPoint: { id: 'urn:epc:id:sgln:0845123.00015.0' },
    sourceList: [
      { type: 'owning_party', source: 'urn:epc:id:pgln:0778899.00000' },
      { type: 'location', source: 'urn:epc:id:sgln:0845123.00015.0' },
    ],
    destinationList: [
      {
        type: 'https://ref.gs1.org/cbv/SDT-location',
        destination: 'urn:epc:id:sgln:0867412.00013.0',
      },
    ],
  };
  const earlierRecall = {
    eventID: 'e2',
    type: 'ObjectEvent',
    readPoint: { id: 'urn:epc:id:sgln:0778899.00018.0' },
    persistentDisposition: { set: ['https://ref.gs1.org/cbv/Disp-recalled'] },
  };

  it('splits identifiers by level, takes places and parties from events but not from recalls', () => {
    const affected = affectedOf([
      {
        nodes: [
          { kind: 'identifier', id: LOT, depth: 0, level: 'class' },
          { kind: 'identifier', id: PALLET, depth: 2, level: 'instance' },
          { kind: 'location', id: 'https://id.gs1.org/414/0778899000180' },
        ],
        events: [shipping, earlierRecall],
        truncated: false,
      },
      {
        nodes: [{ kind: 'identifier', id: LOT, depth: 0, level: 'class' }],
        events: [shipping],
        truncated: true,
      },
    ]);
    expect(affected).toEqual({
      lots: [LOT],
      epcs: [PALLET],
      locations: ['https://id.gs1.org/414/0845123000151', 'https://id.gs1.org/414/0867412000130'],
      parties: ['https://id.gs1.org/417/0778899000004'],
      truncated: true,
      eventCount: 2,
    });
    expect(isRecallEvent(earlierRecall)).toBe(true);
    expect(isRecallEvent({ persistentDisposition: { unset: ['recalled'] } })).toBe(true);
    expect(isRecallEvent(shipping)).toBe(false);
  });
});

describe('recallEvents', () => {
  const input = {
    id: '0b4c1d7e-3f2a-4c5b-9d8e-7f6a5b4c3d2e',
    time: new Date('2026-11-27T18:00:00.000Z'),
    reason: 'Salmonella',
    classification: 'I',
    readPoint: 'urn:epc:id:sgln:0778899.00018.0',
    lots: [LOT],
    epcs: [PALLET],
  };

  it('records one valid EPCIS 2.0 ObjectEvent: holding, recalled, persistently', () => {
    const [event, ...rest] = recallEvents(input);
    expect(rest).toEqual([]);
    expect(event).toEqual({
      type: 'ObjectEvent',
      eventTime: '2026-11-27T18:00:00.000Z',
      eventTimeZoneOffset: '+00:00',
      epcList: [PALLET],
      quantityList: [{ epcClass: LOT }],
      action: 'OBSERVE',
      bizStep: 'holding',
      disposition: 'recalled',
      persistentDisposition: { set: ['recalled'] },
      readPoint: { id: 'urn:epc:id:sgln:0778899.00018.0' },
      'recall:recallID': 'urn:uuid:0b4c1d7e-3f2a-4c5b-9d8e-7f6a5b4c3d2e',
      'recall:reason': 'Salmonella',
      'recall:classification': 'I',
    });
    expect(validateEvent({ '@context': RECALL_CONTEXT, ...event }).valid).toBe(true);
  });

  it(`names at most ${IDENTIFIERS_PER_EVENT} identifiers an event, every one once`, () => {
    const epcs = Array.from(
      { length: 1100 },
      (_, i) => `https://id.gs1.org/01/10614141073464/21/${i}`,
    );
    const events = recallEvents({ ...input, epcs });
    expect(events).toHaveLength(3);
    const named = events.flatMap((e) => [
      ...(e.epcList as string[]),
      ...((e.quantityList as { epcClass: string }[] | undefined) ?? []).map((q) => q.epcClass),
    ]);
    expect(named.sort()).toEqual([LOT, ...epcs].sort());
    for (const e of events) {
      expect(validateEvent({ '@context': RECALL_CONTEXT, ...e }).valid).toBe(true);
    }
  });
});
