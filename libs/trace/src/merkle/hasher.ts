import { type Sha256, sha256 } from '../hash.js';

export const HASH_SIZE = 32;

// RFC 6962 §2.1 / RFC 9162 §2.1.1: the one-byte prefixes keep a leaf from ever hashing like
// an interior node (second-preimage resistance of the tree).
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** The three RFC 6962 hash functions, over one SHA-256 implementation. */
export type MerkleHasher = {
  /** SHA-256(0x00 ‖ leaf): the hash of a leaf's data. */
  hashLeaf(leaf: Uint8Array): Uint8Array;
  /** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node. */
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
  /** SHA-256 of the empty string: the root of the empty tree. */
  emptyRoot(): Uint8Array;
};

/**
 * Builds the RFC 6962 hasher over `sha` (default: @noble/hashes). Leaves and interior nodes are
 * hashed from reused buffers, so a tree costs one allocation per hash (the digest). `sha` must be
 * synchronous and must not keep a reference to its input (both defaults qualify).
 */
export const createMerkleHasher = (sha: Sha256 = sha256): MerkleHasher => {
  const node = new Uint8Array(1 + 2 * HASH_SIZE);
  node[0] = NODE_PREFIX;
  // Leaves are hashed from a reused buffer too (grown on demand): no allocation per leaf.
  let leafBuffer = new Uint8Array(256);
  return {
    hashLeaf(leaf) {
      if (leafBuffer.length < 1 + leaf.length) leafBuffer = new Uint8Array(2 * (1 + leaf.length));
      leafBuffer[0] = LEAF_PREFIX;
      leafBuffer.set(leaf, 1);
      return sha(leafBuffer.subarray(0, 1 + leaf.length));
    },
    hashChildren(left, right) {
      if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
        node.set(left, 1);
        node.set(right, 1 + HASH_SIZE);
        return sha(node);
      }
      // Only golden tests hash children of other sizes; keep them correct, not fast.
      const buf = new Uint8Array(1 + left.length + right.length);
      buf[0] = NODE_PREFIX;
      buf.set(left, 1);
      buf.set(right, 1 + left.length);
      return sha(buf);
    },
    emptyRoot() {
      return sha(new Uint8Array(0));
    },
  };
};

/** The RFC 6962 hasher over the portable SHA-256. */
export const rfc6962 = createMerkleHasher();
