import { describe, expect, it } from '@jest/globals';
import {
  EMPTY_RANGE,
  generateNoteKeys,
  MemoryTree,
  openCheckpoint,
  parseSignerKey,
  previousCheckpointHash,
  rfc6962,
  verifyCheckpointChain,
  verifyConsistency,
} from '@traceroot/trace';

import { integrate, type LogHead } from './integrate.js';

const ORIGIN = 'test.traceroot.dev/log';
const keys = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(3));
const signer = parseSignerKey(keys.signerKey);
const leafHashes = Array.from({ length: 40 }, (_, i) => rfc6962.hashLeaf(Uint8Array.of(i)));

describe(integrate.name, () => {
  it('seals batches into checkpoints that chain, agree with a full tree and are consistent', () => {
    const reference = new MemoryTree();
    reference.appendLeafHashes(leafHashes);
    let head: LogHead = { range: EMPTY_RANGE, lastBodyHash: null };
    const notes: string[] = [];
    const stored = new Map<string, Uint8Array>();
    let start = 0;
    for (const k of [1, 6, 0, 13, 20]) {
      const sealed = integrate(head, leafHashes.slice(start, start + k), ORIGIN, signer, rfc6962);
      start += k;
      for (const node of sealed.nodes) stored.set(`${node.level}/${node.index}`, node.hash);
      const { checkpoint } = openCheckpoint(sealed.checkpoint.note, [keys.verifierKey], {
        origin: ORIGIN,
      });
      expect(checkpoint.treeSize).toBe(start);
      expect(checkpoint.rootHash).toEqual(reference.rootHash(start));
      expect(sealed.checkpoint.rootHash).toEqual(reference.rootHash(start));
      if (notes.length > 0) {
        const previous = openCheckpoint(notes.at(-1)!, [keys.verifierKey]).checkpoint;
        expect(() => verifyCheckpointChain(previous, checkpoint)).not.toThrow();
        if (previous.treeSize > 0 && previous.treeSize < start) {
          const proof = reference.consistencyProof(previous.treeSize, start);
          expect(() =>
            verifyConsistency(proof, previous.rootHash, checkpoint.rootHash),
          ).not.toThrow();
        }
      } else {
        expect(previousCheckpointHash(checkpoint)).toBeNull();
      }
      notes.push(sealed.checkpoint.note);
      head = { range: sealed.range, lastBodyHash: sealed.checkpoint.bodyHash };
    }
    // Every interior node of the 40-leaf tree was produced exactly once, and matches.
    for (const [id, hash] of stored) {
      const [level, index] = id.split('/').map(Number) as [number, number];
      expect(hash).toEqual(reference.readNode(level, index));
    }
    expect(stored.size).toBe(40 - 2); // n leaves → n − popcount(n) interior nodes; 40 = 101000b
  });
});
