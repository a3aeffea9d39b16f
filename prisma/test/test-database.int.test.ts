// createTestDatabase: fresh, migrated databases cloned from a shared template, and dropped.
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createPrismaClient } from '../src/index.js';
import { getMigrationStatus } from '../src/migrate.js';
import { createTestDatabase, TEST_SERVER_URL } from '../src/test-database.js';

async function databases(): Promise<Map<string, { isTemplate: boolean; allowConn: boolean }>> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{
      datname: string;
      datistemplate: boolean;
      datallowconn: boolean;
    }>('SELECT datname, datistemplate, datallowconn FROM pg_database');
    return new Map(
      rows.map((r) => [r.datname, { isTemplate: r.datistemplate, allowConn: r.datallowconn }]),
    );
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates distinct, fully migrated databases, even concurrently, and drops them', async () => {
    const [a, b] = await Promise.all([
      createTestDatabase('db_testdb'),
      createTestDatabase('db_testdb'),
    ]);
    try {
      expect(a.name).not.toBe(b.name);
      expect(a.name).toMatch(/^db_testdb_[0-9a-f]{12}$/);
      const before = await databases();
      expect(before.has(a.name) && before.has(b.name)).toBe(true);

      for (const db of [a, b]) {
        await expect(getMigrationStatus(db.url)).resolves.toMatchObject({
          pending: [],
          failed: [],
        });
      }
      const prisma = createPrismaClient(a.url);
      try {
        const org = await prisma.organization.create({
          data: { name: 'Only in A', gln: '0614141000005' },
        });
        expect(await prisma.organization.count()).toBe(1);
        expect(org.id).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await prisma.$disconnect();
      }
      const other = createPrismaClient(b.url);
      try {
        expect(await other.organization.count()).toBe(0);
      } finally {
        await other.$disconnect();
      }

      const templates = [...before].filter(([name]) => name.startsWith('traceroot_template_'));
      expect(templates).toEqual([
        [
          expect.stringMatching(/^traceroot_template_[0-9a-f]{16}$/),
          { isTemplate: true, allowConn: false },
        ],
      ]);
    } finally {
      await a.drop();
      await b.drop();
    }
    const after = await databases();
    expect(after.has(a.name) || after.has(b.name)).toBe(false);
    await expect(a.drop()).resolves.toBeUndefined();
  });

  it('drops a database that still has open connections', async () => {
    const db = await createTestDatabase('db_testdb_busy');
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {});
    await client.connect();
    await db.drop();
    expect((await databases()).has(db.name)).toBe(false);
    await client.end().catch(() => {});
  });
});
