import { describe, expect, it } from '@jest/globals';

import { expectTraceError } from '../../test/support/trace-error.js';

import type { EpcUri } from './epc-schemes.js';
import { formatEpcUri, parseEpcUri } from './epc-uri.js';

describe('parseEpcUri', () => {
  // EPC TDS 2.3 §6.3 / §7 / Annex E.3 examples, the CBV 2.0 / EPCIS 2.0 examples and
  // RalphTro/epcis-event-hash-generator tests/dl_normaliser_test.py (edge cases).
  it.each<[string, EpcUri]>([
    [
      'urn:epc:id:sgtin:9521141.012345.4711', // TDS §6.3.1
      {
        scheme: 'id:sgtin',
        companyPrefix: '9521141',
        itemRefAndIndicator: '012345',
        serial: '4711',
      },
    ],
    [
      'urn:epc:id:sgtin:9521141.012345.32a%2Fb', // TDS §7.3
      {
        scheme: 'id:sgtin',
        companyPrefix: '9521141',
        itemRefAndIndicator: '012345',
        serial: '32a/b',
      },
    ],
    [
      'urn:epc:id:sgtin:4012345.011111.9.8.7',
      {
        scheme: 'id:sgtin',
        companyPrefix: '4012345',
        itemRefAndIndicator: '011111',
        serial: '9.8.7',
      },
    ],
    [
      'urn:epc:id:sscc:9521141.1234567890', // TDS §6.3.2
      { scheme: 'id:sscc', companyPrefix: '9521141', serialReference: '1234567890' },
    ],
    [
      'urn:epc:id:sgln:4012345.00005.0',
      { scheme: 'id:sgln', companyPrefix: '4012345', locationReference: '00005', extension: '0' },
    ],
    [
      'urn:epc:id:pgln:999999999999.',
      { scheme: 'id:pgln', companyPrefix: '999999999999', partyReference: '' },
    ],
    [
      'urn:epc:id:gdti:987659999999..9',
      { scheme: 'id:gdti', companyPrefix: '987659999999', documentType: '', serial: '9' },
    ],
    [
      'urn:epc:id:cpi:9521141.5PQ7%2FZ43.12345', // TDS §7.11
      {
        scheme: 'id:cpi',
        companyPrefix: '9521141',
        componentPartReference: '5PQ7/Z43',
        serial: '12345',
      },
    ],
    [
      'urn:epc:id:giai:4000001.a.b',
      { scheme: 'id:giai', companyPrefix: '4000001', individualAssetReference: 'a.b' },
    ],
    [
      'urn:epc:id:itip:4012345.012345.01.02.987',
      {
        scheme: 'id:itip',
        companyPrefix: '4012345',
        itemRefAndIndicator: '012345',
        piece: '01',
        total: '02',
        serial: '987',
      },
    ],
    [
      'urn:epc:class:lgtin:4012345.012345.998877',
      {
        scheme: 'class:lgtin',
        companyPrefix: '4012345',
        itemRefAndIndicator: '012345',
        lot: '998877',
      },
    ],
    [
      'urn:epc:idpat:sgtin:4012345.066666.*',
      { scheme: 'idpat:sgtin', companyPrefix: '4012345', itemRefAndIndicator: '066666' },
    ],
    [
      'urn:epc:idpat:itip:4012345.012345.01.02.*',
      {
        scheme: 'idpat:itip',
        companyPrefix: '4012345',
        itemRefAndIndicator: '012345',
        piece: '01',
        total: '02',
      },
    ],
  ])('%s', (uri, epc) => {
    expect(parseEpcUri(uri)).toEqual(epc);
    expect(formatEpcUri(epc)).toBe(uri);
  });

  it('accepts lower-case hex in escapes and formats them upper-case (TDS §5)', () => {
    const epc = parseEpcUri('urn:epc:id:sgtin:0614141.712345.32a%2fb');
    expect(formatEpcUri(epc)).toBe('urn:epc:id:sgtin:0614141.712345.32a%2Fb');
  });

  it('escapes exactly " % & / < > ? in GS3A3 components and # / in CPI references', () => {
    const sgtin = {
      scheme: 'id:sgtin',
      companyPrefix: '0614141',
      itemRefAndIndicator: '812345',
    } as const;
    expect(formatEpcUri({ ...sgtin, serial: '"%&/<>?!\'()*+,-.:;=_' })).toBe(
      "urn:epc:id:sgtin:0614141.812345.%22%25%26%2F%3C%3E%3F!'()*+,-.:;=_",
    );
    expect(
      formatEpcUri({
        scheme: 'id:cpi',
        companyPrefix: '0614141',
        componentPartReference: 'A#/-1',
        serial: '1',
      }),
    ).toBe('urn:epc:id:cpi:0614141.A%23%2F-1.1');
  });

  it.each([
    ['urn:epc:id:gid:31415.271828.1414', "EPC scheme 'id:gid' is not supported"],
    ['urn:epc:id:usdod:CAGEY.5678', "EPC scheme 'id:usdod' is not supported"],
    ['urn:epc:idpat:sscc:0614141.*', "EPC scheme 'idpat:sscc' is not supported"],
    ['urn:epc:tag:sgtin-96:3.0614141.812345.6789', 'is not an EPC URI'],
    ['URN:EPC:ID:SGTIN:0614141.812345.6789', 'is not an EPC URI'],
    ['urn:epc:idpat:sgtin:4012345.*.*', "only '*' in the last component (one class) is supported"],
    ['urn:epc:id:sgtin:4012345.011111', "needs 3 '.'-separated components"],
    ['urn:epc:id:sgtin:40123.0111111.1', "GS1 Company Prefix '40123' must be 6 to 12 digits"],
    [
      'urn:epc:id:sgtin:4012345678901.1.1',
      "GS1 Company Prefix '4012345678901' must be 6 to 12 digits",
    ],
    [
      'urn:epc:id:sgtin:4012345.01111.1',
      'company prefix and itemRefAndIndicator must have 13 digits together',
    ],
    [
      'urn:epc:id:sscc:0614141.123456789',
      'company prefix and serialReference must have 17 digits together',
    ],
    [
      'urn:epc:id:sgtin:4012345.01111A.1',
      "itemRefAndIndicator '01111A' is not digits as TDS requires",
    ],
    ['urn:epc:id:sgtin:4012345.011111.', 'serial must not be empty'],
    ['urn:epc:id:sgtin:4012345.011111.a%2', "serial: bad escape '%2'"],
    ['urn:epc:id:sgtin:4012345.011111.a%20b', "serial: bad escape '%20'"],
    ['urn:epc:id:sgtin:4012345.011111.a/b', "serial: character '/' is not allowed"],
    ['urn:epc:id:sgtin:4012345.011111.a#b', "serial: character '#' is not allowed"],
    [
      'urn:epc:id:sgtin:4012345.011111.123456789012345678901',
      "AI (21) value '123456789012345678901': too long",
    ],
    ['urn:epc:id:cpi:0614141.98765.012', "serial '012' is not digits as TDS requires"],
    ['urn:epc:id:cpi:0614141.ab.1', "componentPartReference: character 'a' is not allowed"],
    ['urn:epc:id:cpi:0614141.A%21.1', "componentPartReference: bad escape '%21'"],
    // TDS §5 CPRefChar: only %2F and %23 may be escaped, even for a CSET 39 character.
    ['urn:epc:id:cpi:0614141.%41.1', "componentPartReference: bad escape '%41'"],
    ['urn:epc:id:cpi:0614141.98765.0', "AI (8011) value '0': must not start with 0"],
    ['urn:epc:id:itip:4012345.012345.1.02.987', "piece '1' is not digits as TDS requires"],
    ['urn:epc:id:itip:4012345.012345.03.02.987', 'is not n of total'],
    ['urn:epc:idpat:sgtin:4012345.066666.5', "last component '5' is not '*'"],
    [
      'urn:epc:id:sgcn:4012345.67890.0471100000000',
      "AI (255) value '40123456789010471100000000': too long",
    ],
    ['urn:epc:id:grai:4012345.55555.12345678901234567', 'too long'],
    ['urn:epc:id:giai:4000001.' + 'x'.repeat(24), 'too long'],
  ])('refuses %s', (uri, part) => {
    expectTraceError(() => parseEpcUri(uri), 'INVALID_IDENTIFIER', part);
  });

  it('names the EPC URI in errors that come from the GS1 key rules', () => {
    expectTraceError(
      () => parseEpcUri('urn:epc:id:cpi:0614141.98765.0'),
      'INVALID_IDENTIFIER',
      "EPC URI 'urn:epc:id:cpi:0614141.98765.0': AI (8011)",
    );
  });

  it('refuses a non-string and a malformed object', () => {
    expectTraceError(
      () => parseEpcUri(7 as unknown as string),
      'INVALID_IDENTIFIER',
      "'7' is not an EPC URI",
    );
    expectTraceError(
      () => formatEpcUri({ scheme: 'id:sscc', companyPrefix: '123', serialReference: '1' }),
      'INVALID_IDENTIFIER',
      "GS1 Company Prefix '123' must be 6 to 12 digits",
    );
    const missingSerial = {
      scheme: 'id:sgtin',
      companyPrefix: '0614141',
      itemRefAndIndicator: '812345',
    };
    expectTraceError(
      () => formatEpcUri(missingSerial as EpcUri),
      'INVALID_IDENTIFIER',
      'serial must not be empty',
    );
  });
});
