import { describe, expect, it } from '@jest/globals';

import { pooledRandomBytes } from './random-pool.js';

describe('pooledRandomBytes', () => {
  it('gives the length asked for, across pool refills and beyond the pool size', () => {
    for (const length of [0, 1, 12, 16, 32, 4095, 4096, 4097, 10_000]) {
      expect(pooledRandomBytes(length)).toHaveLength(length);
    }
  });

  it('never gives the same bytes twice, and copies that do not alias each other', () => {
    const seen = new Set<string>();
    const all: Buffer[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const bytes = pooledRandomBytes(16);
      seen.add(bytes.toString('hex'));
      all.push(bytes);
    }
    expect(seen.size).toBe(2000);
    const first = Buffer.from(all[0]!);
    all[1]!.fill(0xff);
    expect(all[0]!.equals(first)).toBe(true);
  });

  it('looks uniformly random (a byte-frequency check that a constant or counter would fail)', () => {
    const bytes = pooledRandomBytes(64 * 1024);
    const counts = new Array<number>(256).fill(0);
    for (const b of bytes) counts[b]! += 1;
    // 256 bins, 256 expected each: a chi-square far beyond 400 means "not uniform" (p < 1e-8).
    const chi = counts.reduce((sum, n) => sum + (n - 256) ** 2 / 256, 0);
    expect(chi).toBeLessThan(400);
  });
});
