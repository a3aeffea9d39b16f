import { describe, expect, it } from '@jest/globals';
import { buildConsistencyProof, buildInclusionProof, MemoryTree, rfc6962 } from '@traceroot/trace';

import { type NodeId, nodeKey, withStoredNodes } from './stored-nodes.js';

const tree = new MemoryTree();
tree.appendLeaves(Array.from({ length: 1000 }, (_, i) => Uint8Array.of(i >> 8, i & 255)));

const loaderOf = (calls: NodeId[][]) => (ids: readonly NodeId[]) => {
  calls.push([...ids]);
  return Promise.resolve(
    new Map(ids.map(({ level, index }) => [nodeKey(level, index), tree.readNode(level, index)])),
  );
};

describe(withStoredNodes.name, () => {
  it('builds the same proofs as an in-memory tree with one load of O(log n) nodes', async () => {
    for (const [m, n] of [
      [0, 1],
      [5, 1000],
      [999, 1000],
      [511, 777],
    ] as const) {
      const calls: NodeId[][] = [];
      const proof = await withStoredNodes(
        (read) => buildInclusionProof(m, n, read, rfc6962),
        loaderOf(calls),
      );
      expect(proof).toEqual(tree.inclusionProof(m, n));
      expect(calls.length).toBe(1);
      expect(calls[0]!.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n + 1)));
    }
    const calls: NodeId[][] = [];
    const proof = await withStoredNodes(
      (read) => buildConsistencyProof(300, 1000, read, rfc6962),
      loaderOf(calls),
    );
    expect(proof).toEqual(tree.consistencyProof(300, 1000));
  });

  it('reports a damaged store as a server fault', async () => {
    const load = () => Promise.resolve(new Map<string, Uint8Array>());
    await expect(
      withStoredNodes((read) => buildInclusionProof(3, 10, read, rfc6962), load),
    ).rejects.toThrow('missing');
  });
});
