import { describe, expect, it } from '@jest/globals';

import { BASE, CONTEXT, HEAD, preHash } from '../../test/support/pre-hash-fixture.js';
import { type EpcisEvent, formatEventPreHash } from './pre-hash.js';

// Expected pre-hash strings marked "(reference)" are the output of RalphTro/epcis-event-hash-generator
// at 5d2f1c3 for the same event in a document with CONTEXT: `python3 -m epcis_event_hash_generator
// -p doc.jsonld`. The others follow CBV 2.0 event hash ID where that implementation deviates; each says how.

describe('canonical property order', () => {
  it('orders every field of an AggregationEvent; lists and extensions sorted at the end (reference)', () => {
    const event = {
      type: 'AggregationEvent',
      'rdfs:comment': 'ignored',
      errorDeclaration: {
        declarationTime: '2020-01-15T00:00:00.000+01:00',
        reason: 'incorrect_data',
      },
      bizTransactionList: [
        { type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:2' },
        { type: 'inv', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:1' },
      ],
      destinationList: [
        {
          type: 'urn:epcglobal:cbv:sdt:owning_party',
          destination: 'urn:epc:id:pgln:4012345.00000',
        },
      ],
      sourceList: [
        { type: 'possessing_party', source: 'urn:epc:id:pgln:4012345.00000' },
        { type: 'location', source: 'urn:epc:id:sgln:4012345.00005.0' },
      ],
      bizLocation: { id: 'urn:epc:id:sgln:4012345.00005.0', 'ex:x': '1', 'ur:y': '2' },
      action: 'ADD',
      childQuantityList: [{ epcClass: 'urn:epc:idpat:sgtin:4012345.012345.*', quantity: 3 }],
      childEPCs: ['urn:epc:id:sgtin:4012345.011111.2', 'urn:epc:id:sgtin:4012345.011111.10'],
      parentID: 'urn:epc:id:sscc:4012345.0000000333',
      eventTimeZoneOffset: '+00:00',
      eventTime: '2020-01-01T00:00:00Z',
      eventID: 'ni:///sha-256;00?ver=CBV2.0',
      recordTime: '2020-01-01T00:00:00Z',
      comment: 'ignored',
    };
    expect(formatEventPreHash(event, { context: CONTEXT })).toBe(
      'eventType=AggregationEventeventTime=2020-01-01T00:00:00.000ZeventTimeZoneOffset=+00:00' +
        'parentID=https://id.gs1.org/00/040123450000003338' +
        'childEPCsepc=https://id.gs1.org/01/04012345111118/21/10epc=https://id.gs1.org/01/04012345111118/21/2' +
        'childQuantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456quantity=3' +
        'action=ADDbizLocationid=https://id.gs1.org/414/4012345000054{https://ex.com/ns/}x=1' +
        // "urn:x:ns:" does not end in "/": the reference moves such an extension to the tail.
        'bizLocation{urn:x:ns:}y=2' +
        'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-invbizTransaction=urn:epcglobal:cbv:bt:4012345000009:1' +
        'type=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:4012345000009:2' +
        'destinationListtype=https://ref.gs1.org/cbv/SDT-owning_partydestination=https://id.gs1.org/417/4012345000009' +
        'sourceListtype=https://ref.gs1.org/cbv/SDT-locationsource=https://id.gs1.org/414/4012345000054' +
        'type=https://ref.gs1.org/cbv/SDT-possessing_partysource=https://id.gs1.org/417/4012345000009',
    );
  });

  it('writes certificationInfo after the offset and parentID before epcList (reference)', () => {
    const event = {
      ...BASE,
      type: 'TransactionEvent',
      epcList: ['urn:epc:id:sgtin:4012345.011111.2'],
      parentID: 'urn:epc:id:sscc:4012345.0000000333',
      certificationInfo: ['https://cert.example.com/b', 'https://cert.example.com/a'],
      action: 'ADD',
    };
    expect(formatEventPreHash(event)).toBe(
      'eventType=TransactionEventeventTime=2020-01-01T00:00:00.000ZeventTimeZoneOffset=+00:00' +
        'certificationInfo=https://cert.example.com/acertificationInfo=https://cert.example.com/b' +
        'parentID=https://id.gs1.org/00/040123450000003338epcListepc=https://id.gs1.org/01/04012345111118/21/2action=ADD',
    );
  });

  it('writes the input, output and transformation fields of a TransformationEvent (reference)', () => {
    const event = {
      ...BASE,
      type: 'TransformationEvent',
      readPoint: { id: 'urn:epc:id:sgln:4012345.00005.0' },
      disposition: 'active',
      bizStep: 'commissioning',
      transformationID: 'urn:epc:id:gdti:0614141.12345.400',
      outputQuantityList: [
        { epcClass: 'urn:epc:class:lgtin:4012345.012345.998878', quantity: 2, uom: 'KGM' },
      ],
      outputEPCList: ['urn:epc:id:sgtin:4012345.011111.3'],
      inputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 2 }],
      inputEPCList: ['urn:epc:id:sgtin:4012345.011111.2'],
    };
    expect(formatEventPreHash(event)).toBe(
      'eventType=TransformationEventeventTime=2020-01-01T00:00:00.000ZeventTimeZoneOffset=+00:00' +
        'inputEPCListepc=https://id.gs1.org/01/04012345111118/21/2' +
        'inputQuantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877quantity=2' +
        'outputEPCListepc=https://id.gs1.org/01/04012345111118/21/3' +
        'outputQuantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998878quantity=2uom=KGM' +
        'transformationID=https://id.gs1.org/253/0614141123452400bizStep=https://ref.gs1.org/cbv/BizStep-commissioning' +
        'disposition=https://ref.gs1.org/cbv/Disp-activereadPointid=https://id.gs1.org/414/4012345000054',
    );
  });

  it('does not depend on the order of the JSON keys', () => {
    const fields = {
      action: 'OBSERVE',
      bizStep: 'shipping',
      'ex:b': '1',
      'ex:a': { 'ex:y': '2', 'ex:x': '1' },
    };
    const reversed = Object.fromEntries(
      Object.entries({ ...BASE, ...fields }).reverse(),
    ) as EpcisEvent;
    expect(formatEventPreHash(reversed, { context: CONTEXT })).toBe(preHash(fields));
  });

  it('writes type before value in a bizTransaction whatever the key order (the reference follows key order)', () => {
    const link = {
      bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:1',
      type: 'po',
      'ex:note': 'n',
    };
    expect(preHash({ bizTransactionList: [link] })).toBe(
      `${HEAD}bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:4012345000009:1{https://ex.com/ns/}note=n`,
    );
    // Without a type, the value alone (the reference fails on such a bizTransaction).
    expect(preHash({ bizTransactionList: [{ bizTransaction: 'urn:x:1' }] })).toBe(
      `${HEAD}bizTransactionListbizTransaction=urn:x:1`,
    );
  });

  it('sorts the tail as whole strings: lists, ILMD, then extensions (reference)', () => {
    expect(
      preHash({
        'ex:z': 'last',
        sourceList: [{ type: 'owning_party', source: 'urn:x:s' }],
        ilmd: { 'ex:lot': 'L1' },
        destinationList: [{ type: 'owning_party', destination: 'urn:x:d' }],
        bizTransactionList: [{ type: 'po', bizTransaction: 'urn:x:b' }],
        sensorElementList: [{ sensorReport: [{ type: 'Count', value: 3 }] }],
        unknownField: 'kept',
      }),
    ).toBe(
      `${HEAD}sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/Countvalue=3` +
        'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:x:b' +
        'destinationListtype=https://ref.gs1.org/cbv/SDT-owning_partydestination=urn:x:d' +
        'ilmd{https://ex.com/ns/}lot=L1' +
        'sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=urn:x:s' +
        'unknownField=kept{https://ex.com/ns/}z=last',
    );
  });

  it('omits absent, null and empty fields and lists (rule 4)', () => {
    expect(
      preHash({
        epcList: [],
        action: null,
        bizStep: '  ',
        readPoint: {},
        quantityList: [{}],
        disposition: undefined,
      }),
    ).toBe(HEAD);
    expect(
      preHash({
        bizLocation: null,
        persistentDisposition: { set: [] },
        sensorElementList: [{ sensorMetadata: { time: null } }],
      }),
    ).toBe(HEAD);
  });
});
