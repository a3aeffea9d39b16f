// @traceroot/db: the Prisma client for Traceroot's database, its migrations and the embedded
// PostgreSQL. `apps/api` is its only user (STYLE §3.3, R3).
import { PrismaPg } from '@prisma/adapter-pg';
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
