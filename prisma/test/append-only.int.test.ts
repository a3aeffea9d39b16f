// The ledger tables are append-only in the database, and the CHECK constraints hold.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createPrismaClient, type PrismaClient } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/test-database.js';

const LEDGER_TABLES = ['log_leaves', 'log_nodes', 'checkpoints'] as const;
const HASH_COLUMN = { log_leaves: 'leaf_hash', log_nodes: 'hash', checkpoints: 'root_hash' };
const hash = (byte: number, length = 32) => Buffer.alloc(length, byte);

let db: TestDatabase;
let prisma: PrismaClient;
let sql: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase('db_append_only');
  prisma = createPrismaClient(db.url);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();

  const organization = await prisma.organization.create({ data: { name: 'Acme Farms' } });
  const event = await prisma.event.create({
    data: {
      eventId: 'ni:///sha-256;00?ver=CBV2.0',
      eventHashId: 'ni:///sha-256;00?ver=CBV2.0',
      organizationId: organization.id,
      type: 'ObjectEvent',
      eventTime: new Date('2026-11-27T10:00:00Z'),
      eventTimeZoneOffset: '+01:00',
      document: { type: 'ObjectEvent' },
      leafIndex: 0n,
    },
  });
  await prisma.logLeaf.create({ data: { leafIndex: 0n, eventSeq: event.seq, leafHash: hash(1) } });
  await prisma.logNode.create({ data: { level: 0, index: 0n, hash: hash(1) } });
  await prisma.checkpoint.create({
    data: {
      treeSize: 1n,
      rootHash: hash(1),
      note: 'traceroot.dev/log\n1\nAQ==\n',
      bodyHash: hash(2),
    },
  });
});

afterAll(async () => {
  await sql?.end();
  await prisma?.$disconnect();
  await db?.drop();
});

async function rowCount(table: string): Promise<number> {
  const { rows } = await sql.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
  return Number(rows[0]?.count);
}

describe.each(LEDGER_TABLES)('%s', (table) => {
  it.each([
    ['UPDATE', `UPDATE ${table} SET ${HASH_COLUMN[table]} = $1`],
    ['DELETE', `DELETE FROM ${table}`],
    ['TRUNCATE', `TRUNCATE ${table}`],
  ])('rejects %s, naming the table', async (op, statement) => {
    const params = op === 'UPDATE' ? [hash(9)] : [];
    await expect(sql.query(statement, params)).rejects.toMatchObject({
      code: 'P0001',
      message: `${table} is append-only: ${op} is not allowed`,
    });
    expect(await rowCount(table)).toBe(1);
  });

  it('rejects an UPDATE or DELETE that matches no row as well', async () => {
    const column = HASH_COLUMN[table];
    await expect(
      sql.query(`UPDATE ${table} SET ${column} = ${column} WHERE false`),
    ).rejects.toThrow(`${table} is append-only: UPDATE`);
    await expect(sql.query(`DELETE FROM ${table} WHERE false`)).rejects.toThrow(
      `${table} is append-only: DELETE`,
    );
  });
});

it('rejects a TRUNCATE of events that would cascade into log_leaves', async () => {
  await expect(sql.query('TRUNCATE events CASCADE')).rejects.toThrow('log_leaves is append-only');
  expect(await rowCount('events')).toBe(1);
});

describe('the append-only rule through Prisma', () => {
  it('rejects prisma.checkpoint.update with the trigger message', async () => {
    await expect(
      prisma.checkpoint.update({ where: { treeSize: 1n }, data: { note: 'rewritten' } }),
    ).rejects.toThrow('checkpoints is append-only: UPDATE is not allowed');
  });

  it('rejects prisma.logLeaf.deleteMany', async () => {
    await expect(prisma.logLeaf.deleteMany({})).rejects.toThrow('log_leaves is append-only');
  });

  it('still accepts appends, including INSERT … ON CONFLICT DO NOTHING', async () => {
    await prisma.logNode.create({ data: { level: 1, index: 0n, hash: hash(3) } });
    await sql.query(
      'INSERT INTO log_nodes (level, index, hash) VALUES (1, 0, $1) ON CONFLICT DO NOTHING',
      [hash(4)],
    );
    const node = await prisma.logNode.findUniqueOrThrow({
      where: { level_index: { level: 1, index: 0n } },
    });
    expect(Buffer.from(node.hash)).toEqual(hash(3));
  });
});

