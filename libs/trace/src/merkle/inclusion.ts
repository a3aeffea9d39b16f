import { isArray } from '../is-array.js';
import { bytesEqual } from '../bytes.js';
import { TraceError } from '../errors.js';
import { HASH_SIZE, type MerkleHasher, rfc6962 } from './hasher.js';
import { hashRange, type NodeReader } from './node-reader.js';
import { assertCount, half, isOdd, splitPoint } from './tree-math.js';

export type InclusionProof = {
  leafIndex: number;
  treeSize: number;
  /** Sibling hashes, bottom-up (RFC 9162 §2.1.3.1's PATH order). */
  path: readonly Uint8Array[];
};

/**
 * The inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves (RFC 9162 §2.1.3.1
 * PATH(m, D[n])), built from stored nodes. Precondition: 0 ≤ leafIndex < treeSize and
 * `readNode` serves every complete subtree of [0, treeSize).
 */
export const buildInclusionProof = (
  leafIndex: number,
  treeSize: number,
  readNode: NodeReader,
  hasher: MerkleHasher = rfc6962,
): InclusionProof => {
  assertPosition(leafIndex, treeSize);
  const path: Uint8Array[] = [];
  let begin = 0;
  let end = treeSize;
  // Walk down from the root; each step's sibling is the other half's MTH. Collected top-down,
  // returned bottom-up.
  while (end - begin > 1) {
    const k = splitPoint(end - begin);
    if (leafIndex < begin + k) {
      path.push(hashRange(begin + k, end, readNode, hasher));
      end = begin + k;
    } else {
      path.push(hashRange(begin, begin + k, readNode, hasher));
      begin += k;
    }
  }
  return { leafIndex, treeSize, path: path.reverse() };
};

/**
 * The root hash that `leafHash` and `proof` imply (RFC 9162 §2.1.3.2). Throws TraceError:
 * MALFORMED_INPUT or INDEX_OUT_OF_RANGE for a bad position, PROOF_SIZE_MISMATCH when the path
 * does not fit the tree's shape. Every field arrives from the network, so shape comes first.
 */
export const rootFromInclusionProof = (
  leafHash: Uint8Array,
  proof: InclusionProof,
  hasher: MerkleHasher = rfc6962,
): Uint8Array => {
  const { leafIndex, treeSize, path } = proof;
  assertPosition(leafIndex, treeSize);
  assertHash(leafHash, 'leaf hash');
  if (!isArray(path)) throw new TraceError('MALFORMED_INPUT', 'inclusion path must be an array');

  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const sibling of path) {
    if (sn === 0) {
      throw new TraceError('PROOF_SIZE_MISMATCH', 'inclusion path is longer than the tree is deep');
    }
    assertHash(sibling, 'inclusion path hash');
    if (isOdd(fn) || fn === sn) {
      r = hasher.hashChildren(sibling, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hasher.hashChildren(r, sibling);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) {
    throw new TraceError('PROOF_SIZE_MISMATCH', 'inclusion path is shorter than the tree is deep');
  }
  return r;
};

/**
 * Checks that `leafHash` is leaf `proof.leafIndex` of the tree whose root is `rootHash`
 * (RFC 9162 §2.1.3.2); throws TraceError (ROOT_MISMATCH when the path leads elsewhere).
 */
export const verifyInclusion = (
  leafHash: Uint8Array,
  proof: InclusionProof,
  rootHash: Uint8Array,
  hasher: MerkleHasher = rfc6962,
): void => {
  assertHash(rootHash, 'root hash');
  const computed = rootFromInclusionProof(leafHash, proof, hasher);
  if (!bytesEqual(computed, rootHash)) {
    throw new TraceError('ROOT_MISMATCH', 'inclusion proof does not lead to the expected root');
  }
};

const assertPosition = (leafIndex: number, treeSize: number): void => {
  assertCount(leafIndex, 'leaf index');
  assertCount(treeSize, 'tree size');
  if (leafIndex >= treeSize) {
    throw new TraceError(
      'INDEX_OUT_OF_RANGE',
      `leaf ${leafIndex} is outside a tree of ${treeSize}`,
    );
  }
};

export const assertHash = (hash: unknown, what: string): void => {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new TraceError('MALFORMED_INPUT', `${what} must be ${HASH_SIZE} bytes`);
  }
};
