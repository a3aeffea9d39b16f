import { bytesEqual, bytesToBase64 } from '../bytes.js';
import { readHash } from './check-leaf.js';
import type { AuditMismatch, AuditNode, AuditNodeSource, AuditStream } from './types.js';

/** The deepest interior level a tree of at most 2^63 leaves has (log_nodes' CHECK). */
const MAX_LEVEL = 63;

/** A node completed by the leaves so far, as the compact range reports it. */
export type CompletedNode = { level: number; index: number; hash: Uint8Array };

/** What the stored nodes say about one completed node. */
export type NodeVerdict =
  { found: 'equal' } | { found: 'missing' } | { found: 'finding'; mismatch: AuditMismatch };

/** `leaves [a, b)` that node (level, index) covers, when the numbers are exact. */
export const leavesOfNode = (level: number, index: number): string => {
  const width = 2 ** level;
  const [start, end] = [index * width, (index + 1) * width];
  return Number.isSafeInteger(end) ? `leaves [${start}, ${end})` : `leaves from ${start}`;
};

const isInteriorNode = (node: unknown): node is AuditNode => {
  const { level, index } = (node ?? {}) as Partial<AuditNode>;
  return (
    Number.isInteger(level) &&
    level! >= 1 &&
    level! <= MAX_LEVEL &&
    Number.isSafeInteger(index) &&
    index! >= 0
  );
};

/** A NODE_UNEXPECTED finding for a stored entry that is not an interior node of the tree. */
const notANode = (node: unknown): AuditMismatch => {
  const { level, index } = (node ?? {}) as Partial<AuditNode>;
  const named = { level: Number(level), index: Number(index) };
  return {
    code: 'NODE_UNEXPECTED',
    ...(Number.isFinite(named.level) && Number.isFinite(named.index) ? { node: named } : {}),
    message: `a stored node must have a level from 1 to ${MAX_LEVEL} and an index ≥ 0 (level 0 is the leaves)`,
  };
};

/** One level's stored nodes, read ahead by at most one node. */
type Cursor = {
  iterator: AsyncIterator<AuditNode> | Iterator<AuditNode>;
  /** The next stored node not yet matched; undefined when it must be read. */
  head: AuditNode | undefined;
  done: boolean;
};

/**
 * Compares the nodes a compact range completes, in the order it completes them (within a level:
 * index 0, 1, 2, …), with the stored ones: one cursor per level, so memory is O(log n) nodes
 * (plus what each stream buffers).
 */
export class StoredNodes {
  private readonly cursors = new Map<number, Cursor>();

  constructor(private readonly source: AuditNodeSource) {}

  /** Compares `node` with the stored node at its place; call in completion order. */
  async check(node: CompletedNode): Promise<NodeVerdict> {
    const { level, index } = node;
    const cursor = this.cursor(level);
    if (cursor.head === undefined && !cursor.done) {
      const next = await cursor.iterator.next();
      if (next.done === true) cursor.done = true;
      else cursor.head = next.value;
    }
    const stored = cursor.head;
    if (stored === undefined) return { found: 'missing' };
    if (!isInteriorNode(stored)) return { found: 'finding', mismatch: notANode(stored) };
    const at = { node: { level: stored.level, index: stored.index } };
    if (stored.level !== level) {
      return {
        found: 'finding',
        mismatch: {
          ...at,
          code: 'NODE_UNEXPECTED',
          message: `it is stored among the nodes of level ${level}`,
        },
      };
    }
    if (stored.index > index) return { found: 'missing' }; // kept for its own turn
    if (stored.index < index) {
      // Every node of this level before `index` has been matched already.
      return {
        found: 'finding',
        mismatch: {
          ...at,
          code: 'NODE_UNEXPECTED',
          message: `it is stored again (or out of order) where node ${index} of level ${level} belongs`,
        },
      };
    }
    cursor.head = undefined;
    const where = `the RFC 6962 root of ${leavesOfNode(level, index)}`;
    const hash = readHash(stored.hash);
    if (hash === null) {
      return {
        found: 'finding',
        mismatch: {
          ...at,
          code: 'NODE_MISMATCH',
          message: `the stored hash is not 32 bytes (${where})`,
        },
      };
    }
    if (bytesEqual(hash, node.hash)) return { found: 'equal' };
    const [was, again] = [bytesToBase64(hash), bytesToBase64(node.hash)];
    return {
      found: 'finding',
      mismatch: {
        ...at,
        code: 'NODE_MISMATCH',
        stored: was,
        recomputed: again,
        message: `stored hash ${was} ≠ recomputed ${again} (${where}, recomputed from the leaves)`,
      },
    };
  }

  /**
   * The finding for a stored node beyond the first `treeSize` leaves (the source's `beyond`), or
   * null when there is none or the source cannot tell.
   */
  async beyond(treeSize: number): Promise<AuditMismatch | null> {
    const stray = (await this.source.beyond?.(treeSize)) ?? null;
    if (stray === null) return null;
    if (!isInteriorNode(stray)) return notANode(stray);
    return {
      code: 'NODE_UNEXPECTED',
      node: { level: stray.level, index: stray.index },
      treeSize,
      message: `it is stored, but ${leavesOfNode(stray.level, stray.index)} are no complete subtree of the ${treeSize} leaves the latest checkpoint signs: a log stores a node only with a checkpoint that covers it`,
    };
  }

  /** Closes every level's stream. */
  async close(): Promise<void> {
    for (const { iterator } of this.cursors.values()) await iterator.return?.();
  }

  private cursor(level: number): Cursor {
    let cursor = this.cursors.get(level);
    if (cursor === undefined) {
      cursor = { iterator: iteratorOf(this.source.level(level)), head: undefined, done: false };
      this.cursors.set(level, cursor);
    }
    return cursor;
  }
}

export const iteratorOf = <T>(stream: AuditStream<T>): AsyncIterator<T> | Iterator<T> =>
  Symbol.asyncIterator in stream
    ? stream[Symbol.asyncIterator]()
    : (stream as Iterable<T>)[Symbol.iterator]();
