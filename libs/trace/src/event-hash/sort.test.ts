import { describe, expect, it } from '@jest/globals';

import { sortByCodePoint } from './sort.js';

// Rule 10 sorts by "UTF-8/ASCII code values"; UTF-8 byte order is code point order. The
// reference implementation (Python str sort) agrees: for ["é","z","😀","ﬀ","Z"] it writes
// Z z é ﬀ 😀 (RalphTro/epcis-event-hash-generator at 5d2f1c3, see pre-hash.test.ts).
describe('sortByCodePoint', () => {
  it('sorts ASCII case-sensitively, upper case first', () => {
    expect(sortByCodePoint(['b', 'B', 'a', 'A', '{x}', '1'])).toEqual([
      '1',
      'A',
      'B',
      'a',
      'b',
      '{x}',
    ]);
  });

  it('puts a character outside the BMP after U+E000-U+FFFF, unlike UTF-16 order', () => {
    const items = ['😀', '\uFB00', 'é', 'z'];
    expect([...items].sort()).toEqual(['z', 'é', '😀', '\uFB00']); // UTF-16 code units
    expect(sortByCodePoint(items)).toEqual(['z', 'é', '\uFB00', '😀']);
  });

  it('orders prefixes first and compares surrogate pairs among themselves by code point', () => {
    expect(sortByCodePoint(['a😀', 'a', 'a\u{1F600}b', 'a\u{10000}', 'a\uFFFF'])).toEqual([
      'a',
      'a\uFFFF',
      'a\u{10000}',
      'a😀',
      'a\u{1F600}b',
    ]);
  });

  it('returns short lists as they are', () => {
    const one = ['x'];
    expect(sortByCodePoint(one)).toBe(one);
    expect(sortByCodePoint([])).toEqual([]);
  });
});
