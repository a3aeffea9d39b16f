// @traceroot/db: the Prisma client for Traceroot's database, its migrations and the embedded
// PostgreSQL. `apps/api` is its only user (STYLE §3.3, R3).
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/client/client.js';

// The generated client: PrismaClient, the Prisma namespace, enums and one type per model.
export * from '../generated/client/client.js';
export { applyMigrations, getMigrationStatus } from './migrate.js';
export type { MigrateOptions, MigrationStatus } from './migrate.js';
export { startEmbeddedPostgres } from './embedded.js';
export type { EmbeddedPostgres } from './embedded.js';

/**
 * A Prisma client on the PostgreSQL at `url` (real or the embedded one), through node-postgres
 * (@prisma/adapter-pg). Call `$disconnect()` when done.
 */
export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

/** A Prisma client and the node-postgres pool it runs on, for raw SQL that skips Prisma's engine. */
export type Database = { prisma: PrismaClient; pool: pg.Pool; close(): Promise<void> };

/**
 * One node-postgres pool on `url` and a Prisma client on that pool: the raw-SQL hot paths (event
 * sequencing, proofs) query the pool directly, everything else goes through Prisma, with one set
 * of connections between them. `maxConnections` bounds the pool (1 for the embedded PGlite, whose
 * one backend interleaves the wire protocol of concurrent connections). `close()` disconnects
 * Prisma and ends the pool. `onIdleError`
 * hears of idle connections that failed (they are replaced; nothing else to do but log).
 */
export function createDatabase(
  url: string,
  onIdleError: (error: Error) => void = () => undefined,
  options: { maxConnections?: number } = {},
): Database {
  const pool = new pg.Pool({
    connectionString: url,
    ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
  });
  // An idle connection that fails (server restart, killed backend) is dropped by the pool; without
  // a listener its 'error' event would end the process. The next query opens a new connection.
  pool.on('error', onIdleError);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
