import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createTestDatabase } from '@traceroot/db/testing';

import { ApiKeyGuard } from '../../src/auth/api-key.guard.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { CurrentPrincipal } from '../../src/auth/current-principal.decorator.js';
import type { Principal } from '../../src/auth/principal.js';
import { Public } from '../../src/auth/public.decorator.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import type { StartedApp } from '../support/start-app.js';
import { startApp } from '../support/start-app.js';

const BOOTSTRAP_KEY = 'e2e-bootstrap-0123456789abcdef0123456789abcdef';

// Only here to show what the guard lets through, and whom it says the caller is.
@Controller('test-only')
class WhoAmIController {
  @Get('protected')
  whoAmI(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Public()
  @Get('public')
  publicRead(@CurrentPrincipal() principal: Principal | null): { principal: Principal | null } {
    return { principal };
  }
}

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

describe('authentication and /admin over HTTP', () => {
  let database: TestDatabase;
  let started: StartedApp;

  const call = (method: string, path: string, options: { key?: string; body?: unknown } = {}) =>
    fetch(`${started.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.key === undefined ? {} : { authorization: `Bearer ${options.key}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });

  const createOrganization = async (body: unknown = { name: 'Acme Foods' }) => {
    const response = await call('POST', '/admin/organizations', { key: BOOTSTRAP_KEY, body });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; keyId: string; apiKey: string };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    started = await startApp({
      env: { DATABASE_URL: database.url, TRACEROOT_BOOTSTRAP_API_KEY: BOOTSTRAP_KEY },
      imports: [DatabaseModule.forRoot(database.url), AuthModule],
      providers: [{ provide: APP_GUARD, useExisting: ApiKeyGuard }],
      controllers: [WhoAmIController],
      logger: false,
    });
  });

  afterAll(async () => {
    await started.close();
    await database.drop();
  });

  describe('the guard', () => {
    it('answers a request without a key with 401, problem details and a Bearer challenge', async () => {
      const response = await call('GET', '/test-only/protected');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="traceroot"');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it.each([
      ['a malformed key', 'not-a-key'],
      ['an unknown key', `trk_${'0'.repeat(32)}_${'A'.repeat(43)}`],
    ])('answers %s with 401 and error="invalid_token"', async (_case, key) => {
      const response = await call('GET', '/test-only/protected', { key });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="traceroot", error="invalid_token"',
      );
      expect(await response.json()).toMatchObject({
        code: 'UNAUTHENTICATED',
        detail: 'the API key is not valid',
      });
    });

    it("hands the organization key's principal to the controller", async () => {
      const { id, keyId, apiKey } = await createOrganization({ name: 'Whoami' });
      const response = await call('GET', '/test-only/protected', { key: apiKey });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        organizationId: id,
        isAdmin: false,
        keyId,
        scopes: ['capture', 'query'],
      });
    });

    it('lets anyone read a @Public() route, and still checks a key that is sent', async () => {
      const anonymous = await call('GET', '/test-only/public');
      expect(anonymous.status).toBe(200);
      expect(await anonymous.json()).toEqual({ principal: null });

      const { id, apiKey } = await createOrganization({ name: 'Public reader' });
      const identified = await call('GET', '/test-only/public', { key: apiKey });
      expect(await identified.json()).toMatchObject({ principal: { organizationId: id } });

      expect((await call('GET', '/test-only/public', { key: 'not-a-key' })).status).toBe(401);
    });

    it('refuses an organization key on /admin routes with 403', async () => {
      const { id, apiKey } = await createOrganization({ name: 'Not an admin' });
      const response = await call('POST', `/admin/organizations/${id}/api-keys`, { key: apiKey });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('POST /admin/organizations', () => {
    it('creates an organization: 201, Location and a working key', async () => {
      const response = await call('POST', '/admin/organizations', {
        key: BOOTSTRAP_KEY,
        body: { name: 'Acme Foods', gln: '9520123456788' },
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { id: string; apiKey: string };
      expect(body).toMatchObject({ name: 'Acme Foods', gln: '9520123456788' });
      expect(response.headers.get('location')).toBe(`/admin/organizations/${body.id}`);

      const location = await call('GET', response.headers.get('location') ?? '', {
        key: BOOTSTRAP_KEY,
      });
      expect(await location.json()).toMatchObject({
        id: body.id,
        name: 'Acme Foods',
        gln: '9520123456788',
      });
      expect((await call('GET', '/test-only/protected', { key: body.apiKey })).status).toBe(200);
    });

    it.each([
      [{}, '/name'],
      [{ name: '   ' }, '/name'],
      [{ name: 42 }, '/name'],
      [{ name: 'Acme', gln: '9520123456789' }, '/gln'],
      [{ name: 'Acme', gln: 9520123456788 }, '/gln'],
      [{ name: 'Acme', colour: 'red' }, '/colour'],
      [[], ''],
    ])('refuses %j with 400 naming %s', async (body, pointer) => {
      const response = await call('POST', '/admin/organizations', { key: BOOTSTRAP_KEY, body });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { code: string; errors: { pointer: string }[] };
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errors.map((error) => error.pointer)).toContain(pointer);
    });

    it('refuses a GLN that another organization holds', async () => {
      await createOrganization({ name: 'GLN holder', gln: '0614141000005' });
      const response = await call('POST', '/admin/organizations', {
        key: BOOTSTRAP_KEY,
        body: { name: 'GLN thief', gln: '0614141000005' },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [{ pointer: '/gln' }] });
    });
  });

  describe('POST /admin/organizations/{id}/api-keys', () => {
    it('creates another key for the organization', async () => {
      const { id } = await createOrganization({ name: 'More keys' });
      const response = await call('POST', `/admin/organizations/${id}/api-keys`, {
        key: BOOTSTRAP_KEY,
      });
      expect(response.status).toBe(201);
      const { keyId, apiKey } = (await response.json()) as { keyId: string; apiKey: string };
      const whoAmI = await call('GET', '/test-only/protected', { key: apiKey });
      expect(await whoAmI.json()).toMatchObject({ organizationId: id, keyId });
    });

    it.each(['6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6', 'not-a-uuid'])(
      'answers 404 for organization %s',
      async (id) => {
        const response = await call('POST', `/admin/organizations/${id}/api-keys`, {
          key: BOOTSTRAP_KEY,
        });
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
      },
    );
  });

  it('documents the admin routes, their body and the bearer scheme in /openapi.json', async () => {
    const document = (await (await call('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown; requestBody?: unknown }>>;
    };
    const create = document.paths['/admin/organizations']?.post;
    expect(create?.security).toEqual([{ 'api-key': [] }]);
    expect(JSON.stringify(create?.requestBody)).toContain('"gln"');
    expect(document.paths['/admin/organizations/{id}/api-keys']?.post).toBeDefined();
    expect(document.paths['/admin/api-keys/{keyId}']?.delete).toBeDefined();
  });

  describe('DELETE /admin/api-keys/{keyId}', () => {
    it('revokes a key: 204, and its next request gets 401; again is still 204', async () => {
      const { keyId, apiKey } = await createOrganization({ name: 'Revocation' });
      expect((await call('GET', '/test-only/protected', { key: apiKey })).status).toBe(200);

      expect(
        (await call('DELETE', `/admin/api-keys/${keyId}`, { key: BOOTSTRAP_KEY })).status,
      ).toBe(204);
      expect((await call('GET', '/test-only/protected', { key: apiKey })).status).toBe(401);
      expect(
        (await call('DELETE', `/admin/api-keys/${keyId}`, { key: BOOTSTRAP_KEY })).status,
      ).toBe(204);
    });

    it('answers 404 for a key that does not exist', async () => {
      const response = await call(
        'DELETE',
        '/admin/api-keys/6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6',
        { key: BOOTSTRAP_KEY },
      );
      expect(response.status).toBe(404);
    });
  });
});
