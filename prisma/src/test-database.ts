// Throwaway databases for integration tests (STYLE §3.7): each test file gets its own fresh,
// fully migrated database on the test server, cloned from a template that is migrated once.
//
// The template is named after a hash of the migrations (traceroot_template_<hash>), so every
// process with the same migrations shares it and a changed migration builds a new one. Building
// (and dropping outdated templates) holds an exclusive advisory lock; cloning holds it shared,
// so concurrent test processes never clone a template that is being built or dropped. The
// template refuses connections (CREATE DATABASE … TEMPLATE needs it idle).
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from './migrate.js';
import { MIGRATIONS_DIR } from './paths.js';
import { quoteIdent, withDatabase } from './wasm-engine.js';

export type TestDatabase = {
  /** The database's name. */
  name: string;
  /** Its connection URL. */
  url: string;
  /** Drops it, closing any connection still open (idempotent). */
  drop(): Promise<void>;
};

/** The server tests run against: TEST_DATABASE_URL, else the local PostgreSQL. */
export const TEST_SERVER_URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const TEMPLATE_PREFIX = 'traceroot_template_';
/** pg_advisory_lock key guarding the templates ("trtmpl" in ASCII). */
const TEMPLATE_LOCK = 0x7472746d706c;

let template: Promise<string> | undefined;

/**
 * Creates a fresh database named `<prefix>_<random>` with every migration applied. The first
 * call in a process may build the template (≈ 1 s); later ones only clone it.
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  template ??= ensureTemplate();
  const templateName = await template.catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  const name = `${prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40)}_${randomBytes(6).toString('hex')}`;
  await withServer(async (admin) => {
    await admin.query(`SELECT pg_advisory_lock_shared(${TEMPLATE_LOCK})`);
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateName)}`);
    } finally {
      await admin.query(`SELECT pg_advisory_unlock_shared(${TEMPLATE_LOCK})`);
    }
  });
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: withDatabase(TEST_SERVER_URL, name),
    drop: () =>
      (dropped ??= withServer(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      })),
  };
}

/** Builds the template for the current migrations unless it exists; returns its name. */
async function ensureTemplate(): Promise<string> {
  const name = TEMPLATE_PREFIX + (await hashMigrations()).slice(0, 16);
  await withServer(async (admin) => {
    await admin.query(`SELECT pg_advisory_lock(${TEMPLATE_LOCK})`);
    try {
      const { rows } = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${TEMPLATE_PREFIX}%`],
      );
      if (rows.some((row) => row.datname === name)) return;
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(building)}`);
      await applyMigrations(withDatabase(TEST_SERVER_URL, building));
      // Renamed only once complete: a crash mid-build leaves no usable-looking template.
      await retryWhileInUse(() =>
        admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`),
      );
      await admin.query(
        `ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
      );
      // Templates of other migration states (and builds that crashed) are outdated: drop them.
      // No clone can be running: clones hold the lock shared.
      for (const { datname } of rows) {
        if (datname === name || datname === building) continue;
        await admin.query(`ALTER DATABASE ${quoteIdent(datname)} WITH IS_TEMPLATE false`);
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
      }
    } finally {
      await admin.query(`SELECT pg_advisory_unlock(${TEMPLATE_LOCK})`);
    }
  });
  return name;
}

/** SHA-256 over every migration's name and SQL, in order. */
async function hashMigrations(): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  for (const dir of dirs.sort()) {
    hash.update(`${dir}\n`);
    hash.update(await readFile(path.join(MIGRATIONS_DIR, dir, 'migration.sql')));
  }
  return hash.digest('hex');
}

/**
 * Retries `run` while PostgreSQL reports the database in use (SQLSTATE 55006): a backend may
 * still be exiting just after its client closed the connection.
 */
async function retryWhileInUse<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function withServer<T>(run: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}
