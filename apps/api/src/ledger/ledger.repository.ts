import { Injectable } from '@nestjs/common';
import { type CompactRange, rangeNodeIds } from '@traceroot/trace';

import type { SqlDatabase } from '../database/pg-sql.js';
import { type Protection, protectionOf, type ProtectionRow } from '../privacy/sealed.js';
import { PrismaService } from '../database/prisma.service.js';
import type { LogHead, StoredNode } from './integrate.js';
import { type NodeId, type NodeLoader, nodeKey } from './stored-nodes.js';

/** The subset of a Prisma client (or transaction client) the ledger's raw SQL needs. */
export type Sql = {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
};

export type StoredCheckpoint = {
  treeSize: number;
  rootHash: Uint8Array;
  note: string;
  bodyHash: Uint8Array;
};

type CheckpointRow = {
  tree_size: bigint;
  root_hash: Uint8Array;
  note: string;
  body_hash: Uint8Array;
};

const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({
  treeSize: Number(row.tree_size),
  rootHash: new Uint8Array(row.root_hash),
  note: row.note,
  bodyHash: new Uint8Array(row.body_hash),
});

// Advisory lock keys (pg_advisory_*_lock takes a bigint): "TRACE" + 1/2 in ASCII, arbitrary but fixed.
export const SEQUENCER_LOCK = 0x54524143_4501n;
export const SEALER_LOCK = 0x54524143_4502n;

