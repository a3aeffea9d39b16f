import { HASH_SIZE, type NodeReader } from '@traceroot/trace';

export type NodeId = { level: number; index: number };

/** Loads stored nodes by ID in one round trip; level 0 nodes are leaf hashes. */
export type NodeLoader = (ids: readonly NodeId[]) => Promise<ReadonlyMap<string, Uint8Array>>;

export const nodeKey = (level: number, index: number): string => `${level}/${index}`;

/**
 * Runs a proof builder from libs/trace against nodes stored in the database with one query:
 * a first pass records which nodes the builder reads (answering with placeholders), the loader
 * fetches exactly those, and a second pass builds the proof from them. O(log n) rows read.
 */
export const withStoredNodes = async <T>(
  build: (read: NodeReader) => T,
  load: NodeLoader,
): Promise<T> => {
  const wanted = new Map<string, NodeId>();
  const placeholder = new Uint8Array(HASH_SIZE);
  build((level, index) => {
    wanted.set(nodeKey(level, index), { level, index });
    return placeholder;
  });
  const nodes = await load([...wanted.values()]);
  return build((level, index) => {
    const hash = nodes.get(nodeKey(level, index));
    // A missing node means the stored log is damaged: that is a server fault, not the caller's.
    if (!hash) throw new Error(`stored node ${nodeKey(level, index)} is missing`);
    return hash;
  });
};
