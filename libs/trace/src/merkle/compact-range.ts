import { isArray } from '../is-array.js';
import { TraceError } from '../errors.js';
import { HASH_SIZE, type MerkleHasher, rfc6962 } from './hasher.js';
import { assertCount, half, isOdd } from './tree-math.js';

/**
 * The compact range [0, size) of an append-only log: the roots of the perfect subtrees that the
 * binary representation of `size` decomposes the tree into, largest (leftmost) first. It is all
 * the state a log needs to append and to compute its root: at most ⌈log2 size⌉ + 1 hashes.
 * (transparency-dev/merkle `compact.Range`; RFC 9162 §2.1.1's MTH folded right to left.)
 */
export type CompactRange = {
  readonly size: number;
  readonly hashes: readonly Uint8Array[];
};

/** Called for every node completed by an append (level 0 = the leaf hash itself). */
export type NodeSink = (level: number, index: number, hash: Uint8Array) => void;

export const EMPTY_RANGE: CompactRange = { size: 0, hashes: [] };

/** Number of 1 bits of n (the length of a valid compact range of size n). */
const popCount = (n: number): number => {
  let count = 0;
  for (let m = n; m > 0; m = half(m)) if (isOdd(m)) count += 1;
  return count;
};

/**
 * Validates a stored or transmitted compact range (hashes are attacker-controlled when a range
 * arrives from elsewhere): the number of hashes must match the size's binary form.
 */
export const assertCompactRange = (range: CompactRange): void => {
  assertCount(range.size, 'range size');
  if (!isArray(range.hashes) || range.hashes.length !== popCount(range.size)) {
    throw new TraceError(
      'PROOF_SIZE_MISMATCH',
      `a range of ${range.size} leaves has ${popCount(range.size)} hashes`,
    );
  }
  for (const hash of range.hashes) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      throw new TraceError('MALFORMED_INPUT', `range hashes must be ${HASH_SIZE} bytes`);
    }
  }
};

/**
 * Appends leaf hashes to a compact range and returns the new range (the input is not changed).
 * Costs O(k + log n) hash operations for k leaves: each completed node is hashed exactly once and
 * reported to `onNode`, so a log can store it and later serve proofs for any tree size.
 */
export const appendLeaves = (
  range: CompactRange,
  leafHashes: Iterable<Uint8Array>,
  hasher: MerkleHasher = rfc6962,
  onNode?: NodeSink,
): CompactRange => {
  const hashes = [...range.hashes];
  let size = range.size;
  for (const leafHash of leafHashes) {
    let hash = leafHash;
    let index = size;
    let level = 0;
    onNode?.(0, index, hash);
    // Each trailing 1 bit of `size` is a perfect subtree that the new leaf completes a sibling of.
    while (isOdd(index)) {
      hash = hasher.hashChildren(hashes.pop()!, hash);
      index = half(index);
      level += 1;
      onNode?.(level, index, hash);
    }
    hashes.push(hash);
    size += 1;
  }
  return { size, hashes };
};

/**
 * The stored nodes that make up the compact range of a tree of `size` leaves, largest first: one
 * perfect subtree per 1 bit of `size`. A log that stores every completed node (see `onNode`)
 * rebuilds its range for any size from exactly these nodes.
 */
export const rangeNodeIds = (size: number): { level: number; index: number }[] => {
  assertCount(size, 'range size');
  const ids: { level: number; index: number }[] = [];
  let level = 0;
  while (2 ** (level + 1) <= size) level += 1;
  let start = 0;
  for (; level >= 0; level--) {
    const width = 2 ** level;
    if (start + width <= size) {
      ids.push({ level, index: start / width });
      start += width;
    }
  }
  return ids;
};

/** The RFC 6962 root hash of the tree [0, range.size). The empty tree's root is SHA-256(""). */
export const rootOfRange = (range: CompactRange, hasher: MerkleHasher = rfc6962): Uint8Array => {
  const { hashes } = range;
  if (hashes.length === 0) return hasher.emptyRoot();
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = hasher.hashChildren(hashes[i]!, root);
  return root;
};

/** The root hash of the given leaf hashes, in O(n) time and O(log n) memory. */
export const rootOfLeafHashes = (
  leafHashes: Iterable<Uint8Array>,
  hasher: MerkleHasher = rfc6962,
): Uint8Array => rootOfRange(appendLeaves(EMPTY_RANGE, leafHashes, hasher), hasher);

/** The root hash of the given leaves' data (each hashed with the RFC 6962 leaf prefix). */
export const rootOfLeaves = (
  leaves: readonly Uint8Array[],
  hasher: MerkleHasher = rfc6962,
): Uint8Array => {
  const leafHashes = function* () {
    for (const leaf of leaves) yield hasher.hashLeaf(leaf);
  };
  return rootOfLeafHashes(leafHashes(), hasher);
};