/**
 * The log tables (log_leaves, log_nodes, checkpoints; all append-only, ADR 0006). Raw SQL: bulk
 * inserts go through unnest() (≈ 10× createMany), identical on PostgreSQL and PGlite.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly prisma: PrismaService) {}

  get db(): SqlDatabase {
    return this.prisma.sql;
  }

  async latestCheckpoint(db: Sql = this.db): Promise<StoredCheckpoint | null> {
    const rows = await db.$queryRawUnsafe<CheckpointRow[]>(
      'SELECT tree_size, root_hash, note, body_hash FROM checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  async checkpointAt(treeSize: number, db: Sql = this.db): Promise<StoredCheckpoint | null> {
    const rows = await db.$queryRawUnsafe<CheckpointRow[]>(
      'SELECT tree_size, root_hash, note, body_hash FROM checkpoints WHERE tree_size = $1',
      BigInt(treeSize),
    );
    return rows[0] ? toCheckpoint(rows[0]) : null;
  }

  /** When the checkpoint of `treeSize` was signed (the service's clock), or null if there is none. */
  async checkpointSignedAt(treeSize: number, db: Sql = this.db): Promise<Date | null> {
    const rows = await db.$queryRawUnsafe<{ created_at: Date }[]>(
      'SELECT created_at FROM checkpoints WHERE tree_size = $1',
      BigInt(treeSize),
    );
    return rows[0]?.created_at ?? null;
  }

  /** The tree size of the first checkpoint that covers leaf `leafIndex`, or null while it is unsealed. */
  async smallestCheckpointCovering(leafIndex: number, db: Sql = this.db): Promise<number | null> {
    const rows = await db.$queryRawUnsafe<{ tree_size: bigint }[]>(
      'SELECT tree_size FROM checkpoints WHERE tree_size > $1 ORDER BY tree_size LIMIT 1',
      BigInt(leafIndex),
    );
    return rows[0] ? Number(rows[0].tree_size) : null;
  }

  /** The sealer's starting point: the last checkpoint's size, chain hash and compact range. */
  async readHead(db: Sql): Promise<LogHead & { treeSize: number }> {
    const last = await this.latestCheckpoint(db);
    const treeSize = last?.treeSize ?? 0;
    const ids = rangeNodeIds(treeSize);
    const nodes = await this.loadNodes(ids, db);
    const range: CompactRange = {
      size: treeSize,
      hashes: ids.map(({ level, index }) => nodes.get(nodeKey(level, index))!),
    };
    if (range.hashes.some((hash) => hash === undefined)) {
      throw new Error(`compact range of ${treeSize} is not stored`);
    }
    return { treeSize, range, lastBodyHash: last?.bodyHash ?? null };
  }

  /** Leaf hashes from `fromIndex` on, in index order, at most `limit`. */
  async readLeafHashes(fromIndex: number, limit: number, db: Sql): Promise<Uint8Array[]> {
    const rows = await db.$queryRawUnsafe<{ leaf_hash: Uint8Array }[]>(
      'SELECT leaf_hash FROM log_leaves WHERE leaf_index >= $1 ORDER BY leaf_index LIMIT $2',
      BigInt(fromIndex),
      limit,
    );
    return rows.map((row) => new Uint8Array(row.leaf_hash));
  }

  async storeIntegration(
    nodes: readonly StoredNode[],
    checkpoint: StoredCheckpoint,
    db: Sql,
  ): Promise<void> {
    if (nodes.length > 0) {
      await db.$executeRawUnsafe(
        'INSERT INTO log_nodes (level, "index", hash) SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[])',
        nodes.map((n) => n.level),
        nodes.map((n) => BigInt(n.index)),
        nodes.map((n) => Buffer.from(n.hash)),
      );
    }
    await db.$executeRawUnsafe(
      'INSERT INTO checkpoints (tree_size, root_hash, note, body_hash) VALUES ($1, $2, $3, $4)',
      BigInt(checkpoint.treeSize),
      Buffer.from(checkpoint.rootHash),
      checkpoint.note,
      Buffer.from(checkpoint.bodyHash),
    );
  }

  /** Try the sealer's transaction-scoped lock; false when another process is sealing. */
  async tryLockSealer(db: Sql): Promise<boolean> {
    const rows = await db.$queryRawUnsafe<{ locked: boolean }[]>(
      'SELECT pg_try_advisory_xact_lock($1) AS locked',
      SEALER_LOCK,
    );
    return rows[0]?.locked === true;
  }

  /** Stored nodes by ID; level 0 comes from log_leaves. One query (one round trip) for both tables. */
  readonly loadNodes = async (
    ids: readonly NodeId[],
    db: Sql = this.db,
  ): Promise<Map<string, Uint8Array>> => {
    const result = new Map<string, Uint8Array>();
    if (ids.length === 0) return result;
    const leaves = ids.filter((id) => id.level === 0).map((id) => BigInt(id.index));
    const inner = ids.filter((id) => id.level > 0);
    const rows = await db.$queryRawUnsafe<{ level: number; index: bigint; hash: Uint8Array }[]>(
      `SELECT 0 AS level, leaf_index AS "index", leaf_hash AS hash FROM log_leaves WHERE leaf_index = ANY($1::bigint[])
       UNION ALL
       SELECT n.level, n."index", n.hash FROM log_nodes n JOIN unnest($2::int[], $3::bigint[]) AS w(level, idx) ON n.level = w.level AND n."index" = w.idx`,
      leaves,
      inner.map((id) => id.level),
      inner.map((id) => BigInt(id.index)),
    );
    for (const row of rows) {
      result.set(nodeKey(Number(row.level), Number(row.index)), new Uint8Array(row.hash));
    }
    return result;
  };

  nodeLoader(): NodeLoader {
    return (ids) => this.loadNodes(ids);
  }

  /**
   * Stored leaves from `fromIndex` on, in index order, at most `limit`, each with the stored event
   * it commits to (for audits and GET /log/leaves). A LEFT JOIN: a leaf whose event row is gone
   * still shows, with null event columns. Keyset paging on the primary key.
   */
  async readLeaves(
    fromIndex: number,
    limit: number,
    options: { document?: boolean } = {},
    db: Sql = this.db,
  ): Promise<StoredLeaf[]> {
    const rows = await db.$queryRawUnsafe<LeafRow[]>(
      `SELECT l.leaf_index, l.leaf_hash, e.seq, e.event_id, e.event_hash_id, e.disclosures,
         e.organization_id, e.sealed, e.parties, e.rule_set, e.rule_violations, o.gln AS organization_gln
         ${options.document ? ', e.document' : ''}
       FROM log_leaves l LEFT JOIN events e ON e.seq = l.event_seq
         LEFT JOIN organizations o ON o.id = e.organization_id
       WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT $2`,
      BigInt(fromIndex),
      limit,
    );
    return rows.map((row) => ({
      leafIndex: Number(row.leaf_index),
      leafHash: new Uint8Array(row.leaf_hash),
      eventId: row.event_id,
      eventHashId: row.event_hash_id,
      disclosures: row.disclosures,
      ...(options.document ? { document: row.document ?? null } : {}),
      seq: row.seq === null ? null : Number(row.seq),
      protection: row.organization_id === null ? null : protectionOf(row as ProtectionRow),
      organizationGln: row.organization_gln,
    }));
  }

  /** Checkpoints of tree size ≥ `fromSize`, in increasing size, at most `limit`. */
  async readCheckpoints(
    fromSize: number,
    limit: number,
    db: Sql = this.db,
  ): Promise<StoredCheckpoint[]> {
    const rows = await db.$queryRawUnsafe<CheckpointRow[]>(
      'SELECT tree_size, root_hash, note, body_hash FROM checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT $2',
      BigInt(fromSize),
      limit,
    );
    return rows.map(toCheckpoint);
  }
}

/** A stored leaf and the stored event it commits to (event columns null when the row is gone). */
export type StoredLeaf = {
  leafIndex: number;
  leafHash: Uint8Array;
  eventId: string | null;
  eventHashId: string | null;
  /** The events.disclosures column as stored: field name → SD-JWT disclosure (JSON, untrusted shape). */
  disclosures: unknown;
  /** The events.document column, when asked for. */
  document?: unknown;
  /** The event's seq and privacy columns (null when the event row is gone). */
  seq: number | null;
  protection: Protection | null;
  /** The GLN of the organization that recorded the event. */
  organizationGln: string | null;
};

type LeafRow = {
  leaf_index: bigint;
  leaf_hash: Uint8Array;
  event_id: string | null;
  event_hash_id: string | null;
  disclosures: unknown;
  document?: unknown;
  seq: bigint | null;
  organization_id: string | null;
  sealed: unknown;
  parties: string[] | null;
  rule_set: string | null;
  rule_violations: unknown[] | null;
  organization_gln: string | null;
};
