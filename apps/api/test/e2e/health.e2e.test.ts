import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from '@jest/globals';
import type { OnModuleInit } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';

import type { ReadinessCheck } from '../../src/health/readiness.js';
import { ReadinessRegistry } from '../../src/health/readiness.js';
import type { StartedApp } from '../support/start-app.js';
import { startApp } from '../support/start-app.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

// How a feature module (the database one, later) plugs its check in.
const moduleWithChecks = (checks: ReadinessCheck[]) => {
  @Injectable()
  class RegistersChecks implements OnModuleInit {
    constructor(private readonly readiness: ReadinessRegistry) {}

    onModuleInit(): void {
      for (const check of checks) this.readiness.register(check);
    }
  }

  @Module({ providers: [RegistersChecks] })
  class FeatureModule {}

  return FeatureModule;
};

describe('health endpoints', () => {
  let server: StartedApp | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('GET /healthz answers 200 with status and version, uncached', async () => {
    server = await startApp({ logger: false });
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok', version });
  });

  it('GET /readyz answers 200 when nothing is registered', async () => {
    server = await startApp({ logger: false });
    const response = await fetch(`${server.baseUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: [] });
  });

  it('GET /readyz answers 200 when every registered check passes', async () => {
    server = await startApp({
      logger: false,
      imports: [
        moduleWithChecks([
          { name: 'database', check: () => Promise.resolve(1) },
          { name: 'signing-key', check: () => undefined },
        ]),
      ],
    });
    const response = await fetch(`${server.baseUrl}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: { name: string }[] };
    expect(body.status).toBe('ready');
    expect(body.checks).toEqual([
      { name: 'database', status: 'up', durationMs: expect.any(Number) },
      { name: 'signing-key', status: 'up', durationMs: expect.any(Number) },
    ]);
  });

  it('GET /readyz answers 503 problem details naming failed checks, never their errors', async () => {
    server = await startApp({
      logger: false,
      imports: [
        moduleWithChecks([
          { name: 'ok', check: () => Promise.resolve() },
          {
            name: 'database',
            check: () => Promise.reject(new Error('connect ECONNREFUSED db.internal:5432')),
          },
          { name: 'slow', check: () => new Promise(() => undefined), timeoutMs: 50 },
        ]),
      ],
    });
    const response = await fetch(`${server.baseUrl}/readyz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
    expect(await response.json()).toEqual({
      type: 'https://traceroot.dev/problems/not-ready',
      title: 'Service not ready',
      status: 503,
      detail: 'Failed readiness checks: database, slow (timed out)',
      instance: '/readyz',
      code: 'NOT_READY',
      requestId: response.headers.get('x-request-id'),
      errors: [],
    });

    // Liveness is not readiness: the process still serves.
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it('no longer serves the old GET /health', async () => {
    server = await startApp({ logger: false });
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(404);
  });
});
