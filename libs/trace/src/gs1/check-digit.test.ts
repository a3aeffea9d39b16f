import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { expectTraceError } from '../../test/support/trace-error.js';

import {
  appendCheckDigit,
  gs1CheckCharacterPair,
  gs1CheckDigit,
  isValidCheckDigit,
  normalizeGtin,
} from './check-digit.js';

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

describe('gs1CheckDigit', () => {
  // Keys with their check digits from EPC TDS 2.3 (§7 worked examples, Annex E), the CBV 2.0
  // event hash examples and RalphTro/epcis-event-hash-generator tests (GTIN-12 001122334455).
  it.each([
    ['GTIN-14 (TDS Annex E.1)', '09506000134352'],
    ['GTIN-14 with indicator 7 (TDS §7.18)', '79521141123453'],
    ['GTIN-14 (CBV 2.0 hash example)', '04012345111118'],
    ['GTIN-13 (TDS §7.3.1)', '9521141890127'],
    ['GTIN-12 (TDS §7.3.1)', '614141123452'],
    ['GTIN-12', '001122334455'],
    ['GTIN-8 (TDS §7.3.2)', '95010939'],
    ['SSCC (TDS Annex E.3)', '095201234567891235'],
    ['SSCC (TDS §7.4)', '195211412345678900'],
    ['GLN (TDS §7.5)', '9521141123454'],
    ['GSRN (TDS §7.8)', '952114112345678906'],
    ['GSIN (TDS §7.14)', '95211411234567892'],
  ])('%s %s', (_name, key) => {
    expect(gs1CheckDigit(key.slice(0, -1))).toBe(Number(key.at(-1)));
    expect(appendCheckDigit(key.slice(0, -1))).toBe(key);
    expect(isValidCheckDigit(key)).toBe(true);
  });

  it.each(['', '12a', ' 1', '１２'])('refuses non-digit input %j', (input) => {
    expectTraceError(
      () => gs1CheckDigit(input),
      'INVALID_IDENTIFIER',
      'must be one or more digits',
    );
  });

  it('isValidCheckDigit is false for fewer than two digits and for non-digits', () => {
    expect(isValidCheckDigit('0')).toBe(false);
    expect(isValidCheckDigit('')).toBe(false);
    expect(isValidCheckDigit('0401234511111X')).toBe(false);
    expect(isValidCheckDigit('04012345111117')).toBe(false);
  });

  it('detects every single-digit substitution (GS1 GenSpecs §7.9.1)', () => {
    fc.assert(
      fc.property(digits(1, 17), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const key = appendCheckDigit(body);
        const i = at % key.length;
        const changed = String((Number(key[i]) + delta) % 10);
        const corrupted = key.slice(0, i) + changed + key.slice(i + 1);
        expect(isValidCheckDigit(key)).toBe(true);
        expect(isValidCheckDigit(corrupted)).toBe(false);
      }),
    );
  });
});

describe('normalizeGtin', () => {
  it.each([
    ['12345670', '00000012345670'],
    ['001122334455', '00001122334455'],
    ['9780345418913', '09780345418913'],
    ['04012345111118', '04012345111118'],
  ])('%s → %s', (gtin, gtin14) => {
    expect(normalizeGtin(gtin)).toBe(gtin14);
  });

  it.each([
    ['1234567', '8, 12, 13 or 14 digits'],
    ['123456789012345', '8, 12, 13 or 14 digits'],
    ['0401234511111A', '8, 12, 13 or 14 digits'],
    ['04012345111117', 'wrong check digit (expected 8)'],
    ['12345678', 'wrong check digit (expected 0)'],
  ])('refuses %s', (gtin, part) => {
    expectTraceError(() => normalizeGtin(gtin), 'INVALID_IDENTIFIER', part);
    expectTraceError(() => normalizeGtin(gtin), 'INVALID_IDENTIFIER', gtin);
  });

  it('keeps any valid GTIN valid when padding it', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12, 13), digits(13, 13), (length, body) => {
        const gtin = appendCheckDigit(body.slice(0, length));
        expect(isValidCheckDigit(normalizeGtin(gtin))).toBe(true);
        expect(normalizeGtin(gtin).endsWith(gtin)).toBe(true);
      }),
    );
  });
});

describe('gs1CheckCharacterPair', () => {
  // GS1 GenSpecs §7.9.5 example (GMN 1987654Ad4X4bL5ttr2310c2K) and GS1 Barcode Syntax Tests.
  it.each([
    ['1987654Ad4X4bL5ttr2310c', '2K'],
    ['12345678901234567890123', 'NT'],
    ['12345_ABCDEFGHIJKLM', 'CP'],
    ['12345_!"%&\'()*+,-./', 'LC'],
    ['', '22'],
  ])('%s → %s', (data, pair) => {
    expect(gs1CheckCharacterPair(data)).toBe(pair);
  });

  it('refuses characters outside CSET 82 and data longer than 97 characters', () => {
    expectTraceError(
      () => gs1CheckCharacterPair('ABC DEF'),
      'INVALID_IDENTIFIER',
      'outside CSET 82',
    );
    expectTraceError(() => gs1CheckCharacterPair('1'.repeat(98)), 'INVALID_IDENTIFIER', 'too long');
  });
});
