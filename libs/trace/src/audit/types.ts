import type { NoteVerifier } from '../checkpoint/index.js';
import type { TraceErrorCode } from '../errors.js';
import type { Sha256 } from '../hash.js';

/**
 * One stored leaf as an auditor sees it: the log's row (index, leaf hash) and the stored event it
 * commits to. All of it comes from the audited party (a database, a service): untrusted.
 */
export type AuditLeaf = {
  /** The leaf's index in the log; leaves must arrive in order 0, 1, 2, … */
  leafIndex: number;
  /** The stored RFC 6962 leaf hash: 32 bytes, or their standard base64 (RFC 4648 §4). */
  leafHash: Uint8Array | string;
  /** The stored event's eventID (names the event in a report); null when no event is stored. */
  eventId: string | null;
  /** The stored CBV 2.0 event hash ID (line 2 of the leaf). */
  eventHashId: string | null;
  /** The stored event's field disclosures (SD-JWT strings), in any order. */
  disclosures: readonly string[] | null;
  /**
   * Digests of the fields withheld from this auditor (docs/specs/leaf-format.md): the leaf is
   * rebuilt from the disclosures' digests plus these. With any field withheld the event hash ID
   * cannot be recomputed, and is not. Default: none.
   */
  hiddenDigests?: readonly string[];
  /**
   * The stored event document, when the source has it (a database), compared with the event the
   * disclosures assemble into (assembleEvent): each of its members (an `ilmd` object member by
   * member) must be disclosed with an equal value, and every disclosed member a member of it,
   * unless `documentOmits` names it. Pseudo-fields (`@context`, `@ruleSet`, …) need not be in it.
   */
  document?: Readonly<Record<string, unknown>>;
  /**
   * The fields the stored document leaves out on purpose (those that are not public, when the
   * document is the public part of the event), by leaf field name: `bizTransactionList`,
   * `ilmd/tr:pickerPhone`, or `ilmd` for a whole ILMD. No field named here may be in the document.
   * Default: none (the document is the whole event).
   */
  documentOmits?: readonly string[];
};

/**
 * One stored checkpoint: the signed note, or the note with the columns stored beside it (a
 * database row), which must agree with it.
 */
export type AuditCheckpoint =
  | string
  | {
      note: string;
      /** The stored tree size (the row's key); must be the note's. */
      treeSize?: number;
      /** The stored root hash column; must be the note's root hash. */
      rootHash?: Uint8Array;
      /** The stored body hash column; must be checkpointBodyHash(note text). */
      bodyHash?: Uint8Array;
    };

/**
 * One stored interior node of the log's Merkle tree: node (level, index) is the RFC 6962 root of
 * leaves [index·2^level, (index+1)·2^level), level ≥ 1 (level 0 is the leaf hashes). A log keeps
 * them to serve proofs; from the audited party: untrusted.
 */
export type AuditNode = {
  level: number;
  index: number;
  /** The stored hash: 32 bytes, or their standard base64. */
  hash: Uint8Array | string;
};

/** Streams or arrays: a source reads pages lazily, so memory stays O(page + log n). */
export type AuditStream<T> = AsyncIterable<T> | Iterable<T>;

/**
 * The stored interior nodes, for a source that has them (a database): each is compared with the
 * node recomputed from the leaves, and every complete subtree of a checkpoint's tree must be
 * stored (a log stores every node a seal completes, with the checkpoint).
 */
export type AuditNodeSource = {
  /**
   * The stored nodes of one level (≥ 1), in increasing index. Opened once per level, lazily,
   * when the first node of that level is complete; read only as far as the audit needs.
   */
  level: (level: number) => AuditStream<AuditNode>;
  /**
   * A stored node that is no complete subtree of the first `treeSize` leaves (the last checkpoint
   * audited), or null; asked once, at the end of an audit that found nothing else. A source
   * that is read while the log grows should answer against its latest checkpoint when that is
   * larger, in one consistent read, so that a seal during the audit is not a finding.
   */
  beyond?: (treeSize: number) => Promise<AuditNode | null>;
};

export type AuditSource = {
  /** Every stored leaf, in index order. */
  leaves: AuditStream<AuditLeaf>;
  /** Every stored checkpoint, in increasing tree size. */
  checkpoints: AuditStream<AuditCheckpoint>;
  /** The stored interior nodes, when the source has them (not the public HTTP endpoints). */
  nodes?: AuditNodeSource;
};

export type AuditProgress = { leaves: number; checkpoints: number };

