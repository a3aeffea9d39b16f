import { describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink } from '@traceroot/trace';

import {
  describingKeysOf,
  locationKey,
  lotKey,
  partyKey,
  productKey,
  RecordKeyError,
  recordKeyOf,
} from './record-key.js';

const P = 'https://id.gs1.org/01/09506000134352';

describe('record keys: the identifiers of event_identifiers', () => {
  it.each([
    [productKey('9506000134352'), { id: P, kind: 'product' }],
    [productKey('09506000134352'), { id: P, kind: 'product' }],
    [lotKey('9506000134352', 'A/1 B'.replace(' ', '')), { id: `${P}/10/A%2F1B`, kind: 'lot' }],
    [
      locationKey('0037000007296'),
      { id: 'https://id.gs1.org/414/0037000007296', kind: 'location' },
    ],
    [partyKey('9506000134376'), { id: 'https://id.gs1.org/417/9506000134376', kind: 'party' }],
  ])('%# builds %j', (key, expected) => {
    expect(key).toEqual(expected);
  });

  it.each([
    'urn:epc:idpat:sgtin:9506000.013435.*',
    'urn:epc:class:lgtin:9506000.013435.A%2F1B',
    'urn:epc:id:sgln:0037000.00729.0',
    'urn:epc:id:sgln:0037000.00729.8201',
    'urn:epc:id:pgln:9506000.13437',
    'https://example.com/01/9506000134352/10/L1?17=261231',
  ])('reads %s as epcUriToDigitalLink writes it', (identifier) => {
    expect(recordKeyOf(identifier).id).toBe(epcUriToDigitalLink(identifier));
  });

  it('maps an SGLN of extension 0 to the GLN itself, as EPC TDS §7.5 says', () => {
    expect(locationKey('urn:epc:id:sgln:0037000.00729.0')).toEqual(locationKey('0037000007296'));
  });

  it.each([
    ['a serialised item', 'urn:epc:id:sgtin:9506000.013435.1'],
    ['an SSCC', 'urn:epc:id:sscc:9506000.0000000001'],
    ['a private URI', 'urn:example:thing:1'],
    ['a bad check digit', 'https://id.gs1.org/01/09506000134353'],
  ])('refuses %s', (_case, identifier) => {
    expect(() => recordKeyOf(identifier)).toThrow(RecordKeyError);
  });

  it.each([
    ['a GTIN with a bad check digit', () => productKey('9506000134353')],
    ['a lot of 21 characters', () => lotKey('9506000134352', 'x'.repeat(21))],
    ['a lot with a space', () => lotKey('9506000134352', 'a b')],
    ['a party GLN of 12 digits', () => partyKey('950600013437')],
    ['a product as a location', () => locationKey('urn:epc:idpat:sgtin:9506000.013435.*')],
  ])('refuses %s', (_case, build) => {
    expect(build).toThrow(RecordKeyError);
  });

  it('names the records describing an identifier, for lookups', () => {
    expect(describingKeysOf('https://id.gs1.org/01/9506000134352/10/L1/21/7')).toEqual([
      P,
      `${P}/10/L1`,
    ]);
    expect(describingKeysOf('urn:epc:id:sgtin:9506000.013435.7')).toEqual([P]);
    expect(describingKeysOf('urn:epc:id:sgln:0037000.00729.12')).toEqual([
      'https://id.gs1.org/414/0037000007296/254/12',
      'https://id.gs1.org/414/0037000007296',
    ]);
    expect(describingKeysOf('urn:epc:id:sscc:9506000.0000000001')).toEqual([]);
    expect(describingKeysOf('urn:example:x')).toEqual([]);
  });
});
