// Fills a database's log tables directly with SQL, for proofs at a size the API would take too
// long to reach: `size` leaves (leaf hashes of synthetic leaf data), every interior node the
// log stores (computed by libs/trace's appendLeaves, whose onNode callback is exactly what the
// sealer stores), and one signed checkpoint of the whole tree. The events table stays empty:
// log_leaves.event_seq points at no row, which needs session_replication_role = replica (a
// superuser setting that skips the foreign-key triggers); proofs never read events.
import {
  appendLeaves,
  checkpointBodyHash,
  EMPTY_RANGE,
  rootOfRange,
  signCheckpoint,
  utf8ToBytes,
} from '@traceroot/trace';
import { nodeRfc6962 } from '@traceroot/trace/node';
import pg from 'pg';

const BATCH = 50_000;

export const fillLog = async ({ databaseUrl, size, origin, signer, onProgress }) => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    let range = EMPTY_RANGE;
    const leafHashes = [];
    for (let start = 0; start < size; start += BATCH) {
      const count = Math.min(BATCH, size - start);
      const hashes = Array.from({ length: count }, (_, i) =>
        nodeRfc6962.hashLeaf(utf8ToBytes(`bench leaf ${start + i}\n`)),
      );
      const levels = [];
      const indexes = [];
      const nodeHashes = [];
      range = appendLeaves(range, hashes, nodeRfc6962, (level, index, hash) => {
        if (level === 0) return; // leaves live in log_leaves
        levels.push(level);
        indexes.push(index);
        nodeHashes.push(Buffer.from(hash));
      });
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO log_leaves (leaf_index, event_seq, leaf_hash)
         SELECT $1::bigint + ord - 1, $1::bigint + ord, hash FROM unnest($2::bytea[]) WITH ORDINALITY AS l(hash, ord)`,
        [start, hashes.map((hash) => Buffer.from(hash))],
      );
      await client.query(
        'INSERT INTO log_nodes (level, "index", hash) SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[])',
        [levels, indexes, nodeHashes],
      );
      await client.query('COMMIT');
      if (leafHashes.length < 1000) leafHashes.push(...hashes.slice(0, 1000 - leafHashes.length));
      onProgress?.(start + count);
    }
    const rootHash = rootOfRange(range, nodeRfc6962);
    const body = { origin, treeSize: size, rootHash, extensions: [] };
    const note = signCheckpoint(body, signer);
    await client.query(
      'INSERT INTO checkpoints (tree_size, root_hash, note, body_hash) VALUES ($1, $2, $3, $4)',
      [size, Buffer.from(rootHash), note, Buffer.from(checkpointBodyHash(body))],
    );
    // As autovacuum would have done on a log that grew to this size over time.
    await client.query('VACUUM ANALYZE log_leaves, log_nodes, checkpoints');
    return { rootHash, firstLeafHashes: leafHashes };
  } finally {
    await client.end();
  }
};
