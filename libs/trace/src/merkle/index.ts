export { createMerkleHasher, HASH_SIZE, type MerkleHasher, rfc6962 } from './hasher.js';
export {
  appendLeaves,
  assertCompactRange,
  type CompactRange,
  EMPTY_RANGE,
  type NodeSink,
  rangeNodeIds,
  rootOfLeafHashes,
  rootOfLeaves,
  rootOfRange,
} from './compact-range.js';
export { hashRange, type NodeReader } from './node-reader.js';
export {
  buildInclusionProof,
  type InclusionProof,
  rootFromInclusionProof,
  verifyInclusion,
} from './inclusion.js';
export { buildConsistencyProof, type ConsistencyProof, verifyConsistency } from './consistency.js';
export { MemoryTree } from './memory-tree.js';
