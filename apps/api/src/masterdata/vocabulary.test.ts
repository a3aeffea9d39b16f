import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { planVocabulary, VOCABULARY_LIST_POINTER, vocabularyListOf } from './vocabulary.js';

const FIXTURE = new URL(
  '../../test/fixtures/masterdata/example-9.8.1-with-master-data.jsonld',
  import.meta.url,
);
const document = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

const element = (type: string, id: string, attributes: [string, unknown][]) => [
  {
    type: `urn:epcglobal:epcis:vtype:${type}`,
    vocabularyElementList: [
      {
        id,
        attributes: attributes.map(([attributeId, attribute]) => ({ id: attributeId, attribute })),
      },
    ],
  },
];

const at = (i: number, j: number) => `${VOCABULARY_LIST_POINTER}/${i}/vocabularyElementList/${j}`;

describe(vocabularyListOf.name, () => {
  it('finds the header vocabularies, and nothing in a document without them', () => {
    expect(vocabularyListOf(document)).toHaveLength(4);
    expect(vocabularyListOf({ type: 'EPCISDocument', epcisBody: {} })).toBeUndefined();
    expect(
      vocabularyListOf({ epcisHeader: { epcisMasterData: { vocabularyList: [] } } }),
    ).toBeUndefined();
    expect(vocabularyListOf(null)).toBeUndefined();
  });
});

