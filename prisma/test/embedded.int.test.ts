// The embedded PGlite: the same migrations apply, the rules hold, and a restart keeps the data.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/embedded.js';
import { applyMigrations, getMigrationStatus } from '../src/migrate.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { readdirSync } from 'node:fs';

const MIGRATIONS = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const hash = (byte: number) => Buffer.alloc(32, byte);

let tmp: string;
let dataDir: string;
let embedded: EmbeddedPostgres | undefined;

async function query<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'traceroot-pglite-'));
  dataDir = path.join(tmp, 'pglite');
});

afterAll(async () => {
  await embedded?.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('serves a fresh data directory on 127.0.0.1 and takes the migrations', async () => {
    embedded = await startEmbeddedPostgres(dataDir);
    expect(embedded.url).toMatch(
      /^postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/,
    );

    await expect(applyMigrations(embedded.url)).resolves.toEqual(MIGRATIONS);
    await expect(getMigrationStatus(embedded.url)).resolves.toMatchObject({
      pending: [],
      failed: [],
    });
    const { rows } = await query<{ server_version: string }>(embedded.url, 'SHOW server_version');
    expect(rows[0]?.server_version).toMatch(/^18\./);
  });

  it('enforces the same append-only triggers and CHECK constraints', async () => {
    const url = embedded!.url;
    await query(
      url,
      "INSERT INTO checkpoints (tree_size, root_hash, note, body_hash) VALUES (0, $1, 'empty', $2)",
      [hash(1), hash(2)],
    );
    await expect(query(url, 'DELETE FROM checkpoints')).rejects.toThrow(
      'checkpoints is append-only: DELETE is not allowed',
    );
    await expect(query(url, 'UPDATE log_nodes SET level = level')).rejects.toThrow(
      'log_nodes is append-only: UPDATE is not allowed',
    );
    await expect(
      query(url, 'INSERT INTO log_nodes (level, index, hash) VALUES (0, 0, $1)', [
        Buffer.alloc(31),
      ]),
    ).rejects.toMatchObject({ code: '23514', constraint: 'log_nodes_hash_length' });
  });

  it('enforces the master data rules too (append-only versions, identifier shapes)', async () => {
    const url = embedded!.url;
    const { rows } = await query<{ id: string }>(
      url,
      "INSERT INTO organizations (name) VALUES ('Acme') RETURNING id",
    );
    const owner = rows[0]!.id;
    await query(
      url,
      "INSERT INTO master_data_records (id, kind, owner_organization_id) VALUES ('https://id.gs1.org/01/09506000134352', 'product', $1)",
      [owner],
    );
    await query(
      url,
      `INSERT INTO master_data_versions (record_id, version, valid_from, organization_id, source, attributes)
       VALUES ('https://id.gs1.org/01/09506000134352', 1, now(), $1, 'api', '{"name": "Baijiu"}')`,
      [owner],
    );
    await expect(query(url, "UPDATE master_data_versions SET source = 'api'")).rejects.toThrow(
      'master_data_versions is append-only: UPDATE is not allowed',
    );
    await expect(
      query(
        url,
        "INSERT INTO master_data_records (id, kind, owner_organization_id) VALUES ('https://id.gs1.org/414/9506000134352', 'product', $1)",
        [owner],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'master_data_records_id_shape' });
  });

  it('refuses a second server on the same data directory', async () => {
    await expect(startEmbeddedPostgres(dataDir)).rejects.toThrow(/in use by process/);
  });

  it('keeps its data across a restart', async () => {
    await embedded!.stop();
    embedded = await startEmbeddedPostgres(dataDir);
    const { rows } = await query<{ note: string }>(embedded.url, 'SELECT note FROM checkpoints');
    expect(rows).toEqual([{ note: 'empty' }]);
    await expect(applyMigrations(embedded.url)).resolves.toEqual([]);
    await embedded.stop();
    embedded = undefined;
  });
});
