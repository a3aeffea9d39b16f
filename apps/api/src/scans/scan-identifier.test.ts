import { describe, expect, it } from '@jest/globals';

import { parseScannedItem, ScanIdentifierError } from './scan-identifier.js';

const ITEM = 'https://id.gs1.org/01/09506000134352/21/0001';

describe(parseScannedItem.name, () => {
  it.each([
    '/01/9506000134352/21/0001',
    '/01/09506000134352/10/L1/21/0001',
    'https://id.gs1.org/01/09506000134352/21/0001',
    'https://brand.example.com/p/01/09506000134352/10/L1/21/0001?17=271231&linkType=all',
    'urn:epc:id:sgtin:9506000.013435.0001',
  ])('reads %s as the item (GTIN + serial)', (identifier) => {
    expect(parseScannedItem(identifier)).toBe(ITEM);
  });

  it.each([
    ['a GTIN', '/01/09506000134352'],
    ['a lot', '/01/09506000134352/10/L1'],
    ['an SSCC', '/00/095060001343520012'],
    ['a bad check digit', '/01/09506000134353/21/1'],
    ['no identifier', 'hello'],
    ['a product class', 'urn:epc:idpat:sgtin:9506000.013435.*'],
  ])('refuses %s', (_case, identifier) => {
    expect(() => parseScannedItem(identifier)).toThrow(ScanIdentifierError);
  });
});
