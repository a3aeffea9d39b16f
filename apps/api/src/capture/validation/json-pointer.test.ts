import { describe, expect, it } from '@jest/globals';

import { childPointer, resolvePointer, showValue } from './json-pointer.js';

describe(childPointer.name, () => {
  it.each([
    ['', 'epcisBody', '/epcisBody'],
    ['/epcisBody/eventList', 3, '/epcisBody/eventList/3'],
    ['/e', 'example:field', '/e/example:field'],
    // RFC 6901 §3: "~" is written "~0" and "/" is written "~1".
    ['/e', 'https://ns.example.com/x', '/e/https:~1~1ns.example.com~1x'],
    ['/e', 'a~b', '/e/a~0b'],
  ])('%p + %p is %p', (pointer, key, want) => {
    expect(childPointer(pointer, key)).toBe(want);
  });
});

describe(resolvePointer.name, () => {
  const doc = { a: [{ 'x/y': 1, 'm~n': 2 }], b: null };

  it.each([
    ['', doc],
    ['/a/0/x~1y', 1],
    ['/a/0/m~0n', 2],
    ['/b', null],
    ['/b/c', undefined],
    ['/a/1', undefined],
    ['/missing', undefined],
  ])('%p', (pointer, want) => {
    expect(resolvePointer(doc, pointer)).toEqual(want);
  });
});

describe(showValue.name, () => {
  it('quotes JSON and shortens long values', () => {
    expect(showValue('shipped')).toBe('"shipped"');
    expect(showValue(undefined)).toBe('nothing');
    expect(showValue(Symbol('s'))).toBe('(a symbol)'); // not JSON: named by its type
    const long = showValue('x'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });
});
