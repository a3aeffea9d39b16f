import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { bytesToHex } from '../src/bytes.js';
import type { TraceErrorCode } from '../src/errors.js';
import {
  appendLeaves,
  assertCompactRange,
  EMPTY_RANGE,
  MemoryTree,
  rangeNodeIds,
  rfc6962,
  rootOfLeafHashes,
  rootOfLeaves,
  rootOfRange,
  verifyConsistency,
  verifyInclusion,
} from '../src/merkle/index.js';
import { buildLeaves, referenceConsistency, referencePath, referenceRoot } from './reference.js';
import { codeOf } from './support/trace-error.js';

const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const copy = bytes.slice();
  copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8);
  return copy;
};

const MAX = 70;
const leaves = buildLeaves(MAX);
const leafHashes = leaves.map((leaf) => rfc6962.hashLeaf(leaf));
const tree = new MemoryTree();
tree.appendLeafHashes(leafHashes);
const hex = (list: readonly Uint8Array[]) => list.map(bytesToHex);

describe('Merkle tree against the RFC-literal reference', () => {
  it.each(Array.from({ length: MAX + 1 }, (_, n) => n))(
    'size %i: root, every path, every consistency proof',
    (n) => {
      const prefix = leaves.slice(0, n);
      const root = referenceRoot(prefix);
      expect(bytesToHex(tree.rootHash(n))).toBe(bytesToHex(root));
      expect(bytesToHex(rootOfLeaves(prefix))).toBe(bytesToHex(root));
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        expect(hex(proof.path)).toEqual(hex(referencePath(prefix, m)));
        verifyInclusion(leafHashes[m]!, proof, root);
      }
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(hex(proof.path)).toEqual(hex(referenceConsistency(m, prefix)));
        verifyConsistency(proof, tree.rootHash(m), root);
      }
    },
  );

  it('appends in any batch split to the same range and root (O(k + log n) appends)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 12 }), (batches) => {
        let range = EMPTY_RANGE;
        let start = 0;
        let nodes = 0;
        for (const k of batches) {
          range = appendLeaves(
            range,
            leafHashes.slice(start, start + k),
            rfc6962,
            () => (nodes += 1),
          );
          start += k;
        }
        assertCompactRange(range);
        expect(range.size).toBe(Math.min(start, MAX));
        // Every completed node is reported once: n leaves make 2n − popcount(n) nodes.
        const ones = range.hashes.length;
        expect(nodes).toBe(2 * range.size - ones);
        expect(bytesToHex(rootOfRange(range))).toBe(
          bytesToHex(referenceRoot(leaves.slice(0, range.size))),
        );
      }),
    );
  });

  it('names the stored nodes of the compact range of any size', () => {
    for (let n = 0; n <= MAX; n++) {
      const hashes = rangeNodeIds(n).map(({ level, index }) => tree.readNode(level, index));
      expect(hashes.map(bytesToHex)).toEqual(
        appendLeaves(EMPTY_RANGE, leafHashes.slice(0, n)).hashes.map(bytesToHex),
      );
    }
    expect(codeOf(() => rangeNodeIds(-1))).toBe('MALFORMED_INPUT');
  });

  it('computes the empty root and roots from leaf hashes', () => {
    expect(bytesToHex(rootOfLeafHashes([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(rootOfLeafHashes(leafHashes.slice(0, 5))).toEqual(tree.rootHash(5));
  });
});

describe('any flipped bit fails with a coded reason', () => {
  const position = fc
    .integer({ min: 1, max: MAX })
    .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));

  it('in the leaf hash → ROOT_MISMATCH', () => {
    fc.assert(
      fc.property(position, fc.nat(255), ([n, m], bit) => {
        const run = () =>
          verifyInclusion(
            flipBit(leafHashes[m]!, bit),
            tree.inclusionProof(m, n),
            tree.rootHash(n),
          );
        expect(codeOf(run)).toBe('ROOT_MISMATCH');
      }),
    );
  });

  it('in a path hash → ROOT_MISMATCH', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: MAX }),
        fc.nat(),
        fc.nat(),
        fc.nat(255),
        (n, mSeed, pSeed, bit) => {
          const m = mSeed % n;
          const proof = tree.inclusionProof(m, n);
          const at = pSeed % proof.path.length;
          const path = proof.path.map((hash, i) => (i === at ? flipBit(hash, bit) : hash));
          expect(
            codeOf(() => verifyInclusion(leafHashes[m]!, { ...proof, path }, tree.rootHash(n))),
          ).toBe('ROOT_MISMATCH');
        },
      ),
    );
  });

  it('in the root → ROOT_MISMATCH', () => {
    fc.assert(
      fc.property(position, fc.nat(255), ([n, m], bit) => {
        const run = () =>
          verifyInclusion(
            leafHashes[m]!,
            tree.inclusionProof(m, n),
            flipBit(tree.rootHash(n), bit),
          );
        expect(codeOf(run)).toBe('ROOT_MISMATCH');
      }),
    );
  });

  it('in the leaf index → a coded failure, never success', () => {
    fc.assert(
      fc.property(position, fc.nat(52), ([n, m], bit) => {
        const proof = tree.inclusionProof(m, n);
        const leafIndex = Math.floor(m / 2 ** bit) % 2 === 1 ? m - 2 ** bit : m + 2 ** bit;
        const code = codeOf(() =>
          verifyInclusion(leafHashes[m]!, { ...proof, leafIndex }, tree.rootHash(n)),
        );
        if (leafIndex >= n) expect(code).toBe('INDEX_OUT_OF_RANGE');
        else expect(['PROOF_SIZE_MISMATCH', 'ROOT_MISMATCH']).toContain(code);
      }),
    );
  });

  // An inclusion proof alone does not bind the tree size (leaf 0 of 17 and of 19 have paths of
  // the same shape); the signed checkpoint does, so tree-size flips are tested in verify-bundle.
  it('documents that the path alone does not bind the tree size', () => {
    const proof = tree.inclusionProof(0, 17);
    expect(
      codeOf(() => verifyInclusion(leafHashes[0]!, { ...proof, treeSize: 19 }, tree.rootHash(17))),
    ).toBe('ok');
  });

  it('in a consistency path hash or either root → ROOT_MISMATCH', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: MAX }),
        fc.nat(),
        fc.nat(),
        fc.nat(255),
        fc.nat(2),
        (n, mSeed, pSeed, bit, where) => {
          const m = 1 + (mSeed % (n - 1));
          const proof = tree.consistencyProof(m, n);
          let [root1, root2] = [tree.rootHash(m), tree.rootHash(n)];
          let path = proof.path;
          if (where === 0) {
            path = path.map((h, i) => (i === pSeed % path.length ? flipBit(h, bit) : h));
          }
          if (where === 1) root1 = flipBit(root1, bit);
          if (where === 2) root2 = flipBit(root2, bit);
          expect(codeOf(() => verifyConsistency({ ...proof, path }, root1, root2))).toBe(
            'ROOT_MISMATCH',
          );
        },
      ),
    );
  });
});

