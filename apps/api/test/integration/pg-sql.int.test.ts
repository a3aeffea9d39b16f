import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@traceroot/db/testing';
import pg from 'pg';

import { PrismaService } from '../../src/database/prisma.service.js';

// The raw-SQL path that skips Prisma's engine (ADR 0007) must behave as Prisma's raw queries did:
// same value types, and a transaction is all or nothing.
describe('PrismaService.sql on PostgreSQL', () => {
  let db: TestDatabase;
  let database: PrismaService;

  beforeAll(async () => {
    db = await createTestDatabase('pgsql');
    database = new PrismaService(db.url);
    await database.sql.$executeRawUnsafe(
      'CREATE TABLE t (n bigint PRIMARY KEY, b bytea, j jsonb, at timestamptz)',
    );
  });

  afterAll(async () => {
    await database.onModuleDestroy();
    await db.drop();
  });

  it('returns int8 as BigInt, bytea as bytes, jsonb parsed and timestamptz as Date', async () => {
    const big = 2n ** 60n + 1n;
    const inserted = await database.sql.$executeRawUnsafe(
      'INSERT INTO t VALUES ($1, $2, $3::jsonb, $4)',
      big,
      Buffer.from([1, 2, 3]),
      JSON.stringify({ a: [1, 'x'] }),
      new Date('2026-01-02T03:04:05.678Z'),
    );
    expect(inserted).toBe(1);
    const [row] = await database.sql.$queryRawUnsafe<
      { n: unknown; b: unknown; j: unknown; at: unknown; four: unknown }[]
    >('SELECT n, b, j, at, 4::int AS four FROM t WHERE n = $1', big);
    expect(row!.n).toBe(big);
    expect(new Uint8Array(row!.b as Uint8Array)).toEqual(new Uint8Array([1, 2, 3]));
    expect(row!.j).toEqual({ a: [1, 'x'] });
    expect(row!.at).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    expect(row!.four).toBe(4);
  });

  it('commits a transaction that returns, and rolls back one that throws', async () => {
    const result = await database.sql.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (10)');
      return 'done';
    });
    expect(result).toBe('done');
    await expect(
      database.sql.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (11)');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    // A statement that fails inside the transaction also leaves nothing behind.
    await expect(
      database.sql.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (12)');
        await tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (10)');
      }),
    ).rejects.toThrow(/duplicate key/);
    const rows = await database.sql.$queryRawUnsafe<{ n: bigint }[]>(
      'SELECT n FROM t WHERE n BETWEEN 10 AND 12 ORDER BY n',
    );
    expect(rows.map((row) => row.n)).toEqual([10n]);
    // The pool is healthy afterwards (connections went back clean).
    const again = await Promise.all(
      Array.from({ length: 12 }, () =>
        database.sql.$queryRawUnsafe<{ one: number }[]>('SELECT 1 AS one'),
      ),
    );
    expect(again.every((r) => r[0]!.one === 1)).toBe(true);
  });

  it('refuses to call a transaction committed when PostgreSQL rolled it back', async () => {
    await expect(
      database.sql.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (20)');
        // A failed statement whose error is swallowed: COMMIT then answers ROLLBACK.
        await tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (20)').catch(() => undefined);
      }),
    ).rejects.toThrow(/rolled back/);
    const rows = await database.sql.$queryRawUnsafe<{ n: bigint }[]>(
      'SELECT n FROM t WHERE n = 20',
    );
    expect(rows).toEqual([]);
  });

  it('survives connections that die, lent out or idle, and keeps serving', async () => {
    // From a connection of its own (a pooled one could be the very connection to kill).
    const kill = async (pid: number) => {
      const killer = new pg.Client({ connectionString: db.url });
      await killer.connect();
      try {
        await killer.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await killer.end();
      }
    };
    // Killed in the middle of a transaction: that transaction fails, the process does not.
    await expect(
      database.sql.$transaction(async (tx) => {
        const [me] = await tx.$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
        await kill(me!.pid);
        await tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (30)');
      }),
    ).rejects.toThrow();
    // Killed while idle in the pool.
    const idle = await database.sql.$queryRawUnsafe<{ pid: number }[]>(
      'SELECT pg_backend_pid() AS pid',
    );
    await kill(idle[0]!.pid);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await Promise.all(
      Array.from({ length: 12 }, () =>
        database.sql.$queryRawUnsafe<{ one: number }[]>('SELECT 1 AS one'),
      ),
    );
    expect(after.every((r) => r[0]!.one === 1)).toBe(true);
    expect(
      await database.sql.$queryRawUnsafe<{ n: bigint }[]>('SELECT n FROM t WHERE n = 30'),
    ).toEqual([]);
    await database.sql.$transaction((tx) => tx.$executeRawUnsafe('INSERT INTO t (n) VALUES (31)'));
    expect(
      await database.sql.$queryRawUnsafe<{ n: bigint }[]>('SELECT n FROM t WHERE n = 31'),
    ).toEqual([{ n: 31n }]);
  });
});
