import { availableParallelism } from 'node:os';

import { describe, expect, it } from '@jest/globals';

import { loadEnv } from '../config/env.js';
import { restartDelayMs, workerCount, workersProblem } from './cluster.js';

describe('API_WORKERS', () => {
  it('is one process unless asked, a number when given, and one per CPU for auto', () => {
    expect(workerCount(loadEnv({}))).toBe(1);
    expect(workerCount(loadEnv({ API_WORKERS: '3' }))).toBe(3);
    expect(workerCount(loadEnv({ API_WORKERS: ' AUTO ' }))).toBe(availableParallelism());
  });

  it('refuses values that are not a process count, naming the variable', () => {
    for (const value of ['0', '-1', 'two', '1.5', '100']) {
      expect(() => loadEnv({ API_WORKERS: value })).toThrow(/API_WORKERS/);
    }
  });

  it('needs DATABASE_URL for more than one process', () => {
    expect(workersProblem(loadEnv({ API_WORKERS: '2' }))).toMatch(/needs DATABASE_URL/);
    expect(workersProblem(loadEnv({ API_WORKERS: '1' }))).toBeNull();
    expect(
      workersProblem(loadEnv({ API_WORKERS: '2', DATABASE_URL: 'postgresql://127.0.0.1/x' })),
    ).toBeNull();
  });

  it('backs off exponentially, to 30 s, when replacements keep dying young', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelayMs)).toEqual([
      0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});
