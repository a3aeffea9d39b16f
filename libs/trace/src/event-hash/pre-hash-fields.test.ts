import { describe, expect, it } from '@jest/globals';

import { HEAD, preHash } from '../../test/support/pre-hash-fixture.js';

// As in pre-hash.test.ts: "(reference)" marks output of RalphTro/epcis-event-hash-generator at
// 5d2f1c3 for the same event (`python3 -m epcis_event_hash_generator -p doc.jsonld`).

describe('user extensions (CBV 2.0 event hash ID rules 19-21)', () => {
  it('names them {namespace}local, sorts them at every level, repeats array elements (reference)', () => {
    expect(
      preHash({
        'ex:zz': '1.50',
        'ex:aa': {
          'ex:b': [{ 'ex:c': '2' }, { 'ex:c': '1' }],
          'ex:a': ' spaced ',
          id: 'urn:epc:id:sgtin:4012345.011111.9876',
        },
        'ur:key': 'v',
        'hs:frag': 'h',
        'https://ex.com/full/key': 'iri',
      }),
    ).toBe(
      `${HEAD}https://ex.com/full/key=iri{http://ex.org/h#}frag=h` +
        '{https://ex.com/ns/}aaid=https://id.gs1.org/01/04012345111118/21/9876{https://ex.com/ns/}a=spaced' +
        '{https://ex.com/ns/}b{https://ex.com/ns/}c=1{https://ex.com/ns/}b{https://ex.com/ns/}c=2' +
        '{https://ex.com/ns/}zz=1.5{urn:x:ns:}key=v',
    );
  });

  it('writes the key alone for an empty value or object, omits empty arrays and nulls', () => {
    // The reference writes "None" for null, which JSON-LD (and so this hash) drops.
    expect(preHash({ 'ex:e': '', 'ex:o': {}, 'ex:a': [], 'ex:n': null })).toBe(
      `${HEAD}{https://ex.com/ns/}e{https://ex.com/ns/}o`,
    );
  });

  it('flattens nested arrays (the reference garbles them)', () => {
    expect(preHash({ 'ex:a': [['x', 'y'], 'z'] })).toBe(
      `${HEAD}{https://ex.com/ns/}a=x{https://ex.com/ns/}a=y{https://ex.com/ns/}a=z`,
    );
  });

  it('writes booleans as xsd:boolean (the reference writes JSON true as "True")', () => {
    expect(preHash({ 'ex:b': true, 'ex:f': false })).toBe(
      `${HEAD}{https://ex.com/ns/}b=true{https://ex.com/ns/}f=false`,
    );
  });

  it('keeps an extension of readPoint inline when its namespace ends in "/", else in the tail (reference)', () => {
    const readPoint = {
      id: 'urn:epc:id:sgln:4012345.00005.0',
      'hs:x': '1',
      'ex:y': '2',
      'ex:a': '3',
    };
    expect(preHash({ readPoint, 'ex:top': 't' })).toBe(
      `${HEAD}readPointid=https://id.gs1.org/414/4012345000054{https://ex.com/ns/}a=3{https://ex.com/ns/}y=2` +
        'readPoint{http://ex.org/h#}x=1{https://ex.com/ns/}top=t',
    );
  });

  it('uses the prefixes of an event-level @context, over the document ones', () => {
    expect(
      preHash({ '@context': { ex: 'urn:own:', mine: 'urn:mine:' }, 'ex:a': '1', 'mine:b': '2' }),
    ).toBe(`${HEAD}{urn:mine:}b=2{urn:own:}a=1`);
  });

  it('reads undeclared compact keys as written and standard prefixes as the EPCIS context defines them', () => {
    expect(preHash({ 'nope:a': '1', 'cbvmda:lotNumber': 'L' }, [])).toBe(
      `${HEAD}nope:a=1{urn:epcglobal:cbv:mda:}lotNumber=L`,
    );
  });
});

