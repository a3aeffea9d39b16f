import { Inject, Injectable } from '@nestjs/common';
import {
  buildConsistencyProof,
  buildInclusionProof,
  bytesToBase64,
  type TraceBundle,
} from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';
import { LEDGER_CONFIG, type LedgerConfig } from './ledger.config.js';
import { LedgerRepository, type StoredCheckpoint, type StoredLeaf } from './ledger.repository.js';
import { SealerService } from './sealer.service.js';
import { nodeKey, withStoredNodes } from './stored-nodes.js';

export type InclusionProofView = {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  path: string[];
};
export type ConsistencyProofView = { from: number; to: number; path: string[] };
/** A page of stored leaves; `next` is the index of the next stored leaf after the page, or null. */
export type LeafPage = { leaves: StoredLeaf[]; next: number | null };
/** A page of signed checkpoints; `next` is the tree size of the next one after the page, or null. */
export type CheckpointPage = {
  checkpoints: { treeSize: number; note: string }[];
  next: number | null;
};

/** The most leaves (and checkpoints) one page of GET /log/leaves (/log/checkpoints) holds. */
export const MAX_LOG_PAGE = 1000;

/** How long a latest checkpoint read from the database serves proofs that name no tree size. */
const RECENT_MAX_AGE_MS = 250;

/** How many signed checkpoints ProofsService keeps in memory (≈ 300 bytes each). */
const SIGNED_CACHE_SIZE = 10_000;

