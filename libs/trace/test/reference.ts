import { rfc6962 } from '../src/merkle/hasher.js';

// A literal transcription of the RFC 6962 §2.1 / RFC 9162 §2.1 recursive definitions (MTH, PATH,
// SUBPROOF). Slow and obviously right; used only to cross-check the real implementation.

const largestPowerOfTwoBelow = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

export const referenceRoot = (leaves: readonly Uint8Array[]): Uint8Array => {
  if (leaves.length === 0) return rfc6962.emptyRoot();
  if (leaves.length === 1) return rfc6962.hashLeaf(leaves[0]!);
  const k = largestPowerOfTwoBelow(leaves.length);
  return rfc6962.hashChildren(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
};

export const referencePath = (leaves: readonly Uint8Array[], m: number): Uint8Array[] => {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...referencePath(leaves.slice(0, k), m), referenceRoot(leaves.slice(k))]
    : [...referencePath(leaves.slice(k), m - k), referenceRoot(leaves.slice(0, k))];
};

const subproof = (m: number, leaves: readonly Uint8Array[], b: boolean): Uint8Array[] => {
  const n = leaves.length;
  if (m === n) return b ? [] : [referenceRoot(leaves)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), b), referenceRoot(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), referenceRoot(leaves.slice(0, k))];
};

export const referenceConsistency = (m: number, leaves: readonly Uint8Array[]): Uint8Array[] =>
  m === 0 ? [] : subproof(m, leaves, true);

/** Leaf i of the test trees: its index as 4 big-endian bytes (distinct, reproducible). */
export const buildLeaves = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) =>
    Uint8Array.of(i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255),
  );
