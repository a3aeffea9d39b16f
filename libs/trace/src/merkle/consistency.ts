import { isArray } from '../is-array.js';
import { bytesEqual } from '../bytes.js';
import { TraceError } from '../errors.js';
import { type MerkleHasher, rfc6962 } from './hasher.js';
import { assertHash } from './inclusion.js';
import { hashRange, type NodeReader } from './node-reader.js';
import { assertCount, half, isOdd, splitPoint } from './tree-math.js';

export type ConsistencyProof = {
  size1: number;
  size2: number;
  /** RFC 9162 §2.1.4.1's PROOF(m, D[n]), in the RFC's order. */
  path: readonly Uint8Array[];
};

/**
 * The consistency proof between the trees of `size1` and `size2` leaves (RFC 9162 §2.1.4.1
 * SUBPROOF), built from stored nodes. Precondition: 1 ≤ size1 ≤ size2. The proof is empty when
 * size1 equals size2.
 */
export const buildConsistencyProof = (
  size1: number,
  size2: number,
  readNode: NodeReader,
  hasher: MerkleHasher = rfc6962,
): ConsistencyProof => {
  assertSizes(size1, size2);
  const path: Uint8Array[] = [];
  if (size1 === size2) return { size1, size2, path };
  let m = size1;
  let begin = 0;
  let end = size2;
  let complete = true; // SUBPROOF's b: is [begin, begin + m) the whole old tree so far?
  while (m !== end - begin) {
    const k = splitPoint(end - begin);
    if (m <= k) {
      path.push(hashRange(begin + k, end, readNode, hasher));
      end = begin + k;
    } else {
      path.push(hashRange(begin, begin + k, readNode, hasher));
      begin += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) path.push(hashRange(begin, end, readNode, hasher));
  return { size1, size2, path: path.reverse() };
};

/**
 * Checks that the tree of `proof.size1` leaves with root `root1` is a prefix of the tree of
 * `proof.size2` leaves with root `root2` (RFC 9162 §2.1.4.2). Throws TraceError:
 * MALFORMED_INPUT when size1 is 0, INDEX_OUT_OF_RANGE when size1 > size2, PROOF_SIZE_MISMATCH when the path does not fit the
 * sizes, ROOT_MISMATCH when either root differs. All inputs are attacker-controlled.
 */
export const verifyConsistency = (
  proof: ConsistencyProof,
  root1: Uint8Array,
  root2: Uint8Array,
  hasher: MerkleHasher = rfc6962,
): void => {
  const { size1, size2, path } = proof;
  assertSizes(size1, size2);
  if (!isArray(path)) throw new TraceError('MALFORMED_INPUT', 'consistency path must be an array');
  if (size1 === size2) {
    // Nothing links two trees of one size but equality of their roots (transparency-dev's rule:
    // the roots are compared as given, whatever their length).
    if (path.length !== 0) {
      throw new TraceError('PROOF_SIZE_MISMATCH', 'this consistency proof must be empty');
    }
    if (!bytesEqual(root1, root2)) {
      throw new TraceError('ROOT_MISMATCH', 'trees of equal size have different roots');
    }
    return;
  }
  assertHash(root1, 'first root hash');
  assertHash(root2, 'second root hash');
  path.forEach((hash) => assertHash(hash, 'consistency path hash'));
  if (path.length === 0) throw new TraceError('PROOF_SIZE_MISMATCH', 'consistency path is empty');

  // RFC 9162 §2.1.4.2 steps 2–7.
  const hashes = isPowerOfTwo(size1) ? [root1, ...path] : [...path];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = hashes[0]!;
  let sr = hashes[0]!;
  for (const c of hashes.slice(1)) {
    if (sn === 0) throw new TraceError('PROOF_SIZE_MISMATCH', 'consistency path is too long');
    if (isOdd(fn) || fn === sn) {
      fr = hasher.hashChildren(c, fr);
      sr = hasher.hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hasher.hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new TraceError('PROOF_SIZE_MISMATCH', 'consistency path is too short');
  if (!bytesEqual(fr, root1)) {
    throw new TraceError('ROOT_MISMATCH', 'proof does not lead to the first root');
  }
  if (!bytesEqual(sr, root2)) {
    throw new TraceError('ROOT_MISMATCH', 'proof does not lead to the second root');
  }
};

const isPowerOfTwo = (n: number): boolean => {
  let m = n;
  while (m > 1 && !isOdd(m)) m = half(m);
  return m === 1;
};

const assertSizes = (size1: number, size2: number): void => {
  // An empty first tree proves nothing (every tree extends it), so a claim about it is refused
  // rather than trivially accepted: transparency-dev's "consistency check on empty tree is useless".
  assertCount(size1, 'first tree size', 1);
  assertCount(size2, 'second tree size');
  if (size1 > size2) {
    throw new TraceError(
      'INDEX_OUT_OF_RANGE',
      `tree size ${size1} cannot precede tree size ${size2}`,
    );
  }
};
