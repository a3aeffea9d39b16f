import { describe, expect, it } from '@jest/globals';

import { findIdentifierProblem } from './identifier-checks.js';

describe(findIdentifierProblem.name, () => {
  it.each([
    'urn:epc:id:sgtin:0614141.107346.2017',
    'urn:epc:id:sscc:0614141.1234567890',
    'urn:epc:id:sgln:0614141.07346.1234',
    'urn:epc:id:pgln:9520123.00001',
    'urn:epc:class:lgtin:4012345.012345.998877',
    'urn:epc:idpat:sgtin:4012345.012345.*',
    'https://id.gs1.org/01/09520123456788/21/12345',
    'https://id.gs1.org/01/09520123456788/10/LOT1?17=261231',
    'https://example.com/01/09520123456788/21/1', // a Digital Link on a brand's own domain
    'https://id.gs1.org/414/9520123000011',
    // EPC schemes that are not GS1 keys: nothing to check beyond the URN.
    'urn:epc:id:gid:95100000.12345.400',
    'urn:epc:id:usdod:2S194.12345678901',
    'urn:epc:id:adi:2S.DS35.ABC',
    'urn:epc:id:bic:CSQU3054383',
    'urn:epc:id:imovn:9176187',
    // Private identifiers and plain web URIs: any URI may name an object (EPCIS 2.0 §8.2).
    'urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    'https://example.com/products/1234',
    'https://example.com/01/12', // a key AI without four digits after it is not taken as one
    'http://transaction.acme.com/po/12345678',
  ])('accepts %s', (value) => {
    expect(findIdentifierProblem(value)).toBeUndefined();
  });

  it.each([
    ['urn:epc:id:sgtin:0614141.10734.2017', 'EPC URI', '13 digits'],
    ['urn:epc:id:sgtin:0614141.107346', 'EPC URI', "'.'-separated components"],
    ['urn:epc:tag:sgtin-96:3.0614141.107346.2017', 'EPC URI', 'is not an EPC URI'],
    ['urn:epc:id:foo:0614141.1', 'EPC URI', "EPC scheme 'id:foo' is not supported"],
    ['https://id.gs1.org/01/09520123456789/21/1', 'GS1 Digital Link URI', 'wrong check digit'],
    ['https://example.com/01/09520123456789', 'GS1 Digital Link URI', 'wrong check digit'],
    ['https://id.gs1.org/', 'GS1 Digital Link URI', 'no GS1 primary key'],
    ['HTTPS://ID.GS1.ORG/gtin/1', 'GS1 Digital Link URI', ''],
  ])('refuses %s as an %s', (value, kind, reason) => {
    expect(findIdentifierProblem(value)).toEqual({
      kind,
      reason: expect.stringContaining(reason) as unknown as string,
    });
  });

  it('gives the same verdict from its cache, also after the cache filled up', () => {
    const bad = 'https://id.gs1.org/01/09520123456789/21/1';
    const first = findIdentifierProblem(bad);
    for (let i = 0; i < 9000; i += 1) {
      findIdentifierProblem(`urn:epc:id:sgtin:0614141.107346.c${i}`);
    }

    expect(findIdentifierProblem(bad)).toEqual(first);
    expect(findIdentifierProblem(bad)).toEqual(first);
  });
});
