import { TraceError } from '../errors.js';
import { type CompactRange, appendLeaves, EMPTY_RANGE, rootOfRange } from './compact-range.js';
import { buildConsistencyProof, type ConsistencyProof } from './consistency.js';
import { type MerkleHasher, rfc6962 } from './hasher.js';
import { buildInclusionProof, type InclusionProof } from './inclusion.js';
import { hashRange, type NodeReader } from './node-reader.js';
import { assertCount } from './tree-math.js';

/**
 * An append-only RFC 6962 tree held in memory: every complete node stored once (about 2n
 * hashes), so roots and proofs for any past tree size come from stored nodes. It is the
 * reference for the service's database-backed store (which keeps the same nodes in rows) and
 * serves tests, the CLI and benchmarks.
 */
export class MemoryTree {
  private readonly levels: Uint8Array[][] = [];
  private range: CompactRange = EMPTY_RANGE;

  constructor(private readonly hasher: MerkleHasher = rfc6962) {}

  get size(): number {
    return this.range.size;
  }

  /** Appends leaf hashes (already RFC 6962 leaf-hashed); O(k + log n). */
  appendLeafHashes(leafHashes: Iterable<Uint8Array>): void {
    this.range = appendLeaves(this.range, leafHashes, this.hasher, (level, index, hash) => {
      (this.levels[level] ??= [])[index] = hash;
    });
  }

  /** Appends leaf data, hashing each with the leaf prefix. */
  appendLeaves(leaves: Iterable<Uint8Array>): void {
    const { hasher } = this;
    this.appendLeafHashes(
      (function* () {
        for (const leaf of leaves) yield hasher.hashLeaf(leaf);
      })(),
    );
  }

  readonly readNode: NodeReader = (level, index) => {
    const hash = this.levels[level]?.[index];
    if (!hash) {
      throw new TraceError(
        'INDEX_OUT_OF_RANGE',
        `no node ${level}/${index} in a tree of ${this.size}`,
      );
    }
    return hash;
  };

  /** The root of the current tree, or of the tree at an earlier size. */
  rootHash(treeSize: number = this.size): Uint8Array {
    this.assertSize(treeSize);
    if (treeSize === this.size) return rootOfRange(this.range, this.hasher);
    return treeSize === 0
      ? this.hasher.emptyRoot()
      : hashRange(0, treeSize, this.readNode, this.hasher);
  }

  inclusionProof(leafIndex: number, treeSize: number = this.size): InclusionProof {
    this.assertSize(treeSize);
    return buildInclusionProof(leafIndex, treeSize, this.readNode, this.hasher);
  }

  consistencyProof(size1: number, size2: number = this.size): ConsistencyProof {
    this.assertSize(size2);
    return buildConsistencyProof(size1, size2, this.readNode, this.hasher);
  }

  private assertSize(treeSize: number): void {
    assertCount(treeSize, 'tree size');
    if (treeSize > this.size) {
      throw new TraceError(
        'INDEX_OUT_OF_RANGE',
        `tree size ${treeSize} exceeds the ${this.size} leaves held`,
      );
    }
  }
}
