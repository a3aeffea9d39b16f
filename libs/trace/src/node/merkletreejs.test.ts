import { describe, expect, it } from '@jest/globals';

import { bytesToHex } from '../bytes.js';
import { MemoryTree, rfc6962 } from '../merkle/index.js';
import { buildMerkleTreeJs } from './merkletreejs.js';
import { nodeRfc6962, nodeSha256 } from './node-sha256.js';

const leafHashes = Array.from({ length: 300 }, (_, i) =>
  rfc6962.hashLeaf(Uint8Array.of(i >> 8, i & 255)),
);
const ours = new MemoryTree();
ours.appendLeafHashes(leafHashes);

describe('merkletreejs configured as RFC 6962 agrees with src/merkle', () => {
  it.each(Array.from({ length: 300 }, (_, i) => i + 1))(
    'size %i: root and every inclusion proof',
    (n) => {
      const theirs = buildMerkleTreeJs(leafHashes.slice(0, n));
      expect(bytesToHex(theirs.rootHash())).toBe(bytesToHex(ours.rootHash(n)));
      // One comparison per size (not per leaf) keeps 45,150 proofs fast under jest.
      const all = (proof: (m: number) => { path: readonly Uint8Array[] }) =>
        Array.from({ length: n }, (_, m) => proof(m).path.map(bytesToHex).join(' ')).join('\n');
      expect(all((m) => theirs.inclusionProof(m))).toBe(all((m) => ours.inclusionProof(m, n)));
    },
  );

  it('gives the empty tree the RFC 6962 empty root', () => {
    expect(bytesToHex(buildMerkleTreeJs([]).rootHash())).toBe(bytesToHex(rfc6962.emptyRoot()));
  });
});

describe('node:crypto SHA-256', () => {
  it('matches the portable hasher', () => {
    const data = Uint8Array.of(1, 2, 3);
    expect(bytesToHex(nodeSha256(data))).toBe(
      '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81',
    );
    expect(nodeRfc6962.hashLeaf(data)).toEqual(Buffer.from(rfc6962.hashLeaf(data)));
  });
});
