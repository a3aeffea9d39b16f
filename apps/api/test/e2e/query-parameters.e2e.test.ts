// Every SimpleEventQuery parameter of GET /events (docs/specs/query.md), each with a value that
// must match and one that must not, on five events captured here; paging, ordering and counting
// limits; invalid parameters (4xx naming the parameter); the browse resources; the query time limit.
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { computeEventHashId, epcUriToDigitalLink } from '@traceroot/trace';

import { createEpcisAjv, EPCIS_SCHEMA_ID } from '../../src/capture/validation/schema-validators.js';
import { QueryRepository } from '../../src/query/query.repository.js';
import {
  call,
  epcisDocument,
  type LedgerApp,
  problemOf,
  startLedgerApp,
  publishEverything,
} from '../support/ledger-app.js';

const SCHEMA = JSON.parse(
  readFileSync(
    new URL('../../../../conformance/epcis/schema/EPCIS-JSON-Schema.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;
// The service's Ajv set-up (formats, strictness) with the workplace's schema file itself.
const validateQueryDocument = createEpcisAjv().removeSchema(EPCIS_SCHEMA_ID).compile(SCHEMA);

const item = (serial: number, itemRef = '045678') =>
  `urn:epc:id:sgtin:9520123.${itemRef}.${serial}`;
const SSCC = 'urn:epc:id:sscc:9520123.0000000001';
const LOT1 = 'urn:epc:class:lgtin:9520123.045678.LOT1';
const LOT2 = 'urn:epc:class:lgtin:9520123.045678.LOT2';
const GTIN_PATTERN = 'urn:epc:idpat:sgtin:9520123.045678.*';
const OTHER_GTIN_PATTERN = 'urn:epc:idpat:sgtin:9520123.045679.*';
const FARM = 'urn:epc:id:sgln:9520123.00001.0';
const FARM_DOCK = 'urn:epc:id:sgln:9520123.00001.dock1';
const DEPOT = 'urn:epc:id:sgln:9520123.00002.0';
const OWNER = 'urn:epc:id:pgln:9520123.00000';
const PO = 'urn:epcglobal:cbv:bt:9520123000010:PO1';
const TRANSFORMATION = 'urn:uuid:2b1d1c53-7f1a-4c1e-9a36-1b1f0f6f7e01';
const CORRECTIVE = 'urn:uuid:2b1d1c53-7f1a-4c1e-9a36-1b1f0f6f7e02';

const EVENTS: Record<string, unknown>[] = [
  {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T08:00:00.000Z',
    eventTimeZoneOffset: '+00:00',
    epcList: [item(1), item(2)],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: FARM },
    bizLocation: { id: FARM_DOCK },
    bizTransactionList: [{ type: 'po', bizTransaction: PO }],
    sourceList: [{ type: 'owning_party', source: OWNER }],
    destinationList: [{ type: 'location', destination: DEPOT }],
    ilmd: { 'cbvmda:lotNumber': 'LOT1' },
  },
  {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T09:00:00.000Z',
    eventTimeZoneOffset: '+00:00',
    epcList: [item(1)],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    persistentDisposition: { set: ['completeness_verified'], unset: ['active'] },
    readPoint: { id: DEPOT },
  },
  {
    type: 'AggregationEvent',
    eventTime: '2026-03-01T10:00:00.000Z',
    eventTimeZoneOffset: '+00:00',
    parentID: SSCC,
    childEPCs: [item(2)],
    childQuantityList: [{ epcClass: LOT1, quantity: 10, uom: 'KGM' }],
    action: 'ADD',
    bizStep: 'packing',
  },
  {
    type: 'TransformationEvent',
    eventTime: '2026-03-01T11:00:00.000Z',
    eventTimeZoneOffset: '+00:00',
    inputEPCList: [item(1)],
    inputQuantityList: [{ epcClass: LOT1, quantity: 5, uom: 'KGM' }],
    outputEPCList: [item(7, '045679')],
    outputQuantityList: [{ epcClass: OTHER_GTIN_PATTERN, quantity: 200 }],
    transformationID: TRANSFORMATION,
    bizStep: 'https://ref.gs1.org/cbv/BizStep-commissioning',
    sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 4, uom: 'CEL' }] }],
  },
  {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T12:00:00.000Z',
    eventTimeZoneOffset: '+00:00',
    epcList: [],
    quantityList: [{ epcClass: LOT2, quantity: 1000.5, uom: 'KGM' }],
    action: 'OBSERVE',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-inspecting',
    errorDeclaration: {
      declarationTime: '2026-03-02T08:00:00.000Z',
      reason: 'incorrect_data',
      correctiveEventIDs: [CORRECTIVE],
    },
  },
];
const DOCUMENT = epcisDocument(EVENTS);
const ID = EVENTS.map((event) =>
  computeEventHashId(event, { context: (DOCUMENT as { '@context': unknown })['@context'] }),
);
/** The eventIDs of events E1…E5 (1-based), sorted. */
const ids = (...n: number[]) => n.map((i) => ID[i - 1]!).sort();

