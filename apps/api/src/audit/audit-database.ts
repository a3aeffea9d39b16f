import {
  type AuditCheckpoint,
  type AuditLeaf,
  auditLog,
  type AuditOptions,
  type AuditResult,
} from '@traceroot/trace';

import type { LedgerRepository } from '../ledger/ledger.repository.js';

/** Rows read per query: memory stays O(page + log n) whatever the log's size. */
export const AUDIT_PAGE_SIZE = 1000;

/**
 * Audits the log tables directly (issue 3 §5): every leaf of log_leaves against its stored event
 * (disclosures, event hash ID, eventID and document), and every stored checkpoint (its note and
 * its columns), with `auditLog` of @traceroot/trace — the same checks `traceroot audit --url`
 * runs over GET /log/leaves and GET /log/checkpoints. Reads through the ledger repository, in
 * pages, so the audit reads the tables exactly as the service does.
 */
export const auditDatabase = (
  ledger: LedgerRepository,
  options: AuditOptions,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<AuditResult> =>
  auditLog(
    { leaves: storedLeaves(ledger, pageSize), checkpoints: storedCheckpoints(ledger, pageSize) },
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
