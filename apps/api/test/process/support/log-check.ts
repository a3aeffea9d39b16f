// Checks the whole log of a database against what the clients were told (process tests): every
// acknowledged event in the log exactly once, unacknowledged documents all-or-nothing, leaf
// indexes 0..n-1, and every checkpoint a signed, chained, pairwise consistent prefix of one log.
import { expect } from '@jest/globals';
import {
  appendLeaves,
  base64ToBytes,
  bytesToHex,
  checkpointBodyHash,
  type CompactRange,
  EMPTY_RANGE,
  openCheckpoint,
  previousCheckpointHash,
  verifyCheckpointChain,
  verifyConsistency,
  verifyInclusion,
  rootOfRange,
  type Checkpoint,
} from '@traceroot/trace';
import { nodeRfc6962 } from '@traceroot/trace/node';
import pg from 'pg';

import type { SentDocument } from './load.js';

export type LogFacts = { leaves: number; checkpoints: number[] };

export const withClient = async <T>(
  url: string,
  run: (client: pg.Client) => Promise<T>,
): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

/** Leaves sequenced and the latest checkpoint's size. */
export const logState = (url: string): Promise<{ leaves: number; sealed: number }> =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ leaves: string; sealed: string }>(
      'SELECT (SELECT count(*) FROM log_leaves) AS leaves, (SELECT coalesce(max(tree_size), 0) FROM checkpoints) AS sealed',
    );
    return { leaves: Number(rows[0]!.leaves), sealed: Number(rows[0]!.sealed) };
  });

const getJson = async <T>(url: string): Promise<T> => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

/** Runs `work` over `items`, `width` at a time. */
const inBatches = async <T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  for (let i = 0; i < items.length; i += width) {
    await Promise.all(items.slice(i, i + width).map(work));
  }
};