describe('malformed input is refused with a code', () => {
  const proof = tree.inclusionProof(3, 10);
  const root = tree.rootHash(10);
  it.each<[string, () => void, TraceErrorCode]>([
    [
      'negative index',
      () => verifyInclusion(leafHashes[3]!, { ...proof, leafIndex: -1 }, root),
      'MALFORMED_INPUT',
    ],
    [
      'fractional size',
      () => verifyInclusion(leafHashes[3]!, { ...proof, treeSize: 10.5 }, root),
      'MALFORMED_INPUT',
    ],
    [
      'index past the end',
      () => verifyInclusion(leafHashes[3]!, { ...proof, leafIndex: 10 }, root),
      'INDEX_OUT_OF_RANGE',
    ],
    ['short leaf hash', () => verifyInclusion(new Uint8Array(31), proof, root), 'MALFORMED_INPUT'],
    [
      'short root',
      () => verifyInclusion(leafHashes[3]!, proof, new Uint8Array(3)),
      'MALFORMED_INPUT',
    ],
    [
      'path not an array',
      () => verifyInclusion(leafHashes[3]!, { ...proof, path: 'x' as never }, root),
      'MALFORMED_INPUT',
    ],
    [
      'extra path hash',
      () => verifyInclusion(leafHashes[3]!, { ...proof, path: [...proof.path, root] }, root),
      'PROOF_SIZE_MISMATCH',
    ],
    [
      'missing path hash',
      () => verifyInclusion(leafHashes[3]!, { ...proof, path: proof.path.slice(1) }, root),
      'PROOF_SIZE_MISMATCH',
    ],
    [
      'consistency from 0',
      () => verifyConsistency({ size1: 0, size2: 4, path: [] }, root, root),
      'MALFORMED_INPUT',
    ],
    [
      'consistency backwards',
      () => verifyConsistency({ size1: 5, size2: 4, path: [] }, root, root),
      'INDEX_OUT_OF_RANGE',
    ],
    [
      'consistency path not an array',
      () => verifyConsistency({ size1: 3, size2: 4, path: null as never }, root, root),
      'MALFORMED_INPUT',
    ],
    [
      'consistency too long',
      () =>
        verifyConsistency(
          { ...tree.consistencyProof(3, 10), path: [...tree.consistencyProof(3, 10).path, root] },
          tree.rootHash(3),
          root,
        ),
      'PROOF_SIZE_MISMATCH',
    ],
    [
      'consistency too short',
      () =>
        verifyConsistency(
          { ...tree.consistencyProof(3, 10), path: tree.consistencyProof(3, 10).path.slice(1) },
          tree.rootHash(3),
          root,
        ),
      'PROOF_SIZE_MISMATCH',
    ],
    [
      'equal sizes, non-empty proof',
      () => verifyConsistency({ size1: 4, size2: 4, path: [root] }, root, root),
      'PROOF_SIZE_MISMATCH',
    ],
    [
      'range of wrong length',
      () => assertCompactRange({ size: 3, hashes: [root] }),
      'PROOF_SIZE_MISMATCH',
    ],
    [
      'range with a short hash',
      () => assertCompactRange({ size: 1, hashes: [new Uint8Array(2)] }),
      'MALFORMED_INPUT',
    ],
    ['tree size beyond the tree', () => tree.rootHash(MAX + 1), 'INDEX_OUT_OF_RANGE'],
    ['node outside the tree', () => tree.readNode(0, MAX + 5), 'INDEX_OUT_OF_RANGE'],
  ])('%s', (_name, run, code) => {
    expect(codeOf(run)).toBe(code);
  });
});
