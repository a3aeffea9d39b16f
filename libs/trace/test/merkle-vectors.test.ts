import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { base64ToBytes, bytesToHex, hexToBytes } from '../src/bytes.js';
import { rfc6962 } from '../src/merkle/hasher.js';
import { verifyConsistency } from '../src/merkle/consistency.js';
import { verifyInclusion } from '../src/merkle/inclusion.js';
import { MemoryTree } from '../src/merkle/memory-tree.js';

// Vectors copied from the public conformance set; provenance in vectors/README.md.
const TLOG = new URL('./vectors/tlog/', import.meta.url);

type Rfc6962Reference = {
  leaves_hex: string[];
  roots: string[];
  inclusion: { leaf_index: number; tree_size: number; proof: string[] }[];
  consistency: { size1: number; size2: number; proof: string[] }[];
  leaf_hash_vectors: { data_hex: string; hash: string }[];
  node_hash_vectors: { left_hex: string; right_hex: string; hash: string }[];
};

const reference = JSON.parse(
  readFileSync(new URL('rfc6962-reference.json', TLOG), 'utf8'),
) as Rfc6962Reference;

describe('RFC 6962 reference vectors', () => {
  const tree = new MemoryTree();
  tree.appendLeaves(reference.leaves_hex.map(hexToBytes));

  it.each(reference.leaf_hash_vectors)('leaf hash of "$data_hex"', ({ data_hex, hash }) => {
    expect(bytesToHex(rfc6962.hashLeaf(hexToBytes(data_hex)))).toBe(hash);
  });

  it.each(reference.node_hash_vectors)('node hash $hash', ({ left_hex, right_hex, hash }) => {
    expect(bytesToHex(rfc6962.hashChildren(hexToBytes(left_hex), hexToBytes(right_hex)))).toBe(
      hash,
    );
  });

  it.each(reference.roots.map((root, size) => ({ size, root })))(
    'root of $size leaves',
    ({ size, root }) => {
      expect(bytesToHex(tree.rootHash(size))).toBe(root);
    },
  );

  it.each(reference.inclusion)('inclusion of leaf $leaf_index in $tree_size', (v) => {
    const proof = tree.inclusionProof(v.leaf_index, v.tree_size);
    expect(proof.path.map(bytesToHex)).toEqual(v.proof);
    const leafHash = rfc6962.hashLeaf(hexToBytes(reference.leaves_hex[v.leaf_index]!));
    expect(() =>
      verifyInclusion(leafHash, proof, hexToBytes(reference.roots[v.tree_size]!)),
    ).not.toThrow();
  });

  it.each(reference.consistency)('consistency $size1 → $size2', (v) => {
    const proof = tree.consistencyProof(v.size1, v.size2);
    expect(proof.path.map(bytesToHex)).toEqual(v.proof);
    const [root1, root2] = [v.size1, v.size2].map((s) => hexToBytes(reference.roots[s]!)) as [
      Uint8Array,
      Uint8Array,
    ];
    expect(() => verifyConsistency(proof, root1, root2)).not.toThrow();
  });
});

// transparency-dev/merkle testdata: happy paths and systematic corruptions, `wantErr` each.
const probesIn = <T>(kind: string): { file: string; probe: T }[] => {
  const dir = new URL(`transparency-dev-merkle/${kind}/`, TLOG);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, probe: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T }));
};

const b64 = (text: string | null | undefined): Uint8Array => base64ToBytes(text ?? '');

type InclusionProbe = {
  leafIdx: number;
  treeSize: number;
  root: string | null;
  leafHash: string | null;
  proof: string[] | null;
  wantErr: boolean;
};

type ConsistencyProbe = {
  size1: number;
  size2: number;
  root1: string | null;
  root2: string | null;
  proof: string[] | null;
  wantErr: boolean;
};

const inclusionProbes = probesIn<InclusionProbe>('inclusion');
const consistencyProbes = probesIn<ConsistencyProbe>('consistency');

describe('transparency-dev inclusion probes', () => {
  it('has all 98 probes', () => expect(inclusionProbes).toHaveLength(98));

  it.each(inclusionProbes)('$file', ({ probe }) => {
    const run = () =>
      verifyInclusion(
        b64(probe.leafHash),
        { leafIndex: probe.leafIdx, treeSize: probe.treeSize, path: (probe.proof ?? []).map(b64) },
        b64(probe.root),
      );
    if (probe.wantErr) expect(run).toThrow(expect.objectContaining({ name: 'TraceError' }));
    else expect(run).not.toThrow();
  });
});

describe('transparency-dev consistency probes', () => {
  it('has all 98 probes', () => expect(consistencyProbes).toHaveLength(98));

  it.each(consistencyProbes)('$file', ({ probe }) => {
    const run = () =>
      verifyConsistency(
        { size1: probe.size1, size2: probe.size2, path: (probe.proof ?? []).map(b64) },
        b64(probe.root1),
        b64(probe.root2),
      );
    if (probe.wantErr) expect(run).toThrow(expect.objectContaining({ name: 'TraceError' }));
    else expect(run).not.toThrow();
  });
});