describe('sensor data', () => {
  it('writes metadata, then reports sorted, then element extensions; every sensorReport field in order (reference)', () => {
    const sensorReport = {
      type: 'Temperature',
      exception: 'ALARM_CONDITION',
      component: 'latitude',
      stringValue: 'abc',
      hexBinaryValue: '0A0B',
      uriValue: 'https://ex.com/u',
      percRank: 50,
      percValue: 12.7,
      coordinateReferenceSystem: 'http://www.opengis.net/def/crs/EPSG/0/4979',
      time: '2020-01-01T00:00:01+01:00',
      chemicalSubstance: 'https://identifiers.org/inchikey:X',
      microorganism: 'https://www.ncbi.nlm.nih.gov/taxonomy/1',
      meanValue: 3,
      maxValue: 4,
      minValue: 2,
      sDev: 0.5,
      uom: 'CEL',
      deviceMetadata: 'https://id.gs1.org/8004/4000001111',
      rawData: 'https://ex.com/raw',
      'ex:r': 'x',
    };
    const sensorMetadata = {
      endTime: '2020-01-01T01:00:00.1234567Z',
      startTime: '2020-01-01T00:00:00Z',
      time: '2020-01-01T00:00:00.5Z',
      bizRules: 'https://ex.com/rules',
      dataProcessingMethod: 'https://ex.com/m',
      deviceID: 'urn:epc:id:giai:4000001.111',
      'ex:m': 'y',
    };
    const second = { type: 'Speed', minValue: 1.5, booleanValue: 'true', value: 0 };
    expect(
      preHash({
        sensorElementList: [{ sensorReport: [sensorReport, second], sensorMetadata, 'ex:e': 'z' }],
      }),
    ).toBe(
      `${HEAD}sensorElementListsensorElementsensorMetadatatime=2020-01-01T00:00:00.500Z` +
        'startTime=2020-01-01T00:00:00.000ZendTime=2020-01-01T01:00:00.123ZdeviceID=https://id.gs1.org/8004/4000001111' +
        'dataProcessingMethod=https://ex.com/mbizRules=https://ex.com/rules{https://ex.com/ns/}m=y' +
        'sensorReporttype=https://gs1.org/voc/Speedvalue=0booleanValue=trueminValue=1.5' +
        'sensorReporttype=https://gs1.org/voc/Temperatureexception=https://gs1.org/voc/ALARM_CONDITION' +
        'deviceMetadata=https://id.gs1.org/8004/4000001111rawData=https://ex.com/rawtime=2019-12-31T23:00:01.000Z' +
        'microorganism=https://www.ncbi.nlm.nih.gov/taxonomy/1chemicalSubstance=https://identifiers.org/inchikey:X' +
        'component=https://ref.gs1.org/cbv/Comp-latitudestringValue=abchexBinaryValue=0A0BuriValue=https://ex.com/u' +
        'minValue=2maxValue=4meanValue=3sDev=0.5percRank=50percValue=12.7uom=CEL' +
        'coordinateReferenceSystem=http://www.opengis.net/def/crs/EPSG/0/4979{https://ex.com/ns/}r=x{https://ex.com/ns/}e=z',
    );
  });

  it('sorts sensor elements and moves keys outside the order to the tail under their parents (reference)', () => {
    const elements = [
      { sensorReport: [{ type: 'Count', value: 3, bizRules: 'https://ex.com/r' }] },
      { sensorReport: { type: 'Area', value: 1 } },
    ];
    expect(preHash({ sensorElementList: elements })).toBe(
      `${HEAD}sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/Areavalue=1` +
        'sensorElementsensorReporttype=https://gs1.org/voc/Countvalue=3' +
        'sensorElementListsensorElementsensorReportbizRules=https://ex.com/r',
    );
  });
});

describe('quantities and persistent disposition', () => {
  it('writes epcClass, quantity, uom per element and sorts the elements (reference)', () => {
    const quantityList = [
      { uom: 'KGM', quantity: 200.5, epcClass: 'urn:epc:class:lgtin:4012345.012345.998877' },
      { epcClass: 'urn:epc:idpat:sgtin:4012345.012345.*', quantity: '1.0' },
    ];
    expect(preHash({ quantityList })).toBe(
      `${HEAD}quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877quantity=200.5uom=KGM` +
        'quantityElementepcClass=https://id.gs1.org/01/04012345123456quantity=1',
    );
  });

  it('writes set before unset, each sorted, short names expanded (reference)', () => {
    expect(
      preHash({
        persistentDisposition: {
          unset: ['completeness_verified', 'urn:epcglobal:cbv:disp:recalled'],
          set: 'conformant',
        },
      }),
    ).toBe(
      `${HEAD}persistentDispositionset=https://ref.gs1.org/cbv/Disp-conformant` +
        'unset=https://ref.gs1.org/cbv/Disp-completeness_verifiedunset=https://ref.gs1.org/cbv/Disp-recalled',
    );
  });

  it('expands trimmed short names and CURIEs of standard prefixes (the reference does neither)', () => {
    expect(preHash({ bizStep: ' shipping ', disposition: 'cbv:Disp-in_progress' })).toBe(
      `${HEAD}bizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_progress`,
    );
  });
});

describe('fields that are not hashed', () => {
  it('ignores eventID, recordTime, errorDeclaration and comments, so an error declaration keeps the hash', () => {
    const declared = {
      eventID: 'ni:///sha-256;1?ver=CBV2.0',
      recordTime: '2021-01-01T00:00:00Z',
      errorDeclaration: {
        declarationTime: '2021-01-02T00:00:00Z',
        reason: 'did_not_occur',
        correctiveEventIDs: ['urn:uuid:1'],
      },
      comment: 'c',
      'rdfs:comment': 'r',
      readPoint: { id: 'urn:x:rp', comment: 'c' },
    };
    expect(preHash(declared)).toBe(`${HEAD}readPointid=urn:x:rp`);
  });
});
