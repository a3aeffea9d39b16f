import { describe, expect, it } from '@jest/globals';

import { parseQrOptions, QR_MARGIN, QR_SIZE } from './options';
import { ProblemError } from './problem';

const parse = (query: string) => parseQrOptions(new URLSearchParams(query));

const refusal = (query: string): ProblemError => {
  try {
    parse(query);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error(`'${query}' was accepted`);
};

describe(parseQrOptions.name, () => {
  it('defaults to 320 px, a 4-module quiet zone (ISO/IEC 18004 minimum) and ecc M', () => {
    expect(parse('')).toEqual({ size: 320, margin: 4, ecc: 'M' });
    expect(QR_SIZE).toEqual({ min: 64, max: 2048, default: 320 });
    expect(QR_MARGIN).toEqual({ min: 0, max: 16, default: 4 });
  });

  it('accepts the bounds themselves and every ecc level, in either case', () => {
    expect(parse('size=64&margin=0&ecc=L')).toEqual({ size: 64, margin: 0, ecc: 'L' });
    expect(parse('size=2048&margin=16&ecc=H')).toEqual({ size: 2048, margin: 16, ecc: 'H' });
    expect(parse('ecc=q').ecc).toBe('Q');
    expect(parse('size=0100').size).toBe(100);
  });

  it.each([
    ['size=63', 'size', 'size: must be an integer from 64 to 2048, not 63'],
    ['size=2049', 'size', 'size: must be an integer from 64 to 2048, not 2049'],
    ['margin=17', 'margin', 'margin: must be an integer from 0 to 16, not 17'],
    ['size=', 'size', 'size: must be an integer from 64 to 2048'],
    ['size=abc', 'size', 'size: must be an integer from 64 to 2048'],
    ['size=1e3', 'size', 'size: must be an integer from 64 to 2048'],
    ['size=0x80', 'size', 'size: must be an integer from 64 to 2048'],
    ['size=128.0', 'size', 'size: must be an integer from 64 to 2048'],
    ['size=+128', 'size', 'size: must be an integer from 64 to 2048'],
    ['size=%20128', 'size', 'size: must be an integer from 64 to 2048'],
    ['size=99999999999999999999', 'size', 'size: must be an integer from 64 to 2048'],
    ['margin=-1', 'margin', 'margin: must be an integer from 0 to 16'],
    ['ecc=X', 'ecc', 'ecc: must be one of L, M, Q, H'],
    ['ecc=', 'ecc', 'ecc: must be one of L, M, Q, H'],
    ['ecc=LOW', 'ecc', 'ecc: must be one of L, M, Q, H'],
    ['size=100&size=200', 'size', 'size: given more than once'],
    ['width=100', 'width', 'width: unknown parameter (known: size, margin, ecc)'],
  ])('refuses %s, naming %s', (query, parameter, detail) => {
    const error = refusal(query);
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.parameter).toBe(parameter);
    expect(error.message).toBe(detail);
  });
});