describe('GET /events query parameters', () => {
  let ledger: LedgerApp;

  const get = (path: string, headers: Record<string, string> = {}) =>
    call(ledger.baseUrl, path, { headers });

  /** The eventIDs of every page of `query` (following Link), in the order served. */
  const served = async (query: string, headers: Record<string, string> = {}): Promise<string[]> => {
    const found: string[] = [];
    let next: string | null = `/events?${query}`;
    while (next !== null) {
      const response = await get(next, headers);
      expect({ query, status: response.status }).toEqual({ query, status: 200 });
      const body = (await response.json()) as {
        epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
      };
      expect({
        query,
        valid: validateQueryDocument(body),
        errors: validateQueryDocument.errors,
      }).toEqual({
        query,
        valid: true,
        errors: null,
      });
      found.push(...body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID));
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    return found;
  };
  const matched = async (query: string) => (await served(query)).sort();
  const q = (name: string, ...values: string[]) =>
    `${name}=${encodeURIComponent(values.join('|'))}`;

  beforeAll(async () => {
    ledger = await startLedgerApp();
    // EPCIS conformance: every field public, so events read back (and hash) exactly as sent.
    await publishEverything(ledger);
    const response = await call(ledger.baseUrl, '/capture', {
      key: ledger.apiKey,
      body: DOCUMENT,
      headers: { 'content-type': 'application/ld+json' },
    });
    expect({
      status: response.status,
      body: response.status === 202 ? null : await response.text(),
    }).toEqual({ status: 202, body: null });
    const job = (await (
      await call(ledger.baseUrl, response.headers.get('location')!, { key: ledger.apiKey })
    ).json()) as Record<string, unknown>;
    expect(job).toMatchObject({ running: false, success: true, eventCount: 5 });
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  // [parameter, a query that must match exactly these events, one that must match none]
  const cases: [string, string, number[], string][] = [
    ['eventType', 'eventType=ObjectEvent', [1, 2, 5], 'eventType=AssociationEvent'],
    [
      'eventType (list)',
      q('eventType', 'AggregationEvent', 'TransformationEvent'),
      [3, 4],
      'eventType=TransactionEvent',
    ],
    [
      'GE_eventTime',
      q('GE_eventTime', '2026-03-01T10:00:00Z'),
      [3, 4, 5],
      q('GE_eventTime', '2026-03-01T12:00:00.001Z'),
    ],
    [
      'LT_eventTime',
      q('LT_eventTime', '2026-03-01T10:00:00+01:00'),
      [1],
      q('LT_eventTime', '2026-03-01T08:00:00Z'),
    ],
    [
      'GE_recordTime',
      q('GE_recordTime', '2026-01-01T00:00:00Z'),
      [1, 2, 3, 4, 5],
      q('GE_recordTime', '2100-01-01T00:00:00Z'),
    ],
    [
      'LT_recordTime',
      q('LT_recordTime', '2100-01-01T00:00:00Z'),
      [1, 2, 3, 4, 5],
      q('LT_recordTime', '2026-01-01T00:00:00Z'),
    ],
    ['EQ_action', 'EQ_action=ADD', [1, 3], 'EQ_action=DELETE'],
    ['EQ_bizStep (short name)', 'EQ_bizStep=shipping', [2], 'EQ_bizStep=receiving'],
    [
      'EQ_bizStep (web URI)',
      q('EQ_bizStep', 'https://ref.gs1.org/cbv/BizStep-commissioning'),
      [1, 4],
      q('EQ_bizStep', 'https://ref.gs1.org/cbv/BizStep-receiving'),
    ],
    [
      'EQ_bizStep (URN)',
      q('EQ_bizStep', 'urn:epcglobal:cbv:bizstep:inspecting'),
      [5],
      q('EQ_bizStep', 'urn:epcglobal:cbv:bizstep:receiving'),
    ],
    [
      'EQ_disposition',
      q('EQ_disposition', 'in_transit', 'active'),
      [1, 2],
      'EQ_disposition=destroyed',
    ],
    [
      'EQ_persistentDisposition_set',
      'EQ_persistentDisposition_set=completeness_verified',
      [2],
      'EQ_persistentDisposition_set=recalled',
    ],
    [
      'EQ_persistentDisposition_unset',
      q('EQ_persistentDisposition_unset', 'https://ref.gs1.org/cbv/Disp-active'),
      [2],
      'EQ_persistentDisposition_unset=recalled',
    ],
    ['EQ_readPoint (EPC URI)', q('EQ_readPoint', FARM), [1], q('EQ_readPoint', FARM_DOCK)],
    [
      'EQ_readPoint (Digital Link)',
      q('EQ_readPoint', epcUriToDigitalLink(DEPOT)),
      [2],
      q('EQ_readPoint', 'urn:epc:id:sgln:9520123.00003.0'),
    ],
    ['EQ_bizLocation', q('EQ_bizLocation', FARM_DOCK), [1], q('EQ_bizLocation', FARM)],
    [
      'WD_bizLocation (a GLN contains its sub-locations)',
      q('WD_bizLocation', FARM),
      [1],
      q('WD_bizLocation', DEPOT),
    ],
    [
      'WD_readPoint',
      q('WD_readPoint', epcUriToDigitalLink(FARM), DEPOT),
      [1, 2],
      q('WD_readPoint', FARM_DOCK),
    ],
    [
      'EQ_transformationID',
      q('EQ_transformationID', TRANSFORMATION),
      [4],
      q('EQ_transformationID', CORRECTIVE),
    ],
    ['MATCH_epc', q('MATCH_epc', item(2)), [1, 3], q('MATCH_epc', item(99))],
    [
      'MATCH_epc (Digital Link)',
      q('MATCH_epc', epcUriToDigitalLink(item(1))),
      [1, 2],
      q('MATCH_epc', item(7, '045679')),
    ],
    [
      'MATCH_epc (GTIN pattern: its serials)',
      q('MATCH_epc', GTIN_PATTERN),
      [1, 2, 3],
      q('MATCH_epc', 'urn:epc:idpat:sgtin:9520123.045680.*'),
    ],
    [
      'MATCH_epc (lot: the items commissioned in it)',
      q('MATCH_epc', epcUriToDigitalLink(LOT1)),
      [1, 2, 3],
      q('MATCH_epc', epcUriToDigitalLink(LOT2)),
    ],
    [
      'MATCH_epc (lot, two per page: one event names two of its items)',
      `${q('MATCH_epc', epcUriToDigitalLink(LOT1))}&perPage=2`,
      [1, 2, 3],
      `${q('MATCH_epc', epcUriToDigitalLink(LOT2))}&perPage=2`,
    ],
    [
      'MATCH_anyEPC (GTIN pattern, two per page)',
      `${q('MATCH_anyEPC', GTIN_PATTERN)}&perPage=2`,
      [1, 2, 3, 4],
      `${q('MATCH_anyEPC', 'urn:epc:idpat:sgtin:9520123.045680.*')}&perPage=2`,
    ],
    [
      'MATCH_parentID',
      q('MATCH_parentID', epcUriToDigitalLink(SSCC)),
      [3],
      q('MATCH_parentID', item(1)),
    ],
    ['MATCH_inputEPC', q('MATCH_inputEPC', item(1)), [4], q('MATCH_inputEPC', item(2))],
    [
      'MATCH_outputEPC',
      q('MATCH_outputEPC', item(7, '045679')),
      [4],
      q('MATCH_outputEPC', item(1)),
    ],
    ['MATCH_anyEPC', q('MATCH_anyEPC', item(1), SSCC), [1, 2, 3, 4], q('MATCH_anyEPC', item(3))],
    ['MATCH_epcClass', q('MATCH_epcClass', LOT2), [5], q('MATCH_epcClass', OTHER_GTIN_PATTERN)],
    [
      'MATCH_epcClass (GTIN: its lots)',
      q('MATCH_epcClass', GTIN_PATTERN),
      [3, 5],
      q('MATCH_epcClass', 'urn:epc:idpat:sgtin:9520123.045680.*'),
    ],
    [
      'MATCH_inputEPCClass',
      q('MATCH_inputEPCClass', epcUriToDigitalLink(LOT1)),
      [4],
      q('MATCH_inputEPCClass', LOT2),
    ],
    [
      'MATCH_outputEPCClass',
      q('MATCH_outputEPCClass', OTHER_GTIN_PATTERN),
      [4],
      q('MATCH_outputEPCClass', LOT1),
    ],
    [
      'MATCH_anyEPCClass',
      q('MATCH_anyEPCClass', LOT1),
      [3, 4],
      q('MATCH_anyEPCClass', 'urn:epc:class:lgtin:9520123.045678.LOT9'),
    ],
    [
      'EXISTS_errorDeclaration',
      'EXISTS_errorDeclaration',
      [5],
      'EXISTS_errorDeclaration&eventType=AggregationEvent',
    ],
    ['EQ_errorReason', 'EQ_errorReason=incorrect_data', [5], 'EQ_errorReason=did_not_occur'],
    [
      'EQ_correctiveEventID',
      q('EQ_correctiveEventID', CORRECTIVE),
      [5],
      q('EQ_correctiveEventID', TRANSFORMATION),
    ],
    [
      'EQ_bizTransaction_{type}',
      q('EQ_bizTransaction_po', PO),
      [1],
      q('EQ_bizTransaction_inv', PO),
    ],
    [
      'EQ_source_{type}',
      q('EQ_source_owning_party', epcUriToDigitalLink(OWNER)),
      [1],
      q('EQ_source_possessing_party', OWNER),
    ],
    [
      'EQ_destination_{type}',
      q('EQ_destination_location', DEPOT),
      [1],
      q('EQ_destination_location', FARM),
    ],
    ['EQ_quantity', q('EQ_quantity', '10', '5'), [3, 4], 'EQ_quantity=11'],
    ['GT_quantity', 'GT_quantity=200', [5], 'GT_quantity=1000.5'],
    ['GE_quantity', 'GE_quantity=200', [4, 5], 'GE_quantity=1000000'],
    ['LT_quantity', 'LT_quantity=10', [4], 'LT_quantity=5'],
    ['LE_quantity', 'LE_quantity=10', [3, 4], 'LE_quantity=4.99'],
    [
      'GE_ and LE_quantity on one element',
      'GE_quantity=6&LE_quantity=199',
      [3],
      'GT_quantity=10&LT_quantity=200',
    ],
    [
      'EXISTS_sensorElementList',
      'EXISTS_sensorElementList',
      [4],
      'EXISTS_sensorElementList&EQ_action=ADD',
    ],
    [
      'several parameters (all must hold)',
      'eventType=ObjectEvent&EQ_action=OBSERVE&GE_eventTime=2026-03-01T09%3A00%3A00Z',
      [2, 5],
      'eventType=ObjectEvent&EQ_bizStep=packing',
    ],
  ];

  it.each(cases)(
    '%s: matches exactly its events, and nothing for another value',
    async (_, yes, events, no) => {
      expect(await matched(yes)).toEqual(ids(...events));
      expect(await matched(no)).toEqual([]);
    },
  );

  it('EQ_eventID: the event named, and nothing for an unknown one', async () => {
    expect(await matched(q('EQ_eventID', ID[2]!, ID[4]!))).toEqual(ids(3, 5));
    expect(await matched(q('EQ_eventID', 'urn:uuid:00000000-0000-4000-8000-000000000000'))).toEqual(
      [],
    );
  });

  it('serves log order by default and orderBy eventTime / recordTime in either direction', async () => {
    expect(await served('')).toEqual(ID);
    expect(await served('orderBy=eventTime&orderDirection=DESC&perPage=2')).toEqual(
      [...ID].reverse(),
    );
    expect(await served('orderBy=eventTime&orderDirection=ASC&perPage=1')).toEqual(ID);
    expect(await served('orderBy=eventTime')).toEqual([...ID].reverse()); // DESC is the default
    expect((await served('orderBy=recordTime&orderDirection=ASC&perPage=3')).sort()).toEqual(
      ids(1, 2, 3, 4, 5),
    );
  });

  it('eventCountLimit caps the events across pages', async () => {
    expect(await served('orderBy=eventTime&orderDirection=ASC&eventCountLimit=2')).toEqual(
      ids(1, 2).sort((a, b) => ID.indexOf(a) - ID.indexOf(b)),
    );
    expect(
      await served('orderBy=eventTime&orderDirection=DESC&eventCountLimit=3&perPage=1'),
    ).toEqual([ID[4], ID[3], ID[2]]);
  });

  it('maxEventCount: 413 QueryTooLargeException when more events match, the events otherwise', async () => {
    const tooMany = await get('/events?maxEventCount=4');
    expect(tooMany.status).toBe(413);
    expect(await problemOf(tooMany)).toMatchObject({
      type: 'epcisException:QueryTooLargeException',
      detail: expect.stringContaining('maxEventCount'),
    });
    expect(await matched('maxEventCount=5')).toEqual(ids(1, 2, 3, 4, 5));
    expect(await matched('maxEventCount=1&eventType=AggregationEvent')).toEqual(ids(3));
  });

  it.each([
    ['an unknown parameter', 'EQ_colour=red', 'EQ_colour'],
    ['a misspelt parameter', 'MATCH_EPC=urn:epc:id:sgtin:9520123.045678.1', 'MATCH_EPC'],
    ['a time that is no date-time', 'GE_eventTime=yesterday', 'GE_eventTime'],
    ['a time without a time zone', 'LT_recordTime=2026-03-01T08:00:00', 'LT_recordTime'],
    ['a quantity that is no number', 'GT_quantity=many', 'GT_quantity'],
    [
      'an eventCountLimit that is no number',
      'orderBy=eventTime&eventCountLimit=abc',
      'eventCountLimit',
    ],
    ['a maxEventCount of 0', 'maxEventCount=0', 'maxEventCount'],
    ['eventCountLimit without orderBy', 'eventCountLimit=2', 'eventCountLimit'],
    [
      'both eventCountLimit and maxEventCount',
      'orderBy=eventTime&eventCountLimit=2&maxEventCount=3',
      'maxEventCount',
    ],
    ['an unknown orderBy', 'orderBy=bizStep', 'orderBy'],
    ['an unknown orderDirection', 'orderBy=eventTime&orderDirection=UP', 'orderDirection'],
    ['an unknown event type', 'eventType=ShippingEvent', 'eventType'],
    ['an unknown action', 'EQ_action=MOVE', 'EQ_action'],
    ['an EPC URI that is malformed', 'MATCH_epc=urn:epc:id:sgtin:nope', 'MATCH_epc'],
    ['an empty list element', 'EQ_bizStep=shipping||receiving', 'EQ_bizStep'],
    ['a location that is no URI', 'EQ_readPoint=warehouse', 'EQ_readPoint'],
    ['a garbage nextPageToken', 'nextPageToken=not-a-token', 'nextPageToken'],
    ['a perPage of 0', 'perPage=0', 'perPage'],
  ])('%s → 400 QueryParameterException naming %s', async (_, query, name) => {
    const response = await get(`/events?${query}`);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: 'epcisException:QueryParameterException' });
    expect(problem.detail).toContain(name);
  });

  it('a nextPageToken works only with the parameters of the query that issued it', async () => {
    const first = await get('/events?eventType=ObjectEvent&perPage=1');
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')![1]!;
    const token = new URL(link, 'http://x').searchParams.get('nextPageToken')!;
    expect(
      (await get(`/events?eventType=ObjectEvent&perPage=1&nextPageToken=${token}`)).status,
    ).toBe(200);
    const other = await get(`/events?eventType=AggregationEvent&perPage=1&nextPageToken=${token}`);
    expect(other.status).toBe(400);
    expect((await problemOf(other)).detail).toContain('nextPageToken');
  });

  it('GS1-EPC-Format: Digital Links by default, as captured with Never_Translates or Always_EPC_URN, 400 for another value; echoed', async () => {
    const path = `/events?${q('EQ_eventID', ID[0]!)}`;
    const first = async (headers: Record<string, string>) => {
      const response = await get(path, headers);
      const [event] = (
        (await response.json()) as {
          epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
        }
      ).epcisBody.queryResults.resultsBody.eventList;
      return { format: response.headers.get('gs1-epc-format'), event: event! };
    };
    const dl = await first({});
    expect(dl.format).toBe('Always_GS1_Digital_Link');
    expect(dl.event.epcList).toEqual([epcUriToDigitalLink(item(1)), epcUriToDigitalLink(item(2))]);
    expect(dl.event.readPoint).toEqual({ id: epcUriToDigitalLink(FARM) });
    expect(dl.event.sourceList).toEqual([
      { type: 'owning_party', source: epcUriToDigitalLink(OWNER) },
    ]);
    for (const format of ['Never_Translates', 'Always_EPC_URN', 'No_Preference']) {
      const asCaptured = await first({ 'GS1-EPC-Format': format });
      expect(asCaptured.format).toBe(format);
      expect(asCaptured.event.epcList).toEqual([item(1), item(2)]);
    }
    const bad = await get(path, { 'GS1-EPC-Format': 'Always_Barcode' });
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).detail).toContain('GS1-EPC-Format');
  });

  it('browse resources: event types, values in use, their events', async () => {
    const collection = async (path: string) => {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      return ((await response.json()) as { type: string; member: string[] }).member;
    };
    expect(await collection('/eventTypes')).toEqual([
      'ObjectEvent',
      'AggregationEvent',
      'TransactionEvent',
      'TransformationEvent',
      'AssociationEvent',
    ]);
    expect(await collection('/eventTypes/AggregationEvent')).toEqual(['events']);
    expect((await get('/eventTypes/ShippingEvent')).status).toBe(404);
    const eventsOf = async (path: string) => {
      const ids_: string[] = [];
      let next: string | null = path;
      while (next !== null) {
        const response = await get(next);
        expect({ path: next, status: response.status }).toEqual({ path: next, status: 200 });
        const body = (await response.json()) as {
          epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
        };
        expect(validateQueryDocument(body)).toBe(true);
        ids_.push(...body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID));
        next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
      }
      return ids_.sort();
    };
    expect(await eventsOf('/eventTypes/ObjectEvent/events?perPage=1')).toEqual(ids(1, 2, 5));
    expect(await eventsOf('/eventTypes/ObjectEvent/events?EQ_action=ADD')).toEqual(ids(1));
    expect(await collection('/bizSteps')).toEqual([
      'https://ref.gs1.org/cbv/BizStep-commissioning',
      'https://ref.gs1.org/cbv/BizStep-inspecting',
      'https://ref.gs1.org/cbv/BizStep-packing',
      'https://ref.gs1.org/cbv/BizStep-shipping',
    ]);
    expect(await collection('/bizSteps/shipping')).toEqual(['events']);
    expect((await get('/bizSteps/receiving')).status).toBe(404);
    expect(await eventsOf('/bizSteps/commissioning/events')).toEqual(ids(1, 4));
    expect(await collection('/dispositions')).toEqual([
      'https://ref.gs1.org/cbv/Disp-active',
      'https://ref.gs1.org/cbv/Disp-in_transit',
    ]);
    expect(await eventsOf('/dispositions/in_transit/events')).toEqual(ids(2));
    expect(await collection('/readPoints')).toEqual(
      [epcUriToDigitalLink(FARM), epcUriToDigitalLink(DEPOT)].sort(),
    );
    expect(await eventsOf(`/readPoints/${encodeURIComponent(DEPOT)}/events`)).toEqual(ids(2));
    expect(await collection('/bizLocations')).toEqual([epcUriToDigitalLink(FARM_DOCK)]);
    expect(await eventsOf(`/bizLocations/${encodeURIComponent(FARM_DOCK)}/events`)).toEqual(ids(1));
    // /epcs in pages of two, following Link: every instance identifier once.
    const epcs: string[] = [];
    for (let next: string | null = '/epcs?perPage=2'; next !== null;) {
      const response = await get(next);
      epcs.push(...((await response.json()) as { member: string[] }).member);
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(epcs).toEqual(
      [item(1), item(2), item(7, '045679'), SSCC].map((id) => epcUriToDigitalLink(id)).sort(),
    );
    expect(await eventsOf(`/epcs/${encodeURIComponent(item(2))}/events`)).toEqual(ids(1, 3));
    expect((await get(`/epcs/${encodeURIComponent(item(3))}`)).status).toBe(404);
    const clash = await get(`/bizSteps/shipping/events?EQ_bizStep=packing`);
    expect(clash.status).toBe(400);
    expect((await problemOf(clash)).detail).toContain('EQ_bizStep');
  });

  it('a query that runs longer than QUERY_TIMEOUT_MS is a QueryTooComplexException', async () => {
    const repository = ledger.app.get(QueryRepository);
    await expect(repository.read('SELECT pg_sleep(0.2)', [], 50)).rejects.toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
    });
    await expect(repository.read('SELECT 1 AS one', [], 5000)).resolves.toEqual([{ one: 1 }]);
  });
});
