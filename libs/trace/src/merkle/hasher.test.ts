import { describe, expect, it } from '@jest/globals';

import { bytesToHex, utf8ToBytes } from '../bytes.js';
import { sha256 } from '../hash.js';
import { createMerkleHasher, rfc6962 } from './hasher.js';

// Each golden value says how to reproduce it with standard tools.
describe('rfc6962 hasher', () => {
  it.each([
    // printf '' | sha256sum
    [
      'empty root',
      () => rfc6962.emptyRoot(),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    // printf '\x00' | sha256sum
    [
      'empty leaf',
      () => rfc6962.hashLeaf(new Uint8Array()),
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    ],
    // printf '\x01N123N456' | sha256sum
    [
      'node of short children',
      () => rfc6962.hashChildren(utf8ToBytes('N123'), utf8ToBytes('N456')),
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    ],
  ])('%s', (_name, compute, want) => {
    expect(bytesToHex(compute())).toBe(want);
  });

  it('hashes 32-byte children through its reused buffer without cross-talk', () => {
    const a = rfc6962.hashLeaf(utf8ToBytes('a'));
    const b = rfc6962.hashLeaf(utf8ToBytes('b'));
    const first = rfc6962.hashChildren(a, b);
    rfc6962.hashChildren(b, a);
    expect(rfc6962.hashChildren(a, b)).toEqual(first);
    expect(rfc6962.hashChildren(b, a)).not.toEqual(first);
  });

  it('hashes leaves of any size through its growing buffer', () => {
    for (const size of [0, 1, 255, 256, 1000, 3]) {
      const leaf = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 255);
      const direct = sha256(Uint8Array.of(0, ...leaf));
      expect(rfc6962.hashLeaf(leaf)).toEqual(direct);
    }
  });

  it('uses the injected SHA-256', () => {
    const seen: number[] = [];
    const hasher = createMerkleHasher((data) => {
      seen.push(data.length);
      return new Uint8Array(32);
    });
    hasher.hashLeaf(new Uint8Array(3));
    hasher.hashChildren(new Uint8Array(32), new Uint8Array(32));
    expect(seen).toEqual([4, 65]);
  });
});