describe(planVocabulary.name, () => {
  it('maps the CBV master data attributes of the example onto records', () => {
    const plan = planVocabulary(vocabularyListOf(document)!);
    expect(plan.failures).toEqual([]);
    expect(plan.updates).toEqual([
      {
        key: { id: 'https://id.gs1.org/414/0037000007296', kind: 'location' },
        pointer: at(0, 0),
        attributes: {
          name: 'Fancy distribution centre',
          address: {
            street: '100 Nowhere Street',
            city: 'Fancy',
            region: 'DC',
            postalCode: '99999',
            countryCode: 'US',
          },
          latitude: 18,
          longitude: -70,
        },
      },
      {
        // Named by the BusinessLocation and the ReadPoint vocabularies: one update.
        key: { id: 'https://id.gs1.org/414/0037000007296/254/8202', kind: 'location' },
        pointer: at(0, 1),
        attributes: { name: 'Storage area' },
      },
      {
        key: { id: 'https://id.gs1.org/414/0037000007296/254/8201', kind: 'location' },
        pointer: at(1, 0),
        attributes: { name: 'Receiving dock' },
      },
      {
        key: { id: 'https://id.gs1.org/01/10614141073464', kind: 'product' },
        pointer: at(2, 0),
        attributes: {
          name: 'Acme Red Widgets',
          description: 'Acme Corporation kleine rote Widgets, 12 Stück',
          descriptions: { de: 'Acme Corporation kleine rote Widgets, 12 Stück' },
        },
      },
      {
        key: { id: 'https://id.gs1.org/01/10614141073464/10/2017A', kind: 'lot' },
        pointer: at(2, 1),
        attributes: {
          bestBefore: '2027-03-15',
          expirationDate: '2027-06-30',
          harvestDate: '2026-02-01',
          originCountry: 'US',
        },
      },
    ]);
  });

  it.each([['urn:epcglobal:cbv:mda#name'], ['urn:epcglobal:cbv:mda:name'], ['cbvmda:name']])(
    'reads the attribute id %s',
    (attributeId) => {
      const plan = planVocabulary(
        element('Party', 'urn:epc:id:pgln:9506000.13437', [[attributeId, 'Yibin Distillers']]),
      );
      expect(plan.updates[0]?.attributes).toEqual({ name: 'Yibin Distillers' });
    },
  );

  it('takes the name from descriptionShort, else tradeItemDescription, else regulatedProductName', () => {
    const name = (attributes: [string, unknown][]) =>
      planVocabulary(element('EPCClass', 'urn:epc:idpat:sgtin:9506000.013435.*', attributes))
        .updates[0]?.attributes.name;
    expect(
      name([
        ['cbvmda:regulatedProductName', 'R'],
        ['cbvmda:tradeItemDescription', 'T'],
      ]),
    ).toBe('T');
    expect(name([['cbvmda:regulatedProductName', 'R']])).toBe('R');
    expect(
      name([
        ['cbvmda:descriptionShort', 'S'],
        ['cbvmda:tradeItemDescription', 'T'],
      ]),
    ).toBe('S');
  });

  it('maps geoLocation, the owning party and several address lines', () => {
    const plan = planVocabulary(
      element('BusinessLocation', 'https://id.gs1.org/414/0037000007296', [
        ['cbvmda:name', 'Depot'],
        ['cbvmda:geoLocation', 'geo:30.66,104.07'],
        ['urn:epcglobal:cbv:owning_party', 'urn:epc:id:pgln:9506000.13437'],
        ['cbvmda:streetAddressOne', 'Building 3'],
        ['cbvmda:streetAddressTwo', '1 Minjiang Rd'],
      ]),
    );
    expect(plan.updates[0]?.attributes).toEqual({
      name: 'Depot',
      latitude: 30.66,
      longitude: 104.07,
      owningParty: '9506000134376',
      address: { street: 'Building 3, 1 Minjiang Rd' },
    });
  });

  it('skips an element with no attribute this service keeps (e.g. only site and sst)', () => {
    const plan = planVocabulary(
      element('ReadPoint', 'urn:epc:id:sgln:0037000.00729.8203', [
        ['cbvmda:sst', 204],
        ['cbvmda:site', '0037000007296'],
      ]),
    );
    expect(plan).toEqual({ updates: [], failures: [] });
  });

  it('skips other vocabularies, private identifiers and private attributes', () => {
    expect(
      planVocabulary(
        element('BusinessStep', 'urn:epc:id:sgln:0037000.00729.0', [['cbvmda:name', 'x']]),
      ),
    ).toEqual({ updates: [], failures: [] });
    expect(
      planVocabulary(element('BusinessLocation', 'urn:example:loc:1', [['cbvmda:name', 'x']])),
    ).toEqual({ updates: [], failures: [] });
    const plan = planVocabulary(
      element('Party', 'urn:epc:id:pgln:9506000.13437', [
        ['https://example.com/rating', 5],
        ['cbvmda:name', 'P'],
      ]),
    );
    expect(plan.updates[0]?.attributes).toEqual({ name: 'P' });
  });

  it.each([
    [
      'an SGTIN in an EPCClass vocabulary',
      element('EPCClass', 'urn:epc:id:sgtin:9506000.013435.1', []),
      at(0, 0) + '/id',
    ],
    [
      'a lot in a location vocabulary',
      element('ReadPoint', 'urn:epc:class:lgtin:9506000.013435.L1', []),
      at(0, 0) + '/id',
    ],
    [
      'a malformed EPC URI',
      element('ReadPoint', 'urn:epc:id:sgln:0037000.729', []),
      at(0, 0) + '/id',
    ],
    [
      'a latitude that is not one',
      element('ReadPoint', 'urn:epc:id:sgln:0037000.00729.0', [
        ['cbvmda:name', 'x'],
        ['cbvmda:latitude', 'north'],
      ]),
      at(0, 0) + '/attributes/1/attribute',
    ],
    [
      'a latitude out of range',
      element('ReadPoint', 'urn:epc:id:sgln:0037000.00729.0', [['cbvmda:latitude', '95.5']]),
      at(0, 0) + '/attributes/0/attribute',
    ],
    [
      'a country that is not one',
      element('ReadPoint', 'urn:epc:id:sgln:0037000.00729.0', [['cbvmda:countryCode', 'USA']]),
      at(0, 0) + '/attributes/0/attribute',
    ],
    [
      'an impossible date',
      element('EPCClass', 'urn:epc:class:lgtin:9506000.013435.L1', [
        ['cbvmda:bestBeforeDate', '2027-02-30'],
      ]),
      at(0, 0) + '/attributes/0/attribute',
    ],
    [
      'a name that is an object',
      element('Party', 'urn:epc:id:pgln:9506000.13437', [['cbvmda:name', { a: 1 }]]),
      at(0, 0) + '/attributes/0/attribute',
    ],
    [
      'an owning party with a bad check digit',
      element('ReadPoint', 'urn:epc:id:sgln:0037000.00729.0', [
        ['urn:epcglobal:cbv:owning_party', '9506000134377'],
      ]),
      at(0, 0) + '/attributes/0/attribute',
    ],
  ])('reports %s, naming it, and applies nothing of the element', (_case, list, pointer) => {
    const plan = planVocabulary(list);
    expect(plan.updates).toEqual([]);
    expect(plan.failures).toEqual([
      {
        pointer,
        message: expect.stringMatching(new RegExp(`^${pointer.replaceAll('/', '\\/')}: `)),
        exception: 'ValidationException',
      },
    ]);
  });
});
