import { Inject, Injectable } from '@nestjs/common';
import {
  buildConsistencyProof,
  buildInclusionProof,
  bytesToBase64,
  type TraceBundle,
} from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';
import { LEDGER_CONFIG, type LedgerConfig } from './ledger.config.js';
import { LedgerRepository, type StoredCheckpoint } from './ledger.repository.js';
import { withStoredNodes } from './stored-nodes.js';

export type InclusionProofView = { leafIndex: number; treeSize: number; leafHash: string; path: string[] };
export type ConsistencyProofView = { from: number; to: number; path: string[] };

/** The public log: checkpoints and O(log n) proofs read from stored nodes (never a rebuild). */
@Injectable()
export class ProofsService {
  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  get verifierKey(): string {
    return this.config.verifierKey;
  }

  async latestCheckpoint(): Promise<StoredCheckpoint> {
    const checkpoint = await this.ledger.latestCheckpoint();
    if (!checkpoint) throw new DomainError('NOT_FOUND', 'the log has no checkpoint yet: nothing has been sealed');
    return checkpoint;
  }

  async checkpointAt(treeSize: number): Promise<StoredCheckpoint> {
    const checkpoint = await this.ledger.checkpointAt(treeSize);
    if (!checkpoint) throw new DomainError('NOT_FOUND', `no checkpoint was signed at tree size ${treeSize}`);
    return checkpoint;
  }

  /** Inclusion of leaf `leafIndex` in the checkpoint of `treeSize` (default: the latest). */
  async inclusionProof(leafIndex: number, treeSize?: number): Promise<InclusionProofView> {
    const checkpoint = treeSize === undefined ? await this.latestCheckpoint() : await this.checkpointAt(treeSize);
    if (leafIndex >= checkpoint.treeSize) {
      throw new DomainError('NOT_FOUND', `leaf ${leafIndex} is not covered by the checkpoint of size ${checkpoint.treeSize} (yet)`);
    }
    const load = this.ledger.nodeLoader();
    const proof = await withStoredNodes((read) => buildInclusionProof(leafIndex, checkpoint.treeSize, read, this.config.hasher), load);
    const leaf = (await load([{ level: 0, index: leafIndex }])).get(`0/${leafIndex}`)!;
    return { leafIndex, treeSize: checkpoint.treeSize, leafHash: bytesToBase64(leaf), path: proof.path.map(bytesToBase64) };
  }

  /** Consistency between two signed checkpoints. */
  async consistencyProof(from: number, to: number): Promise<ConsistencyProofView> {
    if (from < 1 || from > to) {
      throw new DomainError('QUERY_PARAMETER_INVALID', `need 1 ≤ from ≤ to, got from=${from}, to=${to}`);
    }
    await Promise.all([this.checkpointAt(from), this.checkpointAt(to)]);
    const proof = await withStoredNodes((read) => buildConsistencyProof(from, to, read, this.config.hasher), this.ledger.nodeLoader());
    return { from, to, path: proof.path.map(bytesToBase64) };
  }

  /** A self-contained bundle for the given leaves (all fields disclosed), at the latest checkpoint. */
  async bundle(entries: readonly { leafIndex: number; eventHashId: string; disclosures: readonly string[]; digests: readonly string[] }[]): Promise<TraceBundle> {
    const checkpoint = await this.latestCheckpoint();
    const proofs = await Promise.all(entries.map((entry) => this.inclusionProof(entry.leafIndex, checkpoint.treeSize)));
    return {
      checkpoint: checkpoint.note,
      entries: entries.map((entry, i) => ({
        leafIndex: entry.leafIndex,
        eventHashId: entry.eventHashId,
        digests: entry.digests,
        disclosures: entry.disclosures,
        inclusionPath: proofs[i]!.path,
      })),
    };
  }
}
