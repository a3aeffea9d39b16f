import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createTestDatabase } from '@traceroot/db/testing';

import { AdminOnly } from '../../src/auth/admin-only.decorator.js';
import { ApiKeyGuard } from '../../src/auth/api-key.guard.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { AuthService } from '../../src/auth/auth.service.js';
import { CurrentPrincipal } from '../../src/auth/current-principal.decorator.js';
import type { Principal } from '../../src/auth/principal.js';
import { Public } from '../../src/auth/public.decorator.js';
import { RequireScope } from '../../src/auth/require-scope.decorator.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { PrismaService } from '../../src/database/prisma.service.js';
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

  @RequireScope('query')
  @Get('query-scope')
  needsQuery(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @AdminOnly()
  @Get('admin-only')
  needsAdmin(@CurrentPrincipal() principal: Principal): Principal {
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

  // Organizations are made through the service: the /admin routes are AdminModule's (admin.e2e).
  const createOrganization = (input: { name: string } = { name: 'Acme Foods' }) =>
    started.app.get(AuthService).createOrganization(input);

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

    it('refuses an organization key on an @AdminOnly() route with 403 (no challenge)', async () => {
      const { apiKey } = await createOrganization({ name: 'Not an admin' });
      const response = await call('GET', '/test-only/admin-only', { key: apiKey });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect((await call('GET', '/test-only/admin-only', { key: BOOTSTRAP_KEY })).status).toBe(200);
    });

    it('refuses a key without the scope of a @RequireScope() route with 403 naming the scope', async () => {
      const { keyId, apiKey } = await createOrganization({ name: 'Capture only' });
      expect((await call('GET', '/test-only/query-scope', { key: apiKey })).status).toBe(200);
      await started.app
        .get(PrismaService)
        .client.$executeRawUnsafe(
          "UPDATE api_keys SET scopes = '{capture}' WHERE id = $1::uuid",
          keyId,
        );
      const response = await call('GET', '/test-only/query-scope', { key: apiKey });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({
        code: 'FORBIDDEN',
        type: 'epcisException:SecurityException',
        detail: 'this API key lacks the query scope, which this request needs',
      });
      // The bootstrap key holds only `admin`: the operator's power does not stretch to `query`.
      expect((await call('GET', '/test-only/query-scope', { key: BOOTSTRAP_KEY })).status).toBe(
        403,
      );
    });
  });
});
