import { describe, expect, it } from '@jest/globals';

import { toJsonPointer } from './json-pointer.js';

describe(toJsonPointer.name, () => {
  it('points at the whole document with the empty path', () => {
    expect(toJsonPointer([])).toBe('');
  });

  it('joins member names and array indexes', () => {
    expect(toJsonPointer(['epcisBody', 'eventList', 0, 'eventTime'])).toBe(
      '/epcisBody/eventList/0/eventTime',
    );
  });

  // RFC 6901 §3 and the examples of §5.
  it('escapes ~ as ~0 and / as ~1', () => {
    expect(toJsonPointer(['a/b'])).toBe('/a~1b');
    expect(toJsonPointer(['m~n'])).toBe('/m~0n');
    expect(toJsonPointer(['~1'])).toBe('/~01');
    expect(toJsonPointer([''])).toBe('/');
  });
});
