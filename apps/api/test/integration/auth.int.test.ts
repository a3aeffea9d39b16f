import 'reflect-metadata';

import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '@traceroot/db/testing';

import { OPERATOR_ORGANIZATION_ID } from '../../src/admin-records/admin-action.js';
import { parseApiKey } from '../../src/auth/api-key.js';
import { AuthRepository } from '../../src/auth/auth.repository.js';
import { AuthService, DEFAULT_ORGANIZATION_NAME } from '../../src/auth/auth.service.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { loadEnv } from '../../src/config/env.js';
import { PrismaService } from '../../src/database/prisma.service.js';

const BOOTSTRAP_KEY = 'bootstrap-0123456789abcdef0123456789abcdef';
const VALID_GLN = '9520123456788';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

// One service over its own fresh database; each describe block gets its own.
const openService = (database: TestDatabase, bootstrapKey?: string) => {
  const prisma = new PrismaService(database.url);
  const repository = new AuthRepository(prisma);
  const env = loadEnv(
    bootstrapKey === undefined ? {} : { TRACEROOT_BOOTSTRAP_API_KEY: bootstrapKey },
  );
  return { prisma, repository, service: new AuthService(repository, env) };
};

const rejection = async (promise: Promise<unknown>): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

const bearer = (key: string) => `Bearer ${key}`;

