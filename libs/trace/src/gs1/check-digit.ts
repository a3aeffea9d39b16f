import { TraceError } from '../errors.js';

import { CSET82, isCset82 } from './charset.js';

const DIGITS = /^[0-9]+$/;

/**
 * The GS1 mod-10 check digit of `digitsWithoutCheck` (GS1 General Specifications, "Standard
 * check digit calculations for GS1 data structures"; EPC TDS §7.3): weights 3, 1, 3, 1… from the
 * rightmost digit, and the check digit brings the weighted sum up to a multiple of ten. The same
 * rule serves GTIN-8/12/13/14, GLN, SSCC, GSRN(P), GSIN, and the 13-digit parts of GRAI, GDTI
 * and GCN, whatever their length.
 *
 * Precondition: one or more ASCII digits; anything else throws INVALID_IDENTIFIER.
 *
 * @example gs1CheckDigit('0401234511111') === 8 // GTIN 04012345111118
 */
export const gs1CheckDigit = (digitsWithoutCheck: string): number => {
  if (!DIGITS.test(digitsWithoutCheck)) {
    throw new TraceError(
      'INVALID_IDENTIFIER',
      `check digit input '${digitsWithoutCheck}' must be one or more digits`,
    );
  }
  let sum = 0;
  let weight = 3;
  for (let i = digitsWithoutCheck.length - 1; i >= 0; i--) {
    sum += weight * (digitsWithoutCheck.charCodeAt(i) - 48);
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
};

/** `digits` followed by its GS1 mod-10 check digit (see gs1CheckDigit). */
export const appendCheckDigit = (digits: string): string => digits + gs1CheckDigit(digits);

/** Whether the last digit of `digits` (two or more digits) is its GS1 mod-10 check digit. */
export const isValidCheckDigit = (digits: string): boolean =>
  DIGITS.test(digits) &&
  digits.length >= 2 &&
  gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;

/**
 * A GTIN-8, GTIN-12, GTIN-13 or GTIN-14 as a GTIN-14: left-padded with zeros, which keeps the
 * check digit valid (GS1 General Specifications §3.3.2, "GTIN-14 format"). Throws
 * INVALID_IDENTIFIER on another length, a non-digit or a wrong check digit.
 *
 * @example normalizeGtin('4012345111118') === '04012345111118'
 */
export const normalizeGtin = (gtin: string): string => {
  if (!DIGITS.test(gtin) || ![8, 12, 13, 14].includes(gtin.length)) {
    throw new TraceError('INVALID_IDENTIFIER', `GTIN '${gtin}' must be 8, 12, 13 or 14 digits`);
  }
  if (!isValidCheckDigit(gtin)) {
    throw new TraceError(
      'INVALID_IDENTIFIER',
      `GTIN '${gtin}' has a wrong check digit (expected ${gs1CheckDigit(gtin.slice(0, -1))})`,
    );
  }
  return gtin.padStart(14, '0');
};

// GS1 General Specifications, "Check character calculation (for alphanumeric keys)": GMN, MUDI.
// Each character weighs its position in CSET 82 times a prime (2, 3, 5, … from the right); the
// sum mod 1021 is split into two 5-bit values written with the 32 characters below.
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PRIMES = [2];
for (let n = 3; PRIMES.length < 97; n += 2) {
  if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);
}

/**
 * The two check characters (GS1 General Specifications, check character calculation for
 * alphanumeric keys) of `data`, a string of at most 97
 * CSET 82 characters, as used by AI (8013) GMN and AI (8014) MUDI.
 *
 * @example gs1CheckCharacterPair('1987654Ad4X4bL5ttr2310c') === '2K'
 */
export const gs1CheckCharacterPair = (data: string): string => {
  if (data.length > PRIMES.length) {
    throw new TraceError('INVALID_IDENTIFIER', `'${data}' is too long for a check character pair`);
  }
  if (!isCset82(data)) {
    throw new TraceError('INVALID_IDENTIFIER', `'${data}' has a character outside CSET 82`);
  }
  // The k-th character from the right weighs the k-th prime.
  const sum =
    PRIMES.slice(0, data.length).reduce(
      (total, prime, k) => total + prime * CSET82.indexOf(data.charAt(data.length - 1 - k)),
      0,
    ) % 1021;
  return CSET32.charAt(sum >> 5) + CSET32.charAt(sum & 31);
};
