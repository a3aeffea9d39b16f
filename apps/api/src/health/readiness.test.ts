import { describe, expect, it } from '@jest/globals';

import { DomainError } from '../common/errors/domain-error.js';
import { ReadinessRegistry, assertReady } from './readiness.js';

describe(ReadinessRegistry.name, () => {
  it('runs every check and reports each', async () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'sync', check: () => 'fine' });
    registry.register({ name: 'async', check: () => Promise.resolve() });
    registry.register({
      name: 'throws',
      check: () => {
        throw new Error('down');
      },
    });
    registry.register({ name: 'rejects', check: () => Promise.reject(new Error('down')) });
    const results = await registry.evaluate();
    expect(results.map(({ name, ok }) => [name, ok])).toEqual([
      ['sync', true],
      ['async', true],
      ['throws', false],
      ['rejects', false],
    ]);
  });

  it('fails a check that outlives its timeout', async () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'hangs', check: () => new Promise(() => undefined), timeoutMs: 20 });
    const [result] = await registry.evaluate();
    expect(result).toMatchObject({ name: 'hangs', ok: false });
    expect(() => assertReady([result!])).toThrow('Failed readiness checks: hangs (timed out)');
  });

  it('refuses two checks with one name', () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'database', check: () => undefined });
    expect(() => registry.register({ name: 'database', check: () => undefined })).toThrow(
      'already registered',
    );
  });
});

describe(assertReady.name, () => {
  it('reports ready with every check up', () => {
    expect(assertReady([{ name: 'database', ok: true, durationMs: 1.23456 }])).toEqual({
      status: 'ready',
      checks: [{ name: 'database', status: 'up', durationMs: 1.235 }],
    });
  });

  it("throws NOT_READY naming failed checks but not their errors' messages", () => {
    const results = [
      {
        name: 'database',
        ok: false,
        durationMs: 3,
        error: new Error('password authentication failed'),
      },
      { name: 'cache', ok: true, durationMs: 1 },
    ];
    let thrown: unknown;
    try {
      assertReady(results);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      code: 'NOT_READY',
      message: 'Failed readiness checks: database',
    });
  });
});
