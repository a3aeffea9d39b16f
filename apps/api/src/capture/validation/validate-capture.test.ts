import { describe, expect, it } from '@jest/globals';
import {
  appendCheckDigit,
  computeEventHashId,
  formatEventPreHash,
  gs1CheckDigit,
  joinEventPreHash,
  renderEventPreHash,
} from '@traceroot/trace';
import fc from 'fast-check';

import { CaptureValidator } from './capture-validator.js';
import { validateCaptureDocument, validateEvent } from './validate-capture.js';

// Builders of valid bodies; each test overrides what it is about.
const buildEvent = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventTime: '2026-03-01T08:00:00.000+01:00',
  eventTimeZoneOffset: '+01:00',
  epcList: ['urn:epc:id:sgtin:9520123.045678.1001'],
  action: 'OBSERVE',
  bizStep: 'shipping',
  readPoint: { id: 'urn:epc:id:sgln:9520123.00001.0' },
  ...overrides,
});

const buildDocument = (
  events: readonly unknown[] = [buildEvent()],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => ({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-03-01T09:00:00.000Z',
  epcisBody: { eventList: events },
  ...overrides,
});

describe(validateCaptureDocument.name, () => {
  it('accepts a valid document and gives each event its CBV 2.0 event hash ID', () => {
    const events = [buildEvent(), buildEvent({ bizStep: 'receiving' })];
    const doc = buildDocument(events);

    const result = validateCaptureDocument(doc);

    expect(result).toEqual({
      valid: true,
      documentFailures: [],
      failures: [],
      events: events.map((event, index) => ({
        index,
        pointer: `/epcisBody/eventList/${index}`,
        eventHashId: computeEventHashId(event, { context: doc['@context'] }),
        preHash: renderEventPreHash(event, { context: doc['@context'] }),
        valid: true,
        failures: [],
      })),
    });
    // The parts are what the hash ID was computed from (the service salts events from them).
    for (const [i, event] of events.entries()) {
      const { preHash } = result.events[i]!;
      expect(joinEventPreHash(preHash!)).toBe(
        formatEventPreHash(event, { context: doc['@context'] }),
      );
    }
  });

  it('accepts an empty event list', () => {
    expect(validateCaptureDocument(buildDocument([]))).toMatchObject({ valid: true, events: [] });
  });

  it.each([null, 'EPCISDocument', 42, [buildDocument()]])('refuses the body %p', (body) => {
    expect(validateCaptureDocument(body).documentFailures).toEqual([
      {
        pointer: '',
        message: 'The document must be a JSON object: an EPCISDocument',
        exception: 'ValidationException',
      },
    ]);
  });

  it('keeps the verdict on every event apart, for GS1-Capture-Error-Behaviour: proceed', () => {
    const doc = buildDocument([
      buildEvent(),
      buildEvent({ bizStep: 'shipped' }),
      buildEvent({ epcList: ['https://id.gs1.org/01/09520123456789/21/1'] }),
      buildEvent({ action: 'ADD' }),
    ]);

    const result = validateCaptureDocument(doc);

    expect(result.valid).toBe(false);
    expect(result.documentFailures).toEqual([]);
    expect(result.events.map((e) => [e.index, e.valid])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(result.failures.map((f) => f.pointer)).toEqual([
      '/epcisBody/eventList/1/bizStep',
      '/epcisBody/eventList/2/epcList/0',
    ]);
    // A semantically invalid event is still hashed, so a client can match the report to it.
    expect(result.events[2]?.eventHashId).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    // A schema-invalid one is not.
    expect(result.events[1]?.eventHashId).toBeUndefined();
  });

  it('reports every semantic failure of one event, in field order', () => {
    const event = buildEvent({
      epcList: ['urn:epc:id:sgtin:9520123.04567.1', 'urn:epc:id:sgtin:9520123.045678.2'],
      bizStep: 'https://ref.gs1.org/cbv/BizStep-shipped',
      readPoint: { id: 'https://id.gs1.org/414/9520123000012' },
    });

    const { failures } = validateCaptureDocument(buildDocument([event]));

    expect(failures.map((f) => f.pointer)).toEqual([
      '/epcisBody/eventList/0/epcList/0',
      '/epcisBody/eventList/0/bizStep',
      '/epcisBody/eventList/0/readPoint/id',
    ]);
  });

  it('refuses a document over the capture limit before checking its events', () => {
    const doc = buildDocument([buildEvent(), buildEvent({ bizStep: 'shipped' }), buildEvent()]);

    const result = validateCaptureDocument(doc, { captureLimit: 2 });

    expect(result.events).toEqual([]);
    expect(result.documentFailures).toEqual([
      {
        pointer: '/epcisBody/eventList',
        message: expect.stringContaining(
          "has 3 events, more than this server's capture limit of 2",
        ),
        exception: 'CaptureLimitExceededException',
      },
    ]);
    expect(validateCaptureDocument(doc, { captureLimit: 3 }).documentFailures).toEqual([]);
  });

  it('accepts master data in the header', () => {
    const doc = buildDocument([buildEvent()], {
      epcisHeader: {
        epcisMasterData: {
          vocabularyList: [
            {
              type: 'urn:epcglobal:epcis:vtype:ReadPoint',
              vocabularyElementList: [
                {
                  id: 'urn:epc:id:sgln:9520123.00001.0',
                  attributes: [{ id: 'urn:epcglobal:cbv:mda#name', attribute: 'Dock 1' }],
                },
              ],
            },
          ],
        },
      },
    });

    expect(validateCaptureDocument(doc).valid).toBe(true);
  });

  it('explains a master data attribute the schema refuses', () => {
    const doc = buildDocument([buildEvent()], {
      epcisHeader: {
        epcisMasterData: {
          vocabularyList: [
            {
              type: 'urn:epcglobal:epcis:vtype:ReadPoint',
              vocabularyElementList: [
                {
                  id: 'urn:epc:id:sgln:9520123.00001.0',
                  attributes: [{ id: 'urn:x:a', attribute: true }],
                },
              ],
            },
          ],
        },
      },
    });

    const pointer =
      '/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0/attributes/0/attribute';
    expect(validateCaptureDocument(doc).failures).toEqual([
      {
        pointer,
        message: `${pointer} true matches none of the forms the EPCIS 2.0 schema allows here (the first: must be number)`,
        exception: 'ValidationException',
      },
    ]);
  });

  it('does not require an eventID that is a hash ID to be the computed one', () => {
    // Like the GS1 examples, whose ni: eventIDs are illustrative.
    const event = buildEvent({
      eventID: `ni:///sha-256;${'0'.repeat(64)}?ver=CBV2.0`,
    });

    expect(validateCaptureDocument(buildDocument([event])).valid).toBe(true);
  });

  it('hashes extension fields with the prefixes of the document context', () => {
    const event = buildEvent({ 'example:temperature': 4 });
    const context = [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { example: 'https://ns.example.com/epcis/' },
    ];

    const result = validateCaptureDocument(buildDocument([event], { '@context': context }));

    expect(result.events[0]?.eventHashId).toBe(computeEventHashId(event, { context }));
    expect(result.events[0]?.eventHashId).not.toBe(computeEventHashId(event));
  });

  it('is what CaptureValidator offers to Nest', () => {
    const validator = new CaptureValidator();
    const doc = buildDocument();

    expect(validator.validateCaptureDocument(doc)).toEqual(validateCaptureDocument(doc));
    expect(validator.validateCaptureDocument(doc, { captureLimit: 0 }).valid).toBe(false);
    expect(validator.validateEvent(buildEvent())).toEqual(validateEvent(buildEvent()));
  });
});

describe(validateEvent.name, () => {
  it('accepts the body of POST /events, with or without @context', () => {
    const event = buildEvent();
    const withContext = buildEvent({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    });

    expect(validateEvent(event)).toEqual({
      valid: true,
      documentFailures: [],
      failures: [],
      events: [
        {
          index: 0,
          pointer: '',
          eventHashId: computeEventHashId(event),
          preHash: renderEventPreHash(event),
          valid: true,
          failures: [],
        },
      ],
    });
    expect(validateEvent(withContext).valid).toBe(true);
  });

  it.each([
    [[buildEvent()], '', 'The event must be an object, not an array'],
    [
      buildEvent({ action: undefined }),
      '/action',
      '/action: The event is missing the required field action',
    ],
    [
      buildEvent({ type: 'ShippingEvent' }),
      '/type',
      '/type "ShippingEvent" is not an EPCIS 2.0 event type',
    ],
    [
      buildEvent({ epcList: ['urn:epc:id:sgtin:9520123.04567.1'] }),
      '/epcList/0',
      '/epcList/0 "urn:epc:id:sgtin:9520123.04567.1" is not a valid EPC URI',
    ],
    [
      buildEvent({ eventTime: '2016-12-31T23:59:60Z' }),
      '/eventTime',
      '/eventTime "2016-12-31T23:59:60Z" has no such time of day',
    ],
    [
      buildEvent({
        '@context': { example: 'https://ns.example.com/' },
        'example:x': { '@context': {} },
      }),
      '/example:x/@context',
      '/example:x/@context is a nested JSON-LD context',
    ],
  ])('refuses %j at %p', (body, pointer, message) => {
    const result = validateEvent(JSON.parse(JSON.stringify(body)) as unknown);

    expect(result.valid).toBe(false);
    expect(result.documentFailures).toEqual([]);
    expect(result.failures).toEqual([
      { pointer, message: expect.stringContaining(message), exception: 'ValidationException' },
    ]);
  });

  it('places an event of a document where the context says', () => {
    const result = validateEvent(buildEvent({ bizStep: 'shipped' }), {
      pointer: '/epcisBody/eventList/7',
      index: 7,
    });

    expect(result.events).toEqual([
      expect.objectContaining({ index: 7, pointer: '/epcisBody/eventList/7', valid: false }),
    ]);
    expect(result.failures[0]?.pointer).toBe('/epcisBody/eventList/7/bizStep');
  });
});

describe('a wrong check digit in any Digital Link', () => {
  // GTIN-14s under the GS1 prefix 952 (reserved for demonstrations), with a correct check digit.
  const gtin = fc.stringMatching(/^[0-9]{9}$/).map((digits) => appendCheckDigit(`0952${digits}`));

  it('is reported at that identifier, and only there', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(gtin, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (gtinsPerEvent, eventPick, epcPick, shift) => {
          const events = gtinsPerEvent.map((gtins, e) =>
            buildEvent({ epcList: gtins.map((g, k) => `https://id.gs1.org/01/${g}/21/${e}.${k}`) }),
          );
          const e = eventPick % events.length;
          const epcList = events[e]!['epcList'] as string[];
          const k = epcPick % epcList.length;
          const [, good = ''] = /\/01\/([0-9]{14})\//.exec(epcList[k]!) ?? [];
          const wrong = (gs1CheckDigit(good.slice(0, 13)) + shift) % 10;
          epcList[k] = epcList[k]!.replace(good, good.slice(0, 13) + String(wrong));

          const result = validateCaptureDocument(buildDocument(events));

          expect(result.failures).toEqual([
            {
              pointer: `/epcisBody/eventList/${e}/epcList/${k}`,
              message: expect.stringContaining('wrong check digit') as unknown as string,
              exception: 'ValidationException',
            },
          ]);
          expect(result.events.map((v) => v.valid)).toEqual(events.map((_, i) => i !== e));
        },
      ),
      { numRuns: 200 },
    );
  });
});
