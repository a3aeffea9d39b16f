import { describe, expect, it } from '@jest/globals';

import { findUnstorable, storableText } from './storable-json.js';

describe(findUnstorable.name, () => {
  it('finds nothing in well-formed JSON, astral characters included', () => {
    expect(findUnstorable({ a: ['x', 1, null, { 'b/c~': 'émoji 🍏' }] })).toBeNull();
  });

  it.each([
    ['U+0000 in a string', { a: ['ok', 'n\u0000'] }, '/a/1'],
    ['a lone high surrogate', { a: 'x\ud83c' }, '/a'],
    ['a lone low surrogate', { a: '\udf4f' }, '/a'],
    ['U+0000 in a member name', { 'a/b': { ['k\u0000']: 1 } }, '/a~1b/k\u0000'],
  ])('points at %s', (_, value, pointer) => {
    expect(findUnstorable(value)).toBe(pointer);
    expect(findUnstorable(value, '/epcisBody/eventList/0')).toBe(
      `/epcisBody/eventList/0${pointer}`,
    );
  });
});

describe(storableText.name, () => {
  it('replaces only what PostgreSQL cannot store', () => {
    expect(storableText('a\u0000b\ud800c🍏')).toBe('a\uFFFDb\uFFFDc🍏');
  });
});
