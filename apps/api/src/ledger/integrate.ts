import {
  appendLeaves,
  checkpointBodyHash,
  type CompactRange,
  formatPrevExtension,
  type MerkleHasher,
  type NoteSigner,
  rootOfRange,
  signCheckpoint,
} from '@traceroot/trace';

/** What the sealer knows of the log before a seal: the last checkpoint and its compact range. */
export type LogHead = {
  range: CompactRange;
  /** SHA-256 of the last checkpoint's body (the note text), or null before the first one. */
  lastBodyHash: Uint8Array | null;
};

export type StoredNode = { level: number; index: number; hash: Uint8Array };

export type Integration = {
  /** Every node completed by the new leaves, to store (level 0 = the leaf hashes themselves). */
  nodes: StoredNode[];
  range: CompactRange;
  checkpoint: { treeSize: number; rootHash: Uint8Array; note: string; bodyHash: Uint8Array };
};

/**
 * Folds newly sequenced leaf hashes into the log and signs the checkpoint of the new tree
 * (ADR 0006, "integrate"). Pure: the caller reads `head` and the leaves and writes the result in
 * one transaction. Costs O(k + log n) hashes for k leaves. The checkpoint names the previous one
 * through the `traceroot.dev/prev` extension (docs/specs/checkpoint-format.md).
 */
export const integrate = (
  head: LogHead,
  leafHashes: readonly Uint8Array[],
  origin: string,
  signer: NoteSigner,
  hasher: MerkleHasher,
  /** Further extension lines the checkpoint carries (the rule set in force). */
  extra: readonly string[] = [],
): Integration => {
  const nodes: StoredNode[] = [];
  // Level-0 nodes (the leaf hashes) live in log_leaves already; store only interior nodes.
  const range = appendLeaves(head.range, leafHashes, hasher, (level, index, hash) => {
    if (level > 0) nodes.push({ level, index, hash });
  });
  const rootHash = rootOfRange(range, hasher);
  const extensions = [
    ...(head.lastBodyHash ? [formatPrevExtension(head.lastBodyHash)] : []),
    ...extra,
  ];
  const body = { origin, treeSize: range.size, rootHash, extensions };
  const note = signCheckpoint(body, signer);
  const bodyHash = checkpointBodyHash(body);
  return { nodes, range, checkpoint: { treeSize: range.size, rootHash, note, bodyHash } };
};