describe('CHECK constraints', () => {
  it.each([
    [
      'log_leaves_leaf_hash_length',
      'INSERT INTO log_leaves (leaf_index, event_seq, leaf_hash) VALUES (7, 999, $1)',
    ],
    ['log_nodes_hash_length', 'INSERT INTO log_nodes (level, index, hash) VALUES (5, 5, $1)'],
    [
      'checkpoints_root_hash_length',
      "INSERT INTO checkpoints (tree_size, root_hash, note, body_hash) VALUES (7, $1, 'n', decode(repeat('00', 32), 'hex'))",
    ],
    [
      'checkpoints_body_hash_length',
      "INSERT INTO checkpoints (tree_size, root_hash, note, body_hash) VALUES (7, decode(repeat('00', 32), 'hex'), 'n', $1)",
    ],
    [
      'api_keys_secret_hash_length',
      'INSERT INTO api_keys (secret_hash, is_admin) VALUES ($1, true)',
    ],
  ])('%s rejects a 31-byte hash', async (constraint, statement) => {
    await expect(sql.query(statement, [hash(1, 31)])).rejects.toMatchObject({
      code: '23514',
      constraint,
    });
  });

  it.each([
    ['log_nodes_level_range', 'INSERT INTO log_nodes (level, index, hash) VALUES (64, 0, $1)'],
    ['log_nodes_level_range', 'INSERT INTO log_nodes (level, index, hash) VALUES (-1, 0, $1)'],
    [
      'log_nodes_index_non_negative',
      'INSERT INTO log_nodes (level, index, hash) VALUES (0, -1, $1)',
    ],
    [
      'checkpoints_tree_size_non_negative',
      "INSERT INTO checkpoints (tree_size, root_hash, note, body_hash) VALUES (-1, $1, 'n', $1)",
    ],
    [
      'log_leaves_leaf_index_non_negative',
      'INSERT INTO log_leaves (leaf_index, event_seq, leaf_hash) VALUES (-1, 1, $1)',
    ],
  ])('%s rejects an out-of-range position', async (constraint, statement) => {
    await expect(sql.query(statement, [hash(1)])).rejects.toMatchObject({
      code: '23514',
      constraint,
    });
  });

  it('accepts a level-63 node', async () => {
    await sql.query('INSERT INTO log_nodes (level, index, hash) VALUES (63, 0, $1)', [hash(5)]);
  });

  it('rejects an API key with neither an organization nor admin rights', async () => {
    await expect(
      sql.query('INSERT INTO api_keys (secret_hash, is_admin) VALUES ($1, false)', [hash(1)]),
    ).rejects.toMatchObject({ code: '23514', constraint: 'api_keys_admin_or_organization' });
  });

  it('rejects an unknown identifier role', async () => {
    await expect(
      sql.query(
        "INSERT INTO event_identifiers (event_seq, role, identifier) VALUES (1, 'epcList', 'x')",
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'event_identifiers_role' });
  });
});

