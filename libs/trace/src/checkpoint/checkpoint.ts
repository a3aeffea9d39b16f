import { base64ToBytes, bytesToBase64 } from '../bytes.js';
import { TraceError, type TraceErrorCode } from '../errors.js';
import type { NoteVerifier } from './note-key.js';
import { describeAt, indexOfForbidden } from './note-text.js';
import { readPrevExtension } from './prev-extension.js';
import { openNoteWith } from './signed-note.js';

// C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) §Note text: origin, tree size, root hash, then
// optional extension lines, each line ending in "\n". Parsing is strict so that every checkpoint
// has exactly one text form: formatCheckpoint(parseCheckpoint(text)) === text.

/** A checkpoint body (the note text of a signed checkpoint), parsed. */
export type Checkpoint = {
  /** Line 1: the log's identity, e.g. `trace.example.com/log`. Non-empty. */
  readonly origin: string;
  /** Line 2: number of leaves. A safe integer: ≤ 2^53 − 1 (see parseCheckpoint). */
  readonly treeSize: number;
  /** Line 3: the RFC 6962 root hash of the first `treeSize` leaves, 32 bytes. */
  readonly rootHash: Uint8Array;
  /** Lines 4…: opaque, non-empty extension lines (without their "\n"). */
  readonly extensions: readonly string[];
};

export type OpenedCheckpoint = {
  readonly checkpoint: Checkpoint;
  /** The signed note text, i.e. the checkpoint body, as checkpointBodyHash wants it. */
  readonly text: string;
  /** Names of the trusted keys whose signature verified. */
  readonly verifiedBy: readonly string[];
};

const ROOT_HASH_SIZE = 32;
/** Decimal, no sign, no leading zero unless the tree is empty (tlog-checkpoint §Note text 2). */
const TREE_SIZE = /^(?:0|[1-9][0-9]*)$/;
/** Digits of 2^53 − 1: a longer size cannot be safe, and stops huge numerals early. */
const MAX_TREE_SIZE_DIGITS = String(Number.MAX_SAFE_INTEGER).length;

/** Why `line` cannot be a checkpoint line, or null. Lines must be non-empty and note-safe. */
const findLineProblem = (line: string): string | null => {
  if (typeof line !== 'string') return 'not a string';
  if (line === '') return 'empty';
  if (line.includes('\n')) return 'holds a newline';
  const at = indexOfForbidden(line);
  return at >= 0 ? `holds ${describeAt(line, at)}` : null;
};

const checkExtensions = (extensions: readonly string[], code: TraceErrorCode): void => {
  extensions.forEach((line, i) => {
    const problem = findLineProblem(line);
    if (problem !== null) {
      throw new TraceError(code, `checkpoint line ${i + 4} (extension): ${problem}`);
    }
  });
  readPrevExtension(extensions, code);
};

/**
 * The checkpoint body text (tlog-checkpoint §Note text). Preconditions, else MALFORMED_INPUT:
 * origin and extension lines non-empty without "\n" or other control characters; treeSize a
 * safe integer ≥ 0; rootHash 32 bytes; at most one well-formed chain line.
 */
export const formatCheckpoint = (checkpoint: Checkpoint): string => {
  const { origin, treeSize, rootHash, extensions } = checkpoint;
  const problem = findLineProblem(origin);
  if (problem !== null) throw new TraceError('MALFORMED_INPUT', `checkpoint origin: ${problem}`);
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) {
    throw new TraceError('MALFORMED_INPUT', 'checkpoint treeSize must be a safe integer ≥ 0');
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== ROOT_HASH_SIZE) {
    throw new TraceError('MALFORMED_INPUT', `checkpoint rootHash must be ${ROOT_HASH_SIZE} bytes`);
  }
  checkExtensions(extensions, 'MALFORMED_INPUT');
  const tail = extensions.map((line) => `${line}\n`).join('');
  return `${origin}\n${treeSize}\n${bytesToBase64(rootHash)}\n${tail}`;
};

const malformed = (message: string): TraceError =>
  new TraceError('CHECKPOINT_MALFORMED', `checkpoint ${message}`);

const parseTreeSize = (line: string): number => {
  if (line.length > MAX_TREE_SIZE_DIGITS || !TREE_SIZE.test(line)) {
    const why = TREE_SIZE.test(line)
      ? 'exceeds 2^53 − 1'
      : 'is not a decimal without leading zeros';
    throw malformed(`line 2 (tree size) ${why}`);
  }
  const treeSize = Number(line);
  // Go reads sizes up to 2^64 − 1; a JavaScript number is exact only to 2^53 − 1, and a log of
  // 9·10^15 leaves is far beyond any we serve, so larger sizes are refused, never rounded.
  if (!Number.isSafeInteger(treeSize)) throw malformed('line 2 (tree size) exceeds 2^53 − 1');
  return treeSize;
};

const parseRootHash = (line: string): Uint8Array => {
  let rootHash: Uint8Array;
  try {
    rootHash = base64ToBytes(line);
  } catch (cause) {
    throw new TraceError('CHECKPOINT_MALFORMED', 'checkpoint line 3 (root hash) is not base64', {
      cause,
    });
  }
  if (rootHash.length !== ROOT_HASH_SIZE) {
    throw malformed(`line 3 (root hash) must be ${ROOT_HASH_SIZE} bytes, not ${rootHash.length}`);
  }
  return rootHash;
};

/**
 * Parses a checkpoint body (tlog-checkpoint §Note text) strictly: at least three lines, each
 * ending in "\n"; non-empty origin; tree size in decimal without sign or leading zero and at most
 * 2^53 − 1; root hash canonical base64 of 32 bytes; non-empty extension lines; no control
 * character but "\n"; at most one well-formed chain line. `text` is attacker-controlled. Throws
 * CHECKPOINT_MALFORMED naming the line. Does not verify anything: use openCheckpoint on notes.
 */
export const parseCheckpoint = (text: string): Checkpoint => {
  if (typeof text !== 'string') throw malformed('text is not a string');
  const at = indexOfForbidden(text);
  if (at >= 0) throw malformed(`text holds a forbidden character ${describeAt(text, at)}`);
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) {
    throw malformed(`has ${lines.length} lines, needs origin, tree size and root hash`);
  }
  const [origin = '', size = '', root = '', ...extensions] = lines;
  if (origin === '') throw malformed('line 1 (origin) is empty');
  const treeSize = parseTreeSize(size);
  const rootHash = parseRootHash(root);
  checkExtensions(extensions, 'CHECKPOINT_MALFORMED');
  return { origin, treeSize, rootHash, extensions };
};

/** openCheckpoint with parsed keys only (see openNoteWith): what a browser bundle uses. */
export const openCheckpointWith = (
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  options: { origin?: string } = {},
): OpenedCheckpoint => openedCheckpoint(openNoteWith(note, verifiers), options.origin);

export const openedCheckpoint = (
  { text, verifiedBy }: { text: string; verifiedBy: readonly string[] },
  origin: string | undefined,
): OpenedCheckpoint => {
  const checkpoint = parseCheckpoint(text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new TraceError(
      'ORIGIN_MISMATCH',
      `checkpoint origin "${checkpoint.origin}" is not the trusted origin "${origin}"`,
    );
  }
  return { checkpoint, text, verifiedBy };
};
