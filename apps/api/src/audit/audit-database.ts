import {
  type AuditCheckpoint,
  type AuditLeaf,
  auditLog,
  type AuditNode,
  type AuditOptions,
  type AuditResult,
} from '@traceroot/trace';

import type { LedgerRepository } from '../ledger/ledger.repository.js';

/**
 * Rows read per query: memory stays O(page · log n) whatever the log's size (a page of leaves, of
 * checkpoints, and of each level of tree nodes).
 */
export const AUDIT_PAGE_SIZE = 1000;

/**
 * Audits the log tables directly (issue 3 §5): every leaf of log_leaves against its stored event
 * (disclosures, event hash ID, eventID and document), and every stored checkpoint (its note and
 * its columns), with `auditLog` of @traceroot/trace — the same checks `traceroot audit --url`
 * runs over GET /log/leaves and GET /log/checkpoints. Reads through the ledger repository, in
 * pages, so the audit reads the tables exactly as the service does.
 *
 * Only here, also the stored tree nodes (log_nodes), which inclusion and consistency proofs are
 * served from and which no public endpoint lists: each is compared with the node recomputed
 * from the leaves, every complete subtree of a checkpoint's tree must be stored (the sealer
 * stores every node a seal completes, with the checkpoint, in one transaction), and a node beyond
 * the latest checkpoint is a finding.
 */
export const auditDatabase = (
  ledger: LedgerRepository,
  options: AuditOptions,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<AuditResult> =>
  auditLog(
    {
      leaves: storedLeaves(ledger, pageSize),
      checkpoints: storedCheckpoints(ledger, pageSize),
      nodes: {
        level: (level) => storedNodes(ledger, level, pageSize),
        beyond: (treeSize) => nodeBeyond(ledger, treeSize),
      },
    },
    options,
  );

async function* storedLeaves(
  ledger: LedgerRepository,
  pageSize: number,
): AsyncGenerator<AuditLeaf> {
  for (let from = 0; ;) {
    const rows = await ledger.readLeaves(from, pageSize, { document: true });
    for (const row of rows) {
      yield {
        leafIndex: row.leafIndex,
        leafHash: row.leafHash,
        eventId: row.eventId,
        eventHashId: row.eventHashId,
        disclosures: disclosureList(row.disclosures),
        // Partner and private fields are stored encrypted: the audit checks the leaf with their
        // digests (it holds no keys), so erased fields audit exactly like withheld ones.
        hiddenDigests: Object.values(row.protection?.sealed?.fields ?? {}).map((field) => field.d),
        ...(row.document === null || row.document === undefined
          ? {}
          : { document: row.document as Record<string, unknown> }),
      };
    }
    if (rows.length < pageSize) return;
    from = rows.at(-1)!.leafIndex + 1;
  }
}

async function* storedCheckpoints(
  ledger: LedgerRepository,
  pageSize: number,
): AsyncGenerator<AuditCheckpoint> {
  for (let from = 0; ;) {
    const rows = await ledger.readCheckpoints(from, pageSize);
    for (const { note, treeSize, rootHash, bodyHash } of rows) {
      yield { note, treeSize, rootHash, bodyHash };
    }
    if (rows.length < pageSize) return;
    from = rows.at(-1)!.treeSize + 1;
  }
}

type NodeRow = { level: number; index: bigint; hash: Uint8Array };

const toNode = (row: NodeRow): AuditNode => ({
  level: Number(row.level),
  index: Number(row.index), // beyond 2^53 it is no node of any real tree: the audit says so
  hash: new Uint8Array(row.hash),
});

/**
 * The log_nodes rows of one level in index order, keyset-paged on the primary key. A short page
 * does not end the stream: the next read asks again from there (only an empty page ends it), so
 * nodes that a seal stores while the audit runs are seen when their checkpoint is.
 */
async function* storedNodes(
  ledger: LedgerRepository,
  level: number,
  pageSize: number,
): AsyncGenerator<AuditNode> {
  for (let from = 0n; ;) {
    const rows = await ledger.db.$queryRawUnsafe<NodeRow[]>(
      'SELECT level, "index", hash FROM log_nodes WHERE level = $1 AND "index" >= $2 ORDER BY "index" LIMIT $3',
      level,
      from,
      pageSize,
    );
    if (rows.length === 0) return;
    for (const row of rows) yield toNode(row);
    from = BigInt(rows.at(-1)!.index) + 1n;
  }
}

/**
 * A log_nodes row the sealer would never have stored, or null: at level 0 (leaf hashes live in
 * log_leaves), or no complete subtree of the larger of `treeSize` (the last checkpoint audited)
 * and the latest stored checkpoint — node (level, index) is complete within size s iff
 * index < s >> level. One statement, so a seal committed meanwhile (its nodes with its
 * checkpoint) is no finding; one index probe per level.
 */
const nodeBeyond = async (
  ledger: LedgerRepository,
  treeSize: number,
): Promise<AuditNode | null> => {
  const rows = await ledger.db.$queryRawUnsafe<NodeRow[]>(
    `SELECT n.level, n."index", n.hash
     FROM (SELECT GREATEST($1::bigint, COALESCE(max(tree_size), 0)) AS size FROM checkpoints) c
     CROSS JOIN generate_series(0, 63) AS l(level)
     CROSS JOIN LATERAL (
       SELECT level, "index", hash FROM log_nodes
       WHERE level = l.level AND "index" >= CASE WHEN l.level = 0 THEN 0 ELSE c.size >> l.level END
       ORDER BY "index" LIMIT 1
     ) n
     ORDER BY n.level LIMIT 1`,
    BigInt(treeSize),
  );
  return rows[0] ? toNode(rows[0]) : null;
};

/**
 * The events.disclosures column (field name → disclosure) as a list. Any other shape is passed on
 * as it is, for the audit to report (null: no event row).
 */
const disclosureList = (column: unknown): readonly string[] | null => {
  if (typeof column === 'object' && column !== null && !Array.isArray(column)) {
    return Object.values(column) as string[];
  }
  return column as readonly string[] | null;
};