describe('checkpoints.tree_size', () => {
  it('is unique: a second checkpoint of one size cannot be stored (SQL)', async () => {
    await expect(
      sql.query(
        "INSERT INTO checkpoints (tree_size, root_hash, note, body_hash) VALUES (1, $1, 'other root', $1)",
        [hash(7)],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'checkpoints_pkey' });
  });

  it('is unique through Prisma too (P2002)', async () => {
    await expect(
      prisma.checkpoint.create({
        data: { treeSize: 1n, rootHash: hash(8), note: 'other root', bodyHash: hash(8) },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });
});

describe('master data (append-only, like the ledger)', () => {
  const PRODUCT = 'https://id.gs1.org/01/09506000134352';
  let owner: string;

  beforeAll(async () => {
    owner = (await prisma.organization.create({ data: { name: 'Sichuan Distillery' } })).id;
    await prisma.masterDataRecord.create({
      data: {
        id: PRODUCT,
        kind: 'product',
        ownerOrganizationId: owner,
        versions: {
          create: {
            version: 1,
            validFrom: new Date('2026-01-01T00:00:00Z'),
            organizationId: owner,
            source: 'api',
            attributes: { name: 'Baijiu 52%' },
          },
        },
      },
    });
  });

  describe.each(['master_data_records', 'master_data_versions'])('%s', (table) => {
    it.each([
      ['UPDATE', `UPDATE ${table} SET record_id = record_id`],
      ['DELETE', `DELETE FROM ${table}`],
      ['TRUNCATE', `TRUNCATE ${table} CASCADE`],
    ])('rejects %s, naming the table', async (op, statement) => {
      const sqlText =
        table === 'master_data_records'
          ? statement.replace('record_id = record_id', 'id = id')
          : statement;
      await expect(sql.query(sqlText)).rejects.toMatchObject({ code: 'P0001' });
      await expect(sql.query(sqlText)).rejects.toThrow(`is append-only: ${op} is not allowed`);
      expect(await rowCount(table)).toBe(1);
    });
  });

  it('rejects a new owner through Prisma, and accepts a second version', async () => {
    await expect(
      prisma.masterDataRecord.update({
        where: { id: PRODUCT },
        data: { ownerOrganizationId: owner },
      }),
    ).rejects.toThrow('master_data_records is append-only: UPDATE is not allowed');
    await prisma.masterDataVersion.create({
      data: {
        recordId: PRODUCT,
        version: 2,
        validFrom: new Date(),
        organizationId: owner,
        source: 'api',
        attributes: { name: 'Baijiu 53%' },
      },
    });
    expect(await rowCount('master_data_versions')).toBe(2);
  });

  it.each([
    ['a product id of a lot', 'product', 'https://id.gs1.org/01/09506000134352/10/L1'],
    ['a GTIN of 13 digits', 'product', 'https://id.gs1.org/01/9506000134352'],
    ['another host', 'location', 'https://example.com/414/9506000134376'],
    ['a party id of a location', 'party', 'https://id.gs1.org/414/9506000134376'],
    ['an unknown kind', 'item', 'https://id.gs1.org/01/09506000134352/21/1'],
  ])('refuses a record whose id does not fit its kind: %s', async (_case, kind, id) => {
    await expect(
      sql.query(
        'INSERT INTO master_data_records (id, kind, owner_organization_id) VALUES ($1, $2, $3)',
        [id, kind, owner],
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('names the capture job of exactly the epcis versions', async () => {
    const insert = (version: number, source: string, job: string | null) =>
      sql.query(
        `INSERT INTO master_data_versions (record_id, version, valid_from, organization_id, source, capture_job_id, attributes)
         VALUES ($1, $2, now(), $3, $4, $5, '{}')`,
        [PRODUCT, version, owner, source, job],
      );
    await expect(insert(10, 'epcis', null)).rejects.toMatchObject({
      code: '23514',
      constraint: 'master_data_versions_capture_job_iff_epcis',
    });
    await expect(insert(11, 'csv', null)).rejects.toMatchObject({
      code: '23514',
      constraint: 'master_data_versions_source',
    });
  });
});

describe('scans', () => {
  const ITEM = 'https://id.gs1.org/01/09506000134352/21/0001';

  beforeAll(async () => {
    await sql.query(
      'INSERT INTO scanned_items (identifier, scan_count, first_scanned_at, last_scanned_at) VALUES ($1, 1, now(), now())',
      [ITEM],
    );
  });

  it.each([
    ['scans_latitude_range', 90.1, 0],
    ['scans_longitude_range', 0, -180.1],
    ['scans_position_whole', 30.7, null],
  ])('%s refuses a position (%s, %s)', async (constraint, latitude, longitude) => {
    await expect(
      sql.query(
        'INSERT INTO scans (identifier, scanned_at, latitude, longitude) VALUES ($1, now(), $2, $3)',
        [ITEM, latitude, longitude],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint });
  });

  it('stores positions to 0.1 degree only', async () => {
    const { rows } = await sql.query<{ latitude: string; longitude: string }>(
      `INSERT INTO scans (identifier, scanned_at, latitude, longitude) VALUES ($1, now(), 30.66, 104.07)
       RETURNING latitude, longitude`,
      [ITEM],
    );
    expect(rows).toEqual([{ latitude: '30.7', longitude: '104.1' }]);
  });

  it('refuses an item that is not a serialised GTIN', async () => {
    await expect(
      sql.query(
        'INSERT INTO scanned_items (identifier, scan_count, first_scanned_at, last_scanned_at) VALUES ($1, 1, now(), now())',
        ['https://id.gs1.org/01/09506000134352'],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'scanned_items_identifier_shape' });
  });
});