export const checkLog = async (options: {
  databaseUrl: string;
  /** A running service on that database, for the proof endpoints. */
  baseUrl: string;
  verifierKey: string;
  origin: string;
  acknowledged: readonly SentDocument[];
  unknown: readonly SentDocument[];
}): Promise<LogFacts> => {
  const { databaseUrl, baseUrl, verifierKey, origin } = options;
  return withClient(databaseUrl, async (client) => {
    // Leaves: indexes 0..n-1 (the primary key makes them unique), one per event, one event per leaf.
    const leafRows = (
      await client.query<{
        leaf_index: string;
        leaf_hash: Buffer;
        event_id: string;
        event_leaf: string;
      }>(
        `SELECT l.leaf_index, l.leaf_hash, e.event_id, e.leaf_index AS event_leaf
           FROM log_leaves l JOIN events e ON e.seq = l.event_seq ORDER BY l.leaf_index`,
      )
    ).rows;
    const n = leafRows.length;
    const { rows: counts } = await client.query<{ events: string; identifiers_orphaned: string }>(
      `SELECT (SELECT count(*) FROM events) AS events,
              (SELECT count(*) FROM event_identifiers i WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = i.event_seq)) AS identifiers_orphaned`,
    );
    expect(Number(counts[0]!.events)).toBe(n);
    expect(Number(counts[0]!.identifiers_orphaned)).toBe(0);
    leafRows.forEach((row, i) => {
      if (Number(row.leaf_index) !== i || Number(row.event_leaf) !== i) {
        throw new Error(
          `leaf ${i}: found leaf_index ${row.leaf_index} (event says ${row.event_leaf}): the indexes have a gap or disagree`,
        );
      }
    });

    // Events: every acknowledged one exactly once; an unacknowledged document all or nothing;
    // nothing that no client sent, but the record of the test's admin actions (docs/specs/admin.md).
    const logged = new Map<string, number>();
    for (const row of leafRows) logged.set(row.event_id, (logged.get(row.event_id) ?? 0) + 1);
    const missing = options.acknowledged.flatMap((doc) =>
      doc.eventIds.filter((id) => logged.get(id) !== 1),
    );
    expect(missing).toEqual([]);
    const partial = options.unknown.filter((doc) => {
      const stored = doc.eventIds.filter((id) => logged.has(id)).length;
      return stored !== 0 && stored !== doc.eventIds.length;
    });
    expect(partial).toEqual([]);
    const recorded = await client.query<{ event_id: string }>('SELECT event_id FROM admin_actions');
    const sent = new Set([
      ...[...options.acknowledged, ...options.unknown].flatMap((doc) => doc.eventIds),
      ...recorded.rows.map((row) => row.event_id),
    ]);
    expect([...logged.keys()].filter((id) => !sent.has(id))).toEqual([]);

    // Checkpoints: distinct sizes, each signed by the log's key, naming the previous one's body,
    // and each root the root of that prefix of the leaves (so all are pairwise consistent).
    const checkpointRows = (
      await client.query<{ tree_size: string; root_hash: Buffer; note: string; body_hash: Buffer }>(
        'SELECT tree_size, root_hash, note, body_hash FROM checkpoints ORDER BY tree_size',
      )
    ).rows;
    const sizes = checkpointRows.map((row) => Number(row.tree_size));
    expect(new Set(sizes).size).toBe(sizes.length);
    expect(sizes.at(-1)).toBe(n);
    let range: CompactRange = EMPTY_RANGE;
    let previous: Checkpoint | null = null;
    const roots = new Map<number, Uint8Array>();
    for (const row of checkpointRows) {
      const size = Number(row.tree_size);
      const { checkpoint, text } = openCheckpoint(row.note, [verifierKey], { origin });
      expect(checkpoint.treeSize).toBe(size);
      expect(bytesToHex(checkpoint.rootHash)).toBe(bytesToHex(new Uint8Array(row.root_hash)));
      expect(bytesToHex(checkpointBodyHash(text))).toBe(bytesToHex(new Uint8Array(row.body_hash)));
      if (previous) verifyCheckpointChain(previous, checkpoint);
      // The first checkpoint names no previous one; it may name the rule set in force.
      else expect(previousCheckpointHash(checkpoint)).toBeNull();
      range = appendLeaves(
        range,
        leafRows.slice(range.size, size).map((leaf) => new Uint8Array(leaf.leaf_hash)),
        nodeRfc6962,
      );
      if (bytesToHex(rootOfRange(range, nodeRfc6962)) !== bytesToHex(checkpoint.rootHash)) {
        throw new Error(`checkpoint ${size}: its root is not the root of leaves 0..${size - 1}`);
      }
      roots.set(size, checkpoint.rootHash);
      previous = checkpoint;
    }

    // The service's consistency proofs: consecutive pairs, the first to each, each to the last.
    const pairs = new Map<string, [number, number]>();
    const add = (from: number, to: number): void =>
      void (from < to && pairs.set(`${from}-${to}`, [from, to]));
    sizes.forEach((size, i) => {
      if (i > 0) add(sizes[i - 1]!, size);
      add(sizes[0]!, size);
      add(size, sizes.at(-1)!);
    });
    await inBatches([...pairs.values()], 8, async ([from, to]) => {
      const proof = await getJson<{ path: string[] }>(
        `${baseUrl}/log/proof/consistency?from=${from}&to=${to}`,
      );
      verifyConsistency(
        { size1: from, size2: to, path: proof.path.map(base64ToBytes) },
        roots.get(from)!,
        roots.get(to)!,
        nodeRfc6962,
      );
    });

    // Inclusion proofs of a few acknowledged events, by eventID, in the latest checkpoint.
    const sample = options.acknowledged.filter(
      (_, i) => i % Math.max(1, Math.floor(options.acknowledged.length / 10)) === 0,
    );
    await inBatches(sample, 8, async (doc) => {
      const eventId = doc.eventIds[0]!;
      const view = await getJson<{ ledger: { leafIndex: number; sealed: boolean } }>(
        `${baseUrl}/events/${encodeURIComponent(eventId)}`,
      );
      expect(view.ledger.sealed).toBe(true);
      const proof = await getJson<{
        leafIndex: number;
        treeSize: number;
        leafHash: string;
        path: string[];
      }>(`${baseUrl}/log/proof/inclusion?eventID=${encodeURIComponent(eventId)}`);
      expect(proof.leafIndex).toBe(view.ledger.leafIndex);
      verifyInclusion(
        base64ToBytes(proof.leafHash),
        { ...proof, path: proof.path.map(base64ToBytes) },
        roots.get(proof.treeSize)!,
        nodeRfc6962,
      );
    });
    return { leaves: n, checkpoints: sizes };
  });
};