describe(AuthService.name, () => {
  let database: TestDatabase;
  let prisma: PrismaService;
  let repository: AuthRepository;
  let service: AuthService;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ prisma, repository, service } = openService(database, BOOTSTRAP_KEY));
  });

  afterAll(async () => {
    await prisma.onModuleDestroy();
    await database.drop();
  });

  it('creates an organization whose first key authenticates as that organization', async () => {
    const created = await service.createOrganization({ name: 'Acme Foods', gln: VALID_GLN });

    expect(created).toMatchObject({ name: 'Acme Foods', gln: VALID_GLN });
    expect(created.apiKey).toMatch(/^trk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(await service.authenticate(bearer(created.apiKey))).toEqual({
      organizationId: created.id,
      isAdmin: false,
      keyId: created.keyId,
      scopes: ['capture', 'query'],
    });
    expect(await service.getOrganization(created.id)).toMatchObject({
      id: created.id,
      gln: VALID_GLN,
    });
  });

  it('stores SHA-256 of the secret, never the key', async () => {
    const { keyId, apiKey } = await service.createOrganization({ name: 'Hashed' });
    const rows = await prisma.client.$queryRawUnsafe<
      { secret_hash: Uint8Array; is_admin: boolean }[]
    >('SELECT secret_hash, is_admin FROM api_keys WHERE id = $1::uuid', keyId);
    const { secret } = parseApiKey(apiKey);

    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]?.secret_hash ?? []).toString('hex')).toBe(
      createHash('sha256').update(secret).digest('hex'),
    );
    expect(rows[0]?.is_admin).toBe(false);
  });

  it('accepts the scheme in any case and refuses anything but one bearer token', async () => {
    const { apiKey } = await service.createOrganization({ name: 'Schemes' });
    await expect(service.authenticate(`bearer ${apiKey}`)).resolves.toMatchObject({
      isAdmin: false,
    });
    for (const header of [
      undefined,
      '',
      apiKey,
      `Basic ${apiKey}`,
      `Bearer ${apiKey} extra`,
      'Bearer',
    ]) {
      expect(await rejection(service.authenticate(header))).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('refuses a key with a wrong secret or an unknown ID, saying the same in both cases', async () => {
    const { apiKey } = await service.createOrganization({ name: 'Wrong secrets' });
    const wrongSecret = `${apiKey.slice(0, -2)}${apiKey.endsWith('AA') ? 'BA' : 'AA'}`;
    const unknownId = `trk_${'0'.repeat(32)}${apiKey.slice(36)}`;

    const errors = [
      await rejection(service.authenticate(bearer(wrongSecret))),
      await rejection(service.authenticate(bearer(unknownId))),
    ];
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'the API key is not valid' });
    }
  });

  it('creates further keys for an organization, each working on its own', async () => {
    const organization = await service.createOrganization({ name: 'Two keys' });
    const second = await service.createApiKey(organization.id);

    expect(second.keyId).not.toBe(organization.keyId);
    await expect(service.authenticate(bearer(second.apiKey))).resolves.toMatchObject({
      organizationId: organization.id,
      keyId: second.keyId,
    });
    await expect(service.authenticate(bearer(organization.apiKey))).resolves.toMatchObject({
      keyId: organization.keyId,
    });
  });

  it('refuses a key for an unknown or malformed organization ID with NOT_FOUND', async () => {
    for (const id of ['6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6', 'not-a-uuid', '']) {
      expect(await rejection(service.createApiKey(id))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await rejection(service.getOrganization(id))).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('rejects a revoked key at once, and revoking is idempotent', async () => {
    const organization = await service.createOrganization({ name: 'Revoked' });
    const spare = await service.createApiKey(organization.id);
    await service.authenticate(bearer(organization.apiKey));

    await service.revokeApiKey(organization.keyId);
    expect(await rejection(service.authenticate(bearer(organization.apiKey)))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'the API key is not valid',
    });

    const revokedAt = async () =>
      (
        await prisma.client.$queryRawUnsafe<{ revoked_at: Date }[]>(
          'SELECT revoked_at FROM api_keys WHERE id = $1::uuid',
          organization.keyId,
        )
      )[0]?.revoked_at;
    const first = await revokedAt();
    await service.revokeApiKey(organization.keyId);
    expect(await revokedAt()).toEqual(first);

    // Only that key: the organization's other key still works.
    await expect(service.authenticate(bearer(spare.apiKey))).resolves.toMatchObject({
      keyId: spare.keyId,
    });
  });

  it('revokes by the 32-digit key ID found inside a key too', async () => {
    const { id } = await service.createOrganization({ name: 'Compact IDs' });
    const { keyId, apiKey } = await service.createApiKey(id);
    await service.revokeApiKey(keyId.replaceAll('-', ''));
    expect(await rejection(service.authenticate(bearer(apiKey)))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('answers NOT_FOUND when revoking a key that does not exist', async () => {
    for (const keyId of ['6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6', 'nonsense']) {
      expect(await rejection(service.revokeApiKey(keyId))).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('rejects an expired key and accepts one that expires later', async () => {
    const { id } = await service.createOrganization({ name: 'Expiry' });
    const expired = await service.createApiKey(id);
    const later = await service.createApiKey(id);
    await prisma.client.$executeRawUnsafe(
      `UPDATE api_keys SET expires_at = CASE id WHEN $1::uuid THEN now() - interval '1 second' ELSE now() + interval '1 hour' END WHERE id IN ($1::uuid, $2::uuid)`,
      expired.keyId,
      later.keyId,
    );

    expect(await rejection(service.authenticate(bearer(expired.apiKey)))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(service.authenticate(bearer(later.apiKey))).resolves.toMatchObject({
      keyId: later.keyId,
    });
  });

  it('accepts TRACEROOT_BOOTSTRAP_API_KEY as an admin of no organization, without storing it', async () => {
    const before = await prisma.client.apiKey.count();
    expect(await service.authenticate(bearer(BOOTSTRAP_KEY))).toEqual({
      organizationId: null,
      isAdmin: true,
      keyId: null,
      scopes: ['admin'],
    });
    expect(await rejection(service.authenticate(bearer(`${BOOTSTRAP_KEY}x`)))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await prisma.client.apiKey.count()).toBe(before);
  });

  it('accepts no bootstrap key when the variable is not set', async () => {
    const withoutBootstrap = new AuthService(repository, loadEnv({}));
    expect(await rejection(withoutBootstrap.authenticate(bearer(BOOTSTRAP_KEY)))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a GLN with a wrong check digit, naming /gln', async () => {
    const error = await rejection(
      service.createOrganization({ name: 'Bad GLN', gln: '9520123456789' }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/gln' }] });
    for (const gln of ['952012345678', '95201234567880', '952012345678X', '']) {
      expect(await rejection(service.createOrganization({ name: 'Bad GLN', gln }))).toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('refuses a second organization with the same GLN, naming /gln, and stores nothing', async () => {
    const gln = '0614141000005';
    await service.createOrganization({ name: 'First holder', gln });
    const organizations = await prisma.client.organization.count();
    const keys = await prisma.client.apiKey.count();

    const error = await rejection(service.createOrganization({ name: 'Second holder', gln }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/gln' }] });
    expect(await prisma.client.organization.count()).toBe(organizations);
    expect(await prisma.client.apiKey.count()).toBe(keys);
  });
});

describe('AuthService.ensureFirstOrganization', () => {
  let database: TestDatabase;
  const services: ReturnType<typeof openService>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two services with two clients: two API processes starting on the same empty database.
    services.push(openService(database), openService(database));
  });

  afterAll(async () => {
    for (const { prisma } of services) await prisma.onModuleDestroy();
    await database.drop();
  });

  it('creates one default organization on an empty database, even when called concurrently', async () => {
    const [a, b] = services;
    if (!a || !b) throw new Error('two services expected');
    const results = await Promise.all([
      a.service.ensureFirstOrganization(),
      b.service.ensureFirstOrganization(),
      a.service.ensureFirstOrganization(),
    ]);
    const created = results.filter((result) => result !== null);

    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ name: DEFAULT_ORGANIZATION_NAME, gln: null });
    expect(await a.prisma.client.organization.count()).toBe(1);
    await expect(b.service.authenticate(bearer(created[0]?.apiKey ?? ''))).resolves.toMatchObject({
      organizationId: created[0]?.id,
      isAdmin: false,
    });
  });

  it('returns null once any organization exists', async () => {
    const [a] = services;
    expect(await a?.service.ensureFirstOrganization()).toBeNull();
    expect(await a?.prisma.client.organization.count()).toBe(1);
  });
});

describe('AuthService.ensureFirstOrganization beside the operator organization', () => {
  let database: TestDatabase;
  let opened: ReturnType<typeof openService>;

  beforeAll(async () => {
    database = await createTestDatabase();
    opened = openService(database);
  });

  afterAll(async () => {
    await opened.prisma.onModuleDestroy();
    await database.drop();
  });

  it('still creates the default organization when only the operator organization exists', async () => {
    await opened.prisma.client.$executeRawUnsafe(
      "INSERT INTO organizations (id, name) VALUES ($1::uuid, 'Traceroot operator')",
      OPERATOR_ORGANIZATION_ID,
    );
    const created = await opened.service.ensureFirstOrganization();
    expect(created).toMatchObject({ name: DEFAULT_ORGANIZATION_NAME });
    expect(await opened.service.ensureFirstOrganization()).toBeNull();
  });
});
