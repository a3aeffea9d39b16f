import { describe, expect, it } from '@jest/globals';

import { cursorAfterBatch, retryDelayMs } from './delivery-plan.js';

describe(cursorAfterBatch.name, () => {
  it('moves to the last leaf of a full batch (more may follow it)', () => {
    expect(cursorAfterBatch(4, 100, [5, 9, 12], 3)).toBe(12);
  });

  it('moves past the head read before the search when the batch is not full', () => {
    expect(cursorAfterBatch(4, 100, [5, 9], 3)).toBe(100);
    expect(cursorAfterBatch(4, 100, [], 3)).toBe(100);
  });

  it('keeps a leaf committed after the head was read', () => {
    expect(cursorAfterBatch(4, 10, [5, 11], 3)).toBe(11);
  });

  it('never moves back', () => {
    expect(cursorAfterBatch(50, 10, [], 3)).toBe(50);
    expect(cursorAfterBatch(-1, -1, [], 3)).toBe(-1);
  });
});

describe(retryDelayMs.name, () => {
  const low = (): number => 0;
  const high = (): number => 0.999_999;

  it('doubles per failure, from half to all of the step', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 300_000, low))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 300_000, high))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('is capped, also after very many failures', () => {
    expect(retryDelayMs(9, 1000, 60_000, high)).toBe(60_000);
    expect(retryDelayMs(10_000, 1000, 60_000, low)).toBe(30_000);
  });

  it('treats 0 failures as the first', () => {
    expect(retryDelayMs(0, 1000, 60_000, low)).toBe(500);
  });
});
