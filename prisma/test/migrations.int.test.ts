// The migrations on a fresh PostgreSQL database: in-process (src/migrate.ts) and through the
// Prisma CLI with the offline schema-engine stand-in (tools/schema-engine-wasm.cjs).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { applyMigrations, getMigrationStatus } from '../src/migrate.js';
import { MIGRATIONS_DIR, PACKAGE_DIR } from '../src/paths.js';
import { TEST_SERVER_URL } from '../src/test-database.js';
import { quoteIdent, withDatabase } from '../src/wasm-engine.js';

const run = promisify(execFile);
const MIGRATIONS = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const TABLES = [
  'admin_actions',
  'api_keys',
  'capture_jobs',
  'checkpoints',
  'event_identifiers',
  'event_keys',
  'event_terms',
  'events',
  'log_leaves',
  'log_nodes',
  'master_data_records',
  'master_data_versions',
  'named_queries',
  'organization_keys',
  'organization_policies',
  'organizations',
  'recalls',
  'rule_state',
  'scanned_items',
  'scans',
  'subscription_deliveries',
  'subscriptions',
];

/** A database name of our own on the test server, dropped after the file's tests. */
const created: string[] = [];
function databaseName(label: string): string {
  const name = `db_migrations_${label}_${process.pid}_${Date.now().toString(36)}`;
  created.push(name);
  return name;
}

async function onServer<T>(run: (client: pg.Client) => Promise<T>, url = TEST_SERVER_URL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The Prisma CLI from the repository root, as `npm run db:*` runs it. */
function prismaCli(args: string[], databaseUrl: string) {
  const root = path.resolve(PACKAGE_DIR, '..');
  return run(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, NO_COLOR: '1' },
  });
}

afterAll(async () => {
  await onServer(async (admin) => {
    for (const name of created) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    }
  });
});

describe('the migrations, in-process', () => {
  let url: string;

  beforeAll(async () => {
    const name = databaseName('inproc');
    await onServer((admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
    url = withDatabase(TEST_SERVER_URL, name);
  });

  it('apply every migration to a fresh database, in order', async () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    await expect(applyMigrations(url)).resolves.toEqual(MIGRATIONS);
  });

  it('leave nothing pending, failed or edited', async () => {
    await expect(getMigrationStatus(url)).resolves.toEqual({
      hasMigrationsTable: true,
      pending: [],
      unknown: [],
      failed: [],
      edited: [],
    });
  });

  it('apply nothing the second time', async () => {
    await expect(applyMigrations(url)).resolves.toEqual([]);
  });

  it('record the checksums the native engine records (sha256 of migration.sql)', async () => {
    const { rows } = await onServer(
      (client) =>
        client.query<{ migration_name: string; checksum: string; finished: boolean }>(
          'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
        ),
      url,
    );
    expect(rows).toEqual(
      MIGRATIONS.map((name) => ({
        migration_name: name,
        checksum: createHash('sha256')
          .update(readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql')))
          .digest('hex'),
        finished: true,
      })),
    );
  });

  it('create every table, the append-only triggers and the CHECK constraints', async () => {
    const { tables, triggers, checks } = await onServer(
      async (client) => ({
        tables: (
          await client.query<{ tablename: string }>(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename",
          )
        ).rows.map((row) => row.tablename),
        triggers: (
          await client.query<{ tgname: string }>(
            'SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname',
          )
        ).rows.map((row) => row.tgname),
        checks: Number(
          (
            await client.query<{ count: string }>(
              "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace",
            )
          ).rows[0]?.count,
        ),
      }),
      url,
    );
    expect(tables).toEqual(TABLES);
    expect(triggers).toEqual([
      'admin_actions_append_only',
      'checkpoints_append_only',
      'log_leaves_append_only',
      'log_nodes_append_only',
      'master_data_records_append_only',
      'master_data_versions_append_only',
    ]);
    expect(checks).toBeGreaterThanOrEqual(25);
  });
});

describe('the Prisma CLI, offline through tools/schema-engine-wasm.cjs', () => {
  it('migrate deploy creates a missing database and applies everything; status is up to date', async () => {
    const url = withDatabase(TEST_SERVER_URL, databaseName('cli'));

    const deploy = await prismaCli(['migrate', 'deploy'], url);
    expect(deploy.stdout).toMatch(/created/);
    expect(deploy.stdout).toMatch(/All migrations have been successfully applied/);

    const status = await prismaCli(['migrate', 'status'], url);
    expect(status.stdout).toMatch(/Database schema is up to date!/);
    await expect(getMigrationStatus(url)).resolves.toMatchObject({ pending: [] });
  });
});