/** The public log: checkpoints and O(log n) proofs read from stored nodes (never a rebuild). */
@Injectable()
export class ProofsService {
  private readonly signed = new Map<number, StoredCheckpoint>();
  private recent: { checkpoint: StoredCheckpoint; at: number } | undefined;

  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    sealer: SealerService,
  ) {
    sealer.onSealed((checkpoint) => this.noteSealed(checkpoint));
  }

  get verifierKey(): string {
    return this.config.verifierKey;
  }

  async latestCheckpoint(): Promise<StoredCheckpoint> {
    const checkpoint = await this.ledger.latestCheckpoint();
    if (!checkpoint) {
      throw new DomainError('NOT_FOUND', 'the log has no checkpoint yet: nothing has been sealed');
    }
    // A proof asked for after this answer names this checkpoint or a newer one (in this process).
    this.noteSealed(checkpoint);
    return checkpoint;
  }

  async checkpointAt(treeSize: number): Promise<StoredCheckpoint> {
    const cached = this.signed.get(treeSize);
    if (cached) return cached;
    const checkpoint = await this.ledger.checkpointAt(treeSize);
    if (!checkpoint) {
      throw new DomainError('NOT_FOUND', `no checkpoint was signed at tree size ${treeSize}`);
    }
    // Checkpoints never change (append-only, one per size): kept without expiry, the oldest
    // dropped first beyond a bound.
    if (this.signed.size >= SIGNED_CACHE_SIZE) this.signed.delete(this.signed.keys().next().value!);
    this.signed.set(treeSize, checkpoint);
    return checkpoint;
  }

  /**
   * A recent signed checkpoint for proofs that name no tree size: the latest one read at most
   * RECENT_MAX_AGE_MS ago (this process's own seals replace it at once, see noteSealed), read
   * afresh when it does not cover `leafIndex`. A proof names its tree size, so a slightly older
   * checkpoint gives a proof just as valid; GET /log/checkpoint always reads the database.
   */
  private async recentCheckpoint(leafIndex: number): Promise<StoredCheckpoint> {
    const held = this.recent;
    if (
      held &&
      performance.now() - held.at < RECENT_MAX_AGE_MS &&
      leafIndex < held.checkpoint.treeSize
    ) {
      return held.checkpoint;
    }
    return this.latestCheckpoint();
  }

  /** A checkpoint just signed or read: the newest one seen becomes the recent checkpoint. */
  noteSealed(checkpoint: StoredCheckpoint): void {
    if (!this.recent || checkpoint.treeSize >= this.recent.checkpoint.treeSize) {
      this.recent = { checkpoint, at: performance.now() };
    }
  }

  /** Inclusion of leaf `leafIndex` in the checkpoint of `treeSize` (default: a recent one, at least covering the leaf when one does). */
  async inclusionProof(leafIndex: number, treeSize?: number): Promise<InclusionProofView> {
    const checkpoint =
      treeSize === undefined
        ? await this.recentCheckpoint(leafIndex)
        : await this.checkpointAt(treeSize);
    if (leafIndex >= checkpoint.treeSize) {
      throw new DomainError(
        'NOT_FOUND',
        `leaf ${leafIndex} is not covered by the checkpoint of size ${checkpoint.treeSize} (yet)`,
      );
    }
    // The leaf's own hash comes in the same round trip as the proof's nodes.
    let leaf: Uint8Array | undefined;
    const proof = await withStoredNodes(
      (read) => buildInclusionProof(leafIndex, checkpoint.treeSize, read, this.config.hasher),
      async (ids) => {
        const nodes = await this.ledger.loadNodes([...ids, { level: 0, index: leafIndex }]);
        leaf = nodes.get(nodeKey(0, leafIndex));
        return nodes;
      },
    );
    if (!leaf) throw new Error(`stored leaf ${leafIndex} is missing`);
    return {
      leafIndex,
      treeSize: checkpoint.treeSize,
      leafHash: bytesToBase64(leaf),
      path: proof.path.map(bytesToBase64),
    };
  }

  /** Consistency between two signed checkpoints. */
  async consistencyProof(from: number, to: number): Promise<ConsistencyProofView> {
    if (from < 1 || from > to) {
      throw new DomainError(
        'QUERY_PARAMETER_INVALID',
        `need 1 ≤ from ≤ to, got from=${from}, to=${to}`,
      );
    }
    await Promise.all([this.checkpointAt(from), this.checkpointAt(to)]);
    const proof = await withStoredNodes(
      (read) => buildConsistencyProof(from, to, read, this.config.hasher),
      this.ledger.nodeLoader(),
    );
    return { from, to, path: proof.path.map(bytesToBase64) };
  }

  /** The stored leaves of indexes [start, end), with their events: at most MAX_LOG_PAGE. */
  async leaves(start: number, end: number): Promise<LeafPage> {
    if (end < start || end - start > MAX_LOG_PAGE) {
      throw new DomainError(
        'QUERY_PARAMETER_INVALID',
        `need start ≤ end ≤ start + ${MAX_LOG_PAGE}, got start=${start}, end=${end}`,
      );
    }
    // One row more than the range can hold: the first row at or after `end` names the next page.
    const rows = await this.ledger.readLeaves(start, end - start + 1);
    return {
      leaves: rows.filter((row) => row.leafIndex < end),
      next: rows.find((row) => row.leafIndex >= end)?.leafIndex ?? null,
    };
  }

  /** The signed checkpoints of tree size ≥ start, smallest first: at most `limit` ≤ MAX_LOG_PAGE. */
  async checkpoints(start: number, limit: number): Promise<CheckpointPage> {
    if (limit < 1 || limit > MAX_LOG_PAGE) {
      throw new DomainError(
        'QUERY_PARAMETER_INVALID',
        `limit must be between 1 and ${MAX_LOG_PAGE}, got ${limit}`,
      );
    }
    const rows = await this.ledger.readCheckpoints(start, limit + 1);
    return {
      checkpoints: rows.slice(0, limit).map((row) => ({ treeSize: row.treeSize, note: row.note })),
      next: rows[limit]?.treeSize ?? null,
    };
  }

  /**
   * A self-contained bundle for the given leaves (all fields disclosed), at `checkpoint` (default:
   * the latest), which must cover them.
   */
  async bundle(
    entries: readonly {
      leafIndex: number;
      eventHashId: string;
      disclosures: readonly string[];
      digests: readonly string[];
    }[],
    at?: StoredCheckpoint,
  ): Promise<TraceBundle> {
    const checkpoint = at ?? (await this.latestCheckpoint());
    const uncovered = entries.find((entry) => entry.leafIndex >= checkpoint.treeSize);
    if (uncovered) {
      throw new DomainError(
        'NOT_FOUND',
        `leaf ${uncovered.leafIndex} is not covered by the checkpoint of size ${checkpoint.treeSize} (yet)`,
      );
    }
    // Every entry's path from one read of the stored nodes: one round trip for the bundle, not one
    // per entry (a trace's bundle proves tens to hundreds of events).
    const paths = await withStoredNodes(
      (read) =>
        entries.map(
          (entry) =>
            buildInclusionProof(entry.leafIndex, checkpoint.treeSize, read, this.config.hasher)
              .path,
        ),
      (ids) => this.ledger.loadNodes(ids),
    );
    return {
      checkpoint: checkpoint.note,
      entries: entries.map((entry, i) => ({
        leafIndex: entry.leafIndex,
        eventHashId: entry.eventHashId,
        digests: entry.digests,
        disclosures: entry.disclosures,
        inclusionPath: paths[i]!.map(bytesToBase64),
      })),
    };
  }
}
