import { bytesEqual, bytesToBase64, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { readPrevExtension } from './prev-extension.js';

// The checkpoint chain (docs/specs/checkpoint-format.md §"The chain line"): every checkpoint
// after a log's first names its predecessor by the SHA-256 of the predecessor's body (its note
// text), not of the signed note, so cosignatures added later do not break the chain.

/**
 * SHA-256 of a checkpoint body: the UTF-8 bytes of the note text, final newline included.
 * A string must be a valid body (else CHECKPOINT_MALFORMED: e.g. a whole signed note was passed);
 * a Checkpoint is formatted first, which gives the same bytes because parsing is canonical.
 */
export const checkpointBodyHash = (
  checkpointOrBody: Checkpoint | string,
  sha: Sha256 = sha256,
): Uint8Array => {
  let body: string;
  if (typeof checkpointOrBody === 'string') {
    parseCheckpoint(checkpointOrBody);
    body = checkpointOrBody;
  } else {
    body = formatCheckpoint(checkpointOrBody);
  }
  return sha(utf8ToBytes(body));
};

/**
 * The body hash `checkpoint` names as its predecessor, or null when it has no chain line (a
 * log's first checkpoint). Throws CHECKPOINT_MALFORMED for a malformed or repeated chain line.
 */
export const previousCheckpointHash = (checkpoint: Checkpoint): Uint8Array | null =>
  readPrevExtension(checkpoint.extensions, 'CHECKPOINT_MALFORMED');

/**
 * Checks that `next` directly follows `previous` in one log's chain of checkpoints: same origin
 * (else ORIGIN_MISMATCH); `next` names the body hash of `previous`, its tree is not smaller, and
 * an equal size comes with an equal root (RFC 9162 §2.1.4.2: equal sizes have an empty
 * consistency proof), else CHAIN_MISMATCH. The consistency proof between different sizes is
 * verified elsewhere (verifyConsistency); this only links the two signed statements.
 */
export const verifyCheckpointChain = (
  previous: Checkpoint,
  next: Checkpoint,
  sha: Sha256 = sha256,
): void => {
  if (previous.origin !== next.origin) {
    throw new TraceError(
      'ORIGIN_MISMATCH',
      `checkpoint chain: origin "${next.origin}" follows origin "${previous.origin}"`,
    );
  }
  const named = previousCheckpointHash(next);
  if (named === null) {
    throw new TraceError(
      'CHAIN_MISMATCH',
      `checkpoint at size ${next.treeSize} names no previous checkpoint`,
    );
  }
  const expected = checkpointBodyHash(previous, sha);
  if (!bytesEqual(named, expected)) {
    throw new TraceError(
      'CHAIN_MISMATCH',
      `checkpoint at size ${next.treeSize} names ${bytesToBase64(named)}, not the checkpoint at ` +
        `size ${previous.treeSize} (${bytesToBase64(expected)})`,
    );
  }
  if (next.treeSize < previous.treeSize) {
    throw new TraceError(
      'CHAIN_MISMATCH',
      `checkpoint chain: tree size shrinks from ${previous.treeSize} to ${next.treeSize}`,
    );
  }
  if (next.treeSize === previous.treeSize && !bytesEqual(next.rootHash, previous.rootHash)) {
    throw new TraceError(
      'CHAIN_MISMATCH',
      `checkpoint chain: two different root hashes for tree size ${next.treeSize}`,
    );
  }
};
