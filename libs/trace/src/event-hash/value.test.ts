import { describe, expect, it } from '@jest/globals';

import { TraceError } from '../errors.js';
import { STANDARD_PREFIX_MAP, resolvePrefixes } from './context.js';
import { formatHashNumber, formatHashScalar, formatHashText } from './value.js';

// Number forms: Python's repr(float(x)) with integral values as int, as the reference
// implementation writes them (python3 -c 'print(repr(1.5e-05))' → 1.5e-05).
describe('formatHashNumber (CBV 2.0 event hash ID rules 6-7)', () => {
  it.each([
    [26, '26'],
    [26.0, '26'],
    [200.5, '200.5'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [-0, '0'],
    [1e21, '1000000000000000000000'],
    [Number('123456789012345678901234'), '123456789012345685803008'], // as JSON.parse reads it
    [0.0001, '0.0001'],
    [0.00012, '0.00012'],
    [0.000015, '1.5e-05'],
    [1e-7, '1e-07'],
    [-3e-200, '-3e-200'],
  ])('%p → %s', (value, want) => {
    expect(formatHashNumber(value)).toBe(want);
  });
});

describe('formatHashText', () => {
  const prefixes = resolvePrefixes([{ example: 'https://ns.example.com/epcis/' }]);

  it.each([
    ['trims (rule 5)', '  in_transit \n', 'in_transit'],
    ['empty after trimming', '   ', ''],
    ['a numeric string without trailing zeros (rule 6)', '1.50', '1.5'],
    ['a numeric string with exponent and sign', '+.5e1', '5'],
    ['leading zeros of a numeric string, as the reference does', '007', '7'],
    ['digit separators, as Python float() reads them', '1_000', '1000'],
    ['hex, NaN and infinity are text', '0x10', '0x10'],
    ['NaN is text', 'NaN', 'NaN'],
    ['an overflowing number is text', '1e400', '1e400'],
    ['a time zone offset is text', '+01:00', '+01:00'],
    ['a date is text', '2019-10-21', '2019-10-21'],
    ['a CURIE with a document prefix (rule 15)', 'example:val', 'https://ns.example.com/epcis/val'],
    [
      'a CURIE with a standard prefix',
      'cbv:Comp-latitude',
      'https://ref.gs1.org/cbv/Comp-latitude',
    ],
    [
      'a URN vocabulary value (rule 14)',
      'urn:epcglobal:cbv:disp:in_transit',
      'https://ref.gs1.org/cbv/Disp-in_transit',
    ],
    [
      'an SGTIN (rule 17)',
      'urn:epc:id:sgtin:4012345.011111.987',
      'https://id.gs1.org/01/04012345111118/21/987',
    ],
    ['an SSCC', 'urn:epc:id:sscc:4012345.0000000333', 'https://id.gs1.org/00/040123450000003338'],
    [
      'an SGLN with extension 0',
      'urn:epc:id:sgln:4012345.00005.0',
      'https://id.gs1.org/414/4012345000054',
    ],
    [
      'an LGTIN class',
      'urn:epc:class:lgtin:4012345.012345.998877',
      'https://id.gs1.org/01/04012345123456/10/998877',
    ],
    [
      'an SGTIN pattern',
      'urn:epc:idpat:sgtin:4012345.012345.*',
      'https://id.gs1.org/01/04012345123456',
    ],
    ['a GDTI', 'urn:epc:id:gdti:0614141.12345.400', 'https://id.gs1.org/253/0614141123452400'],
    [
      'an EPC scheme without GS1 key, kept',
      'urn:epc:id:usdod:2S194.12345678901',
      'urn:epc:id:usdod:2S194.12345678901',
    ],
    ['a malformed SGTIN, kept', 'urn:epc:id:sgtin:bad', 'urn:epc:id:sgtin:bad'],
    [
      'a Digital Link on a custom domain with query string (rule 18 I, II)',
      'https://brand.example.com/some/path/01/9506000134352/21/S1?17=261231&linkType=gs1:pip',
      'https://id.gs1.org/01/09506000134352/21/S1',
    ],
    [
      'a Digital Link with lot and serial: serial only (rule 18 III)',
      'https://id.gs1.org/01/09506000134352/10/LOT1/21/SER1',
      'https://id.gs1.org/01/09506000134352/21/SER1',
    ],
    [
      'short names and a CPV: lot only',
      'http://example.org/gtin/9506000134352/cpv/V1/lot/L1',
      'https://id.gs1.org/01/09506000134352/10/L1',
    ],
    [
      'a GLN with extension',
      'https://id.gs1.org/414/9520123456788/254/32a%2Fb',
      'https://id.gs1.org/414/9520123456788/254/32a%2Fb',
    ],
    [
      'a GLN with a UIC extension: GLN only',
      'https://id.gs1.org/414/9520123456788/7040/1A1B',
      'https://id.gs1.org/414/9520123456788',
    ],
    [
      'a GTIN with TPX',
      'https://id.gs1.org/01/09506000134352/235/TPX1',
      'https://id.gs1.org/01/09506000134352/235/TPX1',
    ],
    [
      'an ITIP with serial',
      'https://id.gs1.org/8006/095011010209790102/10/L/21/S',
      'https://id.gs1.org/8006/095011010209790102/21/S',
    ],
    [
      'a CPID with serial',
      'https://id.gs1.org/8010/0614141ABC/8011/12',
      'https://id.gs1.org/8010/0614141ABC/8011/12',
    ],
    ['a GIAI', 'https://id.example.org/8004/401234599999', 'https://id.gs1.org/8004/401234599999'],
    [
      'a URL that only looks like a Digital Link, kept',
      'https://example.com/01/1234-not-a-gtin',
      'https://example.com/01/1234-not-a-gtin',
    ],
    [
      'a plain URL, kept',
      'http://transaction.acme.com/po/12345678',
      'http://transaction.acme.com/po/12345678',
    ],
  ])('%s', (_name, value, want) => {
    expect(formatHashText(value, prefixes)).toBe(want);
    expect(formatHashText(value, prefixes)).toBe(want); // second time from the identifier cache
  });

  it('stays correct when the identifier cache is flushed', () => {
    for (let i = 0; i < 4100; i++) {
      formatHashText(`urn:epc:id:sscc:4012345.${String(i).padStart(10, '0')}`, STANDARD_PREFIX_MAP);
    }
    expect(formatHashText('urn:epc:id:sscc:4012345.0000000333', STANDARD_PREFIX_MAP)).toBe(
      'https://id.gs1.org/00/040123450000003338',
    );
  });
});

describe('formatHashScalar', () => {
  it.each([
    ['a string', ' x ', 'x'],
    ['a number', 12.7, '12.7'],
    ['true, as xsd:boolean (not Python str(True))', true, 'true'],
    ['false', false, 'false'],
    ['null: absent (JSON-LD drops it)', null, undefined],
    ['undefined: absent', undefined, undefined],
  ])('%s', (_name, value, want) => {
    expect(formatHashScalar(value, STANDARD_PREFIX_MAP, '/x')).toBe(want);
  });

  it.each([
    ['an object', {}],
    ['an array', ['a']],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a bigint', 1n],
  ])('rejects %s, naming the field', (_name, value) => {
    expect(() => formatHashScalar(value, STANDARD_PREFIX_MAP, '/readPoint/id')).toThrow(
      new TraceError('INVALID_EVENT', '/readPoint/id must be a string, number or boolean'),
    );
  });
});
