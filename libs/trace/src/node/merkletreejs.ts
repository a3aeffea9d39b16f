import { createHash } from 'node:crypto';

import { MerkleTree } from 'merkletreejs';

import type { InclusionProof } from '../merkle/inclusion.js';

// merkletreejs (the design card's Merkle package) configured as RFC 6962, for Node only: it is
// built on Buffer. Configuration (ADR 0004): leaves passed already hashed with the 0x00 prefix;
// hashFn = SHA-256(0x01 ‖ left ‖ right); no sortPairs/sortLeaves (order matters in RFC 6962), no
// duplicateOdd and no fillDefaultHash (RFC 6962 promotes a lone right node unchanged, which is
// what merkletreejs does by default); proofs asked for by leaf index. It rebuilds on every
// append and has no consistency proofs, so the log's own code (src/merkle) does those; this
// adapter is an independent second implementation used to cross-check ours (tests, bench)
// and to prove one-off batches in Node tools.

const NODE_PREFIX = Buffer.of(0x01);
const hashNode = (children: Buffer): Buffer =>
  createHash('sha256').update(NODE_PREFIX).update(children).digest();

export type MerkleTreeJsLog = {
  readonly treeSize: number;
  rootHash(): Uint8Array;
  inclusionProof(leafIndex: number): InclusionProof;
};

/** An RFC 6962 tree over `leafHashes` (each already SHA-256(0x00 ‖ leaf)), via merkletreejs. */
export const buildMerkleTreeJs = (leafHashes: readonly Uint8Array[]): MerkleTreeJsLog => {
  const tree = new MerkleTree(
    leafHashes.map((hash) => Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength)),
    hashNode,
    { hashLeaves: false, sortPairs: false, sortLeaves: false, sort: false, duplicateOdd: false },
  );
  const treeSize = leafHashes.length;
  return {
    treeSize,
    // The empty tree's root is SHA-256(""), which merkletreejs does not define.
    rootHash: () => (treeSize === 0 ? createHash('sha256').digest() : tree.getRoot()),
    inclusionProof: (leafIndex) => ({
      leafIndex,
      treeSize,
      path: tree.getProof(tree.getLeaf(leafIndex), leafIndex).map((step) => step.data),
    }),
  };
};
