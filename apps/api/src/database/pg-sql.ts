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
 * between BEGIN and COMMIT, and rolls back when it throws. A connection that fails while lent
 * out (the server restarted, the connection was killed) fails the transaction, never the process,
 * and is closed instead of going back to the pool. A COMMIT that PostgreSQL answers with ROLLBACK
 * (a statement failed and `fn` swallowed the error) is an error, not a success.
 */
export const pgSql = (pool: pg.Pool): SqlDatabase => ({
  ...sqlOf(pool),
  async $transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    // pg-pool removes its own 'error' listener while a client is lent out: without this one, a
    // connection error would be an unhandled 'error' event, which ends the process.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(sqlOf(client));
      const commit = await client.query('COMMIT');
      if (commit.command !== 'COMMIT') {
        throw new Error(
          `the transaction was rolled back (${commit.command}): a statement in it failed`,
        );
      }
      return result;
    } catch (error) {
      // A connection that cannot even roll back is closed rather than reused.
      if (!broken) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  },
});

/** Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505) on `constraint`. */
export const isUniqueViolation = (error: unknown, constraint: string): boolean => {
  const fault = error as { code?: unknown; constraint?: unknown } | null;
  return (
    typeof fault === 'object' &&
    fault !== null &&
    fault.code === '23505' &&
    fault.constraint === constraint
  );
};