export type AuditOptions = {
  /** The verifier keys pinned by the auditor (never taken from the audited party). */
  trustedKeys: readonly (string | NoteVerifier)[];
  /** Require this origin on every checkpoint. */
  origin?: string;
  sha?: Sha256;
  /** Called every `progressEvery` leaves and after each checkpoint. */
  onProgress?: (progress: AuditProgress) => void;
  /** Default 10,000. */
  progressEvery?: number;
};

/** What an audit can find wrong; the first finding ends the audit. */
export type AuditMismatchCode =
  /** Leaf indexes are not 0, 1, 2, … (a leaf is missing, repeated or out of order). */
  | 'LEAF_INDEX_GAP'
  /** A leaf's stored parts cannot be read: no event, a malformed event hash ID, hash or disclosure. */
  | 'LEAF_MALFORMED'
  /** The leaf rebuilt from the stored event does not hash to the stored leaf hash. */
  | 'LEAF_HASH_MISMATCH'
  /** The disclosed fields do not reproduce the stored event hash ID. */
  | 'EVENT_HASH_MISMATCH'
  /** The disclosed `eventID` field is not the stored event's eventID. */
  | 'EVENT_ID_MISMATCH'
  /** The stored event document differs from the disclosed fields. */
  | 'DOCUMENT_MISMATCH'
  /** A checkpoint does not open: bad signature, unknown key, malformed, other origin (`reason`). */
  | 'CHECKPOINT_INVALID'
  /** A checkpoint's stored columns (tree size, root hash, body hash) disagree with its note. */
  | 'CHECKPOINT_ROW_MISMATCH'
  /** Checkpoint tree sizes do not strictly increase. */
  | 'CHECKPOINT_ORDER'
  /** A checkpoint signs more leaves than the log holds. */
  | 'CHECKPOINT_BEYOND_LOG'
  /** A checkpoint's root is not the root of the first treeSize recomputed leaf hashes. */
  | 'ROOT_MISMATCH'
  /** A checkpoint does not name the previous one (or the first names one). */
  | 'CHAIN_MISMATCH'
  /** A stored interior node is not the root of its leaves as recomputed (or is not 32 bytes). */
  | 'NODE_MISMATCH'
  /** A complete subtree of a checkpoint's tree is not stored: proofs that need it fail. */
  | 'NODE_MISSING'
  /** A stored node that belongs nowhere: beyond the signed tree, out of order, or no interior node. */
  | 'NODE_UNEXPECTED';

/** Every AuditMismatchCode, in the order the checks run (leaves, checkpoints, then nodes). */
export const AUDIT_MISMATCH_CODES = [
  'LEAF_INDEX_GAP',
  'LEAF_MALFORMED',
  'LEAF_HASH_MISMATCH',
  'EVENT_HASH_MISMATCH',
  'EVENT_ID_MISMATCH',
  'DOCUMENT_MISMATCH',
  'CHECKPOINT_INVALID',
  'CHECKPOINT_ROW_MISMATCH',
  'CHECKPOINT_ORDER',
  'CHECKPOINT_BEYOND_LOG',
  'ROOT_MISMATCH',
  'CHAIN_MISMATCH',
  'NODE_MISMATCH',
  'NODE_MISSING',
  'NODE_UNEXPECTED',
] as const satisfies readonly AuditMismatchCode[];

export type AuditMismatch = {
  code: AuditMismatchCode;
  /** The library error behind it, when a check of @traceroot/trace failed. */
  reason?: TraceErrorCode;
  /** For a leaf finding: the leaf's index and its event's eventID (null when unknown). */
  leafIndex?: number;
  eventId?: string | null;
  /**
   * For a checkpoint finding: its position in the list (0-based) and tree size, when known. For
   * NODE_MISSING and NODE_UNEXPECTED: the tree size of the checkpoint the node is checked against.
   */
  checkpointIndex?: number;
  treeSize?: number;
  /** For a node finding: which stored node (it covers leaves [index·2^level, (index+1)·2^level)). */
  node?: { level: number; index: number };
  /** What was stored and what the auditor recomputed, when the finding compares two values. */
  stored?: string;
  recomputed?: string;
  /** What differed, in a sentence (without the location: see formatAuditMismatch). */
  message: string;
};

export type AuditResult = {
  ok: boolean;
  /** Leaves audited and found correct. */
  leaves: number;
  /** Checkpoints audited and found correct. */
  checkpoints: number;
  /** Leaves whose event hash ID was recomputed from their fields (none withheld). */
  eventHashIdsChecked: number;
  /** Stored interior nodes found equal to the recomputed ones; only when the source has nodes. */
  nodes?: number;
  /** Tree size and root (base64) of the last correct checkpoint; 0 and null before any. */
  treeSize: number;
  rootHash: string | null;
  /** The first finding; absent when ok. */
  mismatch?: AuditMismatch;
};
