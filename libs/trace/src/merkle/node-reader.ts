import type { MerkleHasher } from './hasher.js';

/**
 * Reads a stored node: the root of the perfect subtree at `level` covering leaves
 * [index·2^level, (index+1)·2^level). Level 0 nodes are leaf hashes. Only nodes of complete
 * subtrees are ever requested, so a log that stores each node once when its subtree fills
 * (see CompactRange's `onNode`) can serve every proof for every past tree size.
 */
export type NodeReader = (level: number, index: number) => Uint8Array;

/**
 * The RFC 6962 root of leaves [begin, end), for the ranges the RFC's recursion produces
 * (`begin` a multiple of a power of two ≥ end − begin). The range splits into perfect subtrees of
 * decreasing size, which are folded right to left, exactly as MTH splits at the largest power of
 * two below the range size (RFC 9162 §2.1.1).
 */
export const hashRange = (
  begin: number,
  end: number,
  readNode: NodeReader,
  hasher: MerkleHasher,
): Uint8Array => {
  const parts: Uint8Array[] = [];
  let position = begin;
  while (position < end) {
    let size = 1;
    let level = 0;
    while (position % (size * 2) === 0 && position + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    parts.push(readNode(level, position / size));
    position += size;
  }
  let hash = parts.pop()!;
  while (parts.length > 0) hash = hasher.hashChildren(parts.pop()!, hash);
  return hash;
};
