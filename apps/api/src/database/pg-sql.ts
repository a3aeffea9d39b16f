import pg from 'pg';

import type { Sql } from '../ledger/ledger.repository.js';

/** Raw SQL with transactions: what the ledger's repositories need (ADR 0007). */
export type SqlDatabase = Sql & { $transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> };

// Values come back as Prisma's raw queries return them, so repositories do not care which runs
// them: bigint (int8) as BigInt; everything else as node-postgres parses it (bytea → Buffer,
// jsonb → parsed JSON, timestamptz → Date, int4 → number).
const INT8_OID = 20;
const parseBigInt = (value: string): bigint => BigInt(value);
const defaultParser = pg.types.getTypeParser.bind(pg.types) as (
  oid: number,
  format: 'text',
) => (value: string) => unknown;
const types = {
  getTypeParser: (oid: number): ((value: string) => unknown) =>
    oid === INT8_OID ? parseBigInt : defaultParser(oid, 'text'),
};

type Queryable = Pick<pg.PoolClient, 'query'>;

const sqlOf = (target: Queryable): Sql => ({
  async $queryRawUnsafe<T>(text: string, ...values: unknown[]): Promise<T> {
    const result = await target.query({ text, values, types });
    return result.rows as T;
  },
  async $executeRawUnsafe(text: string, ...values: unknown[]): Promise<number> {
    const result = await target.query({ text, values, types });
    return result.rowCount ?? 0;
  },
});

/**
 * The hot path's SQL straight over node-postgres (no Prisma query engine in between), on the
 * pool that the process's Prisma client shares. `$transaction` runs `fn` on one connection
 * between BEGIN and COMMIT, and rolls back when it throws.
 */
export const pgSql = (pool: pg.Pool): SqlDatabase => ({
  ...sqlOf(pool),
  async $transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(sqlOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is closed rather than reused.
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  },
});
