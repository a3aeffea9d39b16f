import { bytesEqual, bytesToBase64 } from '../bytes.js';
import {
  type Checkpoint,
  checkpointBodyHash,
  type NoteVerifier,
  openCheckpoint,
  parseCheckpoint,
  parseVerifierKey,
  previousCheckpointHash,
  verifyCheckpointChain,
} from '../checkpoint/index.js';
import { isTraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';
import {
  appendLeaves,
  type CompactRange,
  createMerkleHasher,
  EMPTY_RANGE,
  type MerkleHasher,
  rootOfRange,
} from '../merkle/index.js';
import { checkLeaf } from './check-leaf.js';
import {
  type CompletedNode,
  iteratorOf,
  leavesOfNode,
  type NodeVerdict,
  StoredNodes,
} from './check-nodes.js';
import type {
  AuditCheckpoint,
  AuditLeaf,
  AuditMismatch,
  AuditOptions,
  AuditResult,
  AuditSource,
} from './types.js';

const DEFAULT_PROGRESS_EVERY = 10_000;

/**
 * Audits a stored log (docs/specs/leaf-format.md, checkpoint-format.md): recomputes every leaf
 * from its stored event and compares it with the stored leaf hash, checks that leaf indexes run
 * 0, 1, 2, …, and checks every checkpoint: its signature by a pinned key, its stored columns,
 * that sizes strictly increase, that its root is the root of the first treeSize recomputed leaf
 * hashes, and that it names the previous checkpoint (`traceroot.dev/prev`; the first names none).
 * With `source.nodes`, also the stored interior nodes: each node the leaves complete is compared
 * with the stored one (NODE_MISMATCH), one missing under a checkpoint is NODE_MISSING (reported
 * when that checkpoint has checked out), and at the end a stored node beyond the last checkpoint
 * is NODE_UNEXPECTED. Nodes of the leaves after the last checkpoint are compared when stored.
 *
 * Streams: leaves are folded into a compact range as they arrive, and each checkpoint is checked
 * once the leaves before it have been, so memory is O(log n) whatever the log's size. The first
 * finding, in log order, ends the audit (and closes every stream). Never throws on bad data; a
 * malformed trusted key is MALFORMED_INPUT, and a failing stream's error propagates.
 */
export const auditLog = async (
  source: AuditSource,
  options: AuditOptions,
): Promise<AuditResult> => {
  const nodes = source.nodes ? new StoredNodes(source.nodes) : null;
  const auditor = new LogAuditor(options, nodes !== null);
  const leaves = iteratorOf(source.leaves);
  /** Checks the next leaf and the stored nodes it completes; false at a finding or the end. */
  const addNextLeaf = async (): Promise<boolean> => {
    const next = await leaves.next();
    if (next.done === true) return false;
    const completed = auditor.addLeaf(next.value);
    if (completed === null) return false;
    for (const node of nodes === null ? [] : completed) {
      if (!auditor.addNode(node, await nodes!.check(node))) return false;
    }
    return true;
  };
  try {
    let position = 0;
    for await (const checkpoint of source.checkpoints) {
      const target = sizeToReach(checkpoint);
      while (target !== null && auditor.leaves < target) {
        if (!(await addNextLeaf())) break;
      }
      if (!auditor.ok || !auditor.addCheckpoint(checkpoint, position++)) return auditor.result();
    }
    // The leaves after the last checkpoint (sequenced, not yet sealed) are audited too.
    while (await addNextLeaf());
    if (auditor.ok && nodes !== null) auditor.addStrayNode(await nodes.beyond(auditor.treeSize));
    return auditor.result();
  } finally {
    await leaves.return?.();
    await nodes?.close();
  }
};

/**
 * How far to read the leaves before checking a checkpoint: the stored size when the source gives
 * one (a row's key), else the size its note claims (unverified yet: it only positions the check).
 */
const sizeToReach = (checkpoint: AuditCheckpoint): number | null => {
  if (typeof checkpoint !== 'string' && Number.isSafeInteger(checkpoint?.treeSize)) {
    return checkpoint.treeSize!;
  }
  const note = typeof checkpoint === 'string' ? checkpoint : checkpoint?.note;
  if (typeof note !== 'string') return null;
  const cut = note.lastIndexOf('\n\n');
  try {
    return parseCheckpoint(note.slice(0, cut + 1)).treeSize;
  } catch {
    return null; // the checkpoint's own check reports it
  }
};

type Previous = { checkpoint: Checkpoint; treeSize: number };

/** The audit's state: the compact range of the leaves so far and the last checkpoint. */
class LogAuditor {
  private readonly hasher: MerkleHasher;
  private readonly sha: Sha256;
  private readonly keys: readonly NoteVerifier[];
  private range: CompactRange = EMPTY_RANGE;
  private previous: Previous | null = null;
  private checkpoints = 0;
  private hashIdsChecked = 0;
  private nodesChecked = 0;
  /** The first node found missing since the last checkpoint: a finding once one covers it. */
  private missingNode: CompletedNode | null = null;
  private mismatch: AuditMismatch | undefined;

  constructor(
    private readonly options: AuditOptions,
    private readonly withNodes: boolean,
  ) {
    this.sha = options.sha ?? sha256;
    this.hasher = createMerkleHasher(this.sha);
    // Parsed once: openCheckpoint would re-parse key strings for every checkpoint.
    this.keys = options.trustedKeys.map((key) =>
      typeof key === 'string' ? parseVerifierKey(key, this.sha) : key,
    );
  }

  get leaves(): number {
    return this.range.size;
  }

  get ok(): boolean {
    return this.mismatch === undefined;
  }

  /** The tree size of the last correct checkpoint (0 before any). */
  get treeSize(): number {
    return this.previous?.treeSize ?? 0;
  }

  /**
   * Checks the next leaf; returns the interior nodes it completes (level ≥ 1, in completion
   * order), or null (and the finding recorded) when it is wrong.
   */
  addLeaf(leaf: AuditLeaf): CompletedNode[] | null {
    const checked = checkLeaf(leaf, this.range.size, this.hasher, this.sha);
    if (!checked.ok) {
      this.fail(checked.mismatch);
      return null;
    }
    const completed: CompletedNode[] = [];
    this.range = appendLeaves(this.range, [checked.leafHash], this.hasher, (level, index, hash) => {
      if (level > 0) completed.push({ level, index, hash });
    });
    if (checked.eventHashIdChecked) this.hashIdsChecked += 1;
    const every = this.options.progressEvery ?? DEFAULT_PROGRESS_EVERY;
    if (this.range.size % every === 0) this.progress();
    return completed;
  }

  /** Records what the stored nodes say about a completed node; false at a finding. */
  addNode(node: CompletedNode, verdict: NodeVerdict): boolean {
    if (verdict.found === 'finding') return this.fail(verdict.mismatch);
    if (verdict.found === 'equal') this.nodesChecked += 1;
    else this.missingNode ??= node;
    return true;
  }

  /** Records the source's stored node beyond the last checkpoint, if any. */
  addStrayNode(mismatch: AuditMismatch | null): void {
    if (mismatch !== null) this.fail(mismatch);
  }

  /** Checks a checkpoint once every leaf it may cover has been added. */
  addCheckpoint(stored: AuditCheckpoint, position: number): boolean {
    const row = typeof stored === 'string' ? { note: stored } : stored;
    const at = {
      checkpointIndex: position,
      ...(Number.isSafeInteger(row?.treeSize) ? { treeSize: row.treeSize! } : {}),
    };
    if (typeof row?.note !== 'string') {
      return this.fail({
        ...at,
        code: 'CHECKPOINT_INVALID',
        reason: 'CHECKPOINT_MALFORMED',
        message: 'CHECKPOINT_MALFORMED: no signed note is stored',
      });
    }
    let opened: { checkpoint: Checkpoint; text: string };
    try {
      opened = openCheckpoint(row.note, this.keys, {
        sha: this.sha,
        ...(this.options.origin === undefined ? {} : { origin: this.options.origin }),
      });
    } catch (error) {
      if (!isTraceError(error)) throw error;
      return this.fail({
        ...at,
        code: 'CHECKPOINT_INVALID',
        reason: error.code,
        message: `${error.code}: ${error.message}`,
      });
    }
    const { checkpoint } = opened;
    const { treeSize, rootHash } = checkpoint;
    const here = { checkpointIndex: position, treeSize };
    const rowProblem = this.compareRow(row, opened);
    if (rowProblem !== null) {
      return this.fail({ ...here, code: 'CHECKPOINT_ROW_MISMATCH', message: rowProblem });
    }
    const previous = this.previous;
    if (previous !== null && treeSize <= previous.treeSize) {
      return this.fail({
        ...here,
        code: 'CHECKPOINT_ORDER',
        message: `tree size ${treeSize} follows tree size ${previous.treeSize}: sizes must strictly increase`,
      });
    }
    if (treeSize > this.range.size) {
      return this.fail({
        ...here,
        code: 'CHECKPOINT_BEYOND_LOG',
        message: `it signs ${treeSize} leaves, but the log holds only ${this.range.size}`,
      });
    }
    // Here treeSize === this.range.size: auditLog reads the leaves exactly up to each checkpoint
    // (a smaller size than the leaves read so far is one that does not increase, refused above).
    const recomputed = rootOfRange(this.range, this.hasher);
    if (!bytesEqual(recomputed, rootHash)) {
      const [signed, again] = [bytesToBase64(rootHash), bytesToBase64(recomputed)];
      return this.fail({
        ...here,
        code: 'ROOT_MISMATCH',
        stored: signed,
        recomputed: again,
        message: `signed root ${signed} ≠ recomputed root ${again} of the first ${treeSize} leaves`,
      });
    }
    const chainProblem = this.checkChain(checkpoint);
    if (chainProblem !== null) return this.fail({ ...here, ...chainProblem });
    this.previous = { checkpoint, treeSize };
    this.checkpoints += 1;
    this.progress();
    return this.requireNodes(here);
  }

  result(): AuditResult {
    const last = this.previous?.checkpoint;
    return {
      ok: this.mismatch === undefined,
      leaves: this.range.size,
      checkpoints: this.checkpoints,
      eventHashIdsChecked: this.hashIdsChecked,
      ...(this.withNodes ? { nodes: this.nodesChecked } : {}),
      treeSize: last?.treeSize ?? 0,
      rootHash: last ? bytesToBase64(last.rootHash) : null,
      ...(this.mismatch ? { mismatch: this.mismatch } : {}),
    };
  }

  private compareRow(
    row: Exclude<AuditCheckpoint, string>,
    opened: { checkpoint: Checkpoint; text: string },
  ): string | null {
    const { treeSize, rootHash } = opened.checkpoint;
    if (row.treeSize !== undefined && row.treeSize !== treeSize) {
      return `stored under tree size ${row.treeSize}, but its note signs tree size ${treeSize}`;
    }
    if (row.rootHash !== undefined && !bytesEqual(row.rootHash, rootHash)) {
      return `stored root hash ${bytesToBase64(row.rootHash)} ≠ the signed root ${bytesToBase64(rootHash)}`;
    }
    const bodyHash = row.bodyHash === undefined ? null : checkpointBodyHash(opened.text, this.sha);
    if (row.bodyHash !== undefined && !bytesEqual(row.bodyHash, bodyHash!)) {
      return `stored body hash ${bytesToBase64(row.bodyHash)} ≠ the note's body hash ${bytesToBase64(bodyHash!)}`;
    }
    return null;
  }

  private checkChain(
    checkpoint: Checkpoint,
  ): Pick<AuditMismatch, 'code' | 'reason' | 'message'> | null {
    if (this.previous === null) {
      const named = previousCheckpointHash(checkpoint);
      if (named === null) return null;
      return {
        code: 'CHAIN_MISMATCH',
        message: `it names a previous checkpoint (${bytesToBase64(named)}), but it is the first one stored`,
      };
    }
    try {
      verifyCheckpointChain(this.previous.checkpoint, checkpoint, this.sha);
      return null;
    } catch (error) {
      if (!isTraceError(error)) throw error;
      return { code: 'CHAIN_MISMATCH', reason: error.code, message: error.message };
    }
  }

  /** A checkpoint checked out: every node its leaves complete must be stored. */
  private requireNodes(here: { checkpointIndex: number; treeSize: number }): boolean {
    const missing = this.missingNode;
    if (missing === null) return true;
    const { level, index } = missing;
    return this.fail({
      ...here,
      code: 'NODE_MISSING',
      node: { level, index },
      recomputed: bytesToBase64(missing.hash),
      message: `it is not stored, but the checkpoint of tree size ${here.treeSize} covers ${leavesOfNode(level, index)}: every complete subtree of a signed tree is stored with its checkpoint, and proofs are served from them`,
    });
  }

  private progress(): void {
    this.options.onProgress?.({ leaves: this.range.size, checkpoints: this.checkpoints });
  }

  private fail(mismatch: AuditMismatch): false {
    this.mismatch = mismatch;
    return false;
  }
}
