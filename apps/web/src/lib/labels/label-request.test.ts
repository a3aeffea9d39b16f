import { describe, expect, it } from '@jest/globals';
import { parseDigitalLink, TraceError } from '@traceroot/trace';

import { ProblemError } from '@/lib/qr/problem';

import { type LabelFields, MAX_LABELS, parseLabelSheet } from './label-request';

const BASE = 'https://trace.example.com';

const fields = (entries: Record<string, string | string[]>): LabelFields =>
  new Map(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

const parse = (entries: Record<string, string | string[]>) =>
  parseLabelSheet(fields(entries), BASE);

const refusal = (entries: Record<string, string | string[]>): ProblemError => {
  try {
    parse(entries);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('accepted');
};

const libraryReason = (path: string): string => {
  try {
    parseDigitalLink(`https://id.gs1.org${path}`);
  } catch (error) {
    if (error instanceof TraceError) return error.message;
  }
  throw new Error(`the library accepts ${path}`);
};

describe(parseLabelSheet.name, () => {
  it('makes one label per serial, GTIN-14 and canonical Digital Link each', () => {
    const sheet = parse({ gtin: '9506000134352', lot: 'ABC/1', serials: ['1', 'x+y'] });
    expect(sheet).toEqual({
      ecc: 'M',
      labels: [
        {
          gtin: '09506000134352',
          lot: 'ABC/1',
          serial: '1',
          uri: `${BASE}/01/09506000134352/10/ABC%2F1/21/1`,
        },
        {
          gtin: '09506000134352',
          lot: 'ABC/1',
          serial: 'x+y',
          uri: `${BASE}/01/09506000134352/10/ABC%2F1/21/x%2By`,
        },
      ],
    });
  });

  it('makes `count` copies of a lot or GTIN label without serials (default 1)', () => {
    expect(parse({ gtin: '09506000134352', lot: 'L1', count: '3' }).labels).toEqual(
      Array.from({ length: 3 }, () => ({
        gtin: '09506000134352',
        lot: 'L1',
        serial: undefined,
        uri: `${BASE}/01/09506000134352/10/L1`,
      })),
    );
    expect(parse({ gtin: '95060002' }).labels.map((l) => l.uri)).toEqual([
      `${BASE}/01/00000095060002`,
    ]);
  });

  it('numbers a serial range from serialFrom, keeping its width', () => {
    const serials = parse({ gtin: '09506000134352', serialFrom: '0098', count: '4' }).labels.map(
      (l) => l.serial,
    );
    expect(serials).toEqual(['0098', '0099', '0100', '0101']);
    const big = parse({ gtin: '09506000134352', serialFrom: '99999999999999999998', count: '2' });
    expect(big.labels.map((l) => l.serial)).toEqual([
      '99999999999999999998',
      '99999999999999999999',
    ]);
  });

  it(`takes up to ${MAX_LABELS} labels`, () => {
    const serials = Array.from({ length: MAX_LABELS }, (_, i) => String(i));
    expect(parse({ gtin: '09506000134352', serials }).labels).toHaveLength(MAX_LABELS);
    expect(parse({ gtin: '09506000134352', count: '500' }).labels).toHaveLength(MAX_LABELS);
  });

  it('keeps the product name and the error correction level', () => {
    expect(parse({ gtin: '09506000134352', name: 'Café <crème> & co', ecc: 'h' })).toMatchObject({
      name: 'Café <crème> & co',
      ecc: 'H',
    });
  });

  it.each([
    [{}, 'gtin', 'gtin: required'],
    [{ gtin: ['09506000134352', '09506000134352'] }, 'gtin', 'gtin: given more than once'],
    [
      { gtin: '09506000134352', serials: Array.from({ length: 501 }, (_, i) => String(i)) },
      'serials',
      'serials: at most 500 labels per sheet, not 501',
    ],
    [
      { gtin: '09506000134352', count: '501' },
      'count',
      'count: must be an integer from 1 to 500, not 501',
    ],
    [
      { gtin: '09506000134352', count: '0' },
      'count',
      'count: must be an integer from 1 to 500, not 0',
    ],
    [
      { gtin: '09506000134352', serials: '1', count: '2' },
      'count',
      'count: cannot be combined with serials (the list sets the labels)',
    ],
    [
      { gtin: '09506000134352', serials: '1', serialFrom: '2' },
      'serialFrom',
      'serialFrom: cannot be combined with serials (the list sets the labels)',
    ],
    [
      { gtin: '09506000134352', serialFrom: 'A1' },
      'serialFrom',
      'serialFrom: must be 1 to 20 digits',
    ],
    [
      { gtin: '09506000134352', serialFrom: '99999999999999999999', count: '2' },
      'count',
      'count: the range passes 20 digits',
    ],
    [
      { gtin: '09506000134352', name: 'x'.repeat(81) },
      'name',
      'name: must be at most 80 characters',
    ],
    [
      { gtin: '09506000134352', name: 'a\u0007b' },
      'name',
      'name: must not contain control characters',
    ],
    [{ gtin: '09506000134352', ecc: 'Z' }, 'ecc', 'ecc: must be one of L, M, Q, H'],
    [
      { gtin: '09506000134352', colour: 'red' },
      'colour',
      'colour: unknown parameter (known: gtin, lot, serials, serialFrom, count, name, ecc)',
    ],
  ])('refuses %j, naming %s', (entries, parameter, detail) => {
    const error = refusal(entries);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', parameter, message: detail });
  });

  it.each([
    [{ gtin: '09506000134353' }, 'gtin', '/01/09506000134353'],
    [{ gtin: '0950600013435' }, 'gtin', '/01/0950600013435'],
    [{ gtin: '09506000134352', lot: 'a b' }, 'lot', '/01/09506000134352/10/a%20b'],
    [
      { gtin: '09506000134352', lot: 'L', serials: ['1', 'é'] },
      'serials',
      '/01/09506000134352/10/L/21/%C3%A9',
    ],
    [
      { gtin: '09506000134352', serials: 'x'.repeat(21) },
      'serials',
      `/01/09506000134352/21/${'x'.repeat(21)}`,
    ],
  ])('refuses the identifier %j with the library reason, naming %s', (entries, parameter, path) => {
    const error = refusal(entries);
    expect(error).toMatchObject({ code: 'INVALID_IDENTIFIER', parameter });
    expect(error.message).toBe(libraryReason(path));
  });
});
