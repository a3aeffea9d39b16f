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
import type {
  AuditCheckpoint,
  AuditLeaf,
  AuditMismatch,
  AuditOptions,
  AuditResult,
  AuditSource,
  AuditStream,
} from './types.js';

const DEFAULT_PROGRESS_EVERY = 10_000;

/**
 * Audits a stored log (docs/specs/leaf-format.md, checkpoint-format.md): recomputes every leaf
 * from its stored event and compares it with the stored leaf hash, checks that leaf indexes run
 * 0, 1, 2, …, and checks every checkpoint: its signature by a pinned key, its stored columns,
 * that sizes strictly increase, that its root is the root of the first treeSize recomputed leaf
 * hashes, and that it names the previous checkpoint (`traceroot.dev/prev`; the first names none).
 *
 * Streams: leaves are folded into a compact range as they arrive, and each checkpoint is checked
 * once the leaves before it have been, so memory is O(log n) whatever the log's size. The first
 * finding, in log order, ends the audit (and closes both streams). Never throws on bad data; a
 * malformed trusted key is MALFORMED_INPUT, and a failing stream's error propagates.
 */
export const auditLog = async (
  source: AuditSource,
  options: AuditOptions,
): Promise<AuditResult> => {
  const auditor = new LogAuditor(options);
  const leaves = iteratorOf(source.leaves);
  try {
    let position = 0;
    for await (const checkpoint of source.checkpoints) {
      const target = sizeToReach(checkpoint);
      while (target !== null && auditor.leaves < target) {
        const next = await leaves.next();
        if (next.done === true) break;
        if (!auditor.addLeaf(next.value)) return auditor.result();
      }
      if (!auditor.addCheckpoint(checkpoint, position++)) return auditor.result();
    }
    // The leaves after the last checkpoint (sequenced, not yet sealed) are audited too.
    for (;;) {
      const next = await leaves.next();
      if (next.done === true) return auditor.result();
      if (!auditor.addLeaf(next.value)) return auditor.result();
    }
  } finally {
    await leaves.return?.();
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

const iteratorOf = <T>(stream: AuditStream<T>): AsyncIterator<T> | Iterator<T> =>
  Symbol.asyncIterator in stream
    ? stream[Symbol.asyncIterator]()
    : (stream as Iterable<T>)[Symbol.iterator]();

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
  private mismatch: AuditMismatch | undefined;

  constructor(private readonly options: AuditOptions) {
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

  /** Checks the next leaf; false (and the finding recorded) when it is wrong. */
  addLeaf(leaf: AuditLeaf): boolean {
    const checked = checkLeaf(leaf, this.range.size, this.hasher, this.sha);
    if (!checked.ok) return this.fail(checked.mismatch);
    this.range = appendLeaves(this.range, [checked.leafHash], this.hasher);
    if (checked.eventHashIdChecked) this.hashIdsChecked += 1;
    const every = this.options.progressEvery ?? DEFAULT_PROGRESS_EVERY;
    if (this.range.size % every === 0) this.progress();
    return true;
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
    return true;
  }

  result(): AuditResult {
    const last = this.previous?.checkpoint;
    return {
      ok: this.mismatch === undefined,
      leaves: this.range.size,
      checkpoints: this.checkpoints,
      eventHashIdsChecked: this.hashIdsChecked,
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

  private progress(): void {
    this.options.onProgress?.({ leaves: this.range.size, checkpoints: this.checkpoints });
  }

  private fail(mismatch: AuditMismatch): false {
    this.mismatch = mismatch;
    return false;
  }
}
