import { TraceError } from '../errors.js';

// Tree arithmetic on JavaScript numbers. Sizes and indices are safe integers (< 2^53), so we
// use arithmetic, never `>>` or `&`, which truncate to 32 bits.

export const half = (n: number): number => Math.floor(n / 2);
export const isOdd = (n: number): boolean => n % 2 === 1;

/** The largest power of two strictly less than n (n ≥ 2): RFC 9162 §2.1.1's k. */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** Throws MALFORMED_INPUT unless `value` is a safe integer ≥ `min`. */
export const assertCount = (value: unknown, what: string, min = 0): void => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TraceError('MALFORMED_INPUT', `${what} must be a safe integer ≥ ${min}`);
  }
};
