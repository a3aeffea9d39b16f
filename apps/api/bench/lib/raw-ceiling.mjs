// The raw PostgreSQL ceiling: the rows one capture stores (events, log_leaves,
// event_identifiers), inserted by the service's own statement (events.repository.ts
// SEQUENCE_EVENTS_SQL: one statement of INSERT … SELECT FROM unnest(…) for all three tables, one
// transaction per 100-event document) from
// plain node-postgres connections, without the service: no HTTP, no validation, no hashing, no
// Prisma. The rows are prepared once (prepareEvent from dist, as the service prepares them) and
// reused with fresh eventIDs, so the generator's CPU goes to sending them.
//
// Two variants: `sequenced` takes the sequencer lock and reads the next leaf index inside each
// transaction, exactly as the service does (ADR 0006); `unsequenced` gives each transaction a
// block of leaf indexes up front and takes no lock: PostgreSQL's ceiling for these rows.
import { eventsOfDocument } from '@traceroot/trace';
import { nodeRfc6962, nodeSha256 } from '@traceroot/trace/node';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

import { SEQUENCE_EVENTS_SQL, sequenceParameters } from '../../dist/events/events.repository.js';
import { prepareEvent } from '../../dist/events/prepare-event.js';
import { SEQUENCER_LOCK } from '../../dist/ledger/ledger.repository.js';
import { buildDocument, EVENTS_PER_DOC } from './documents.mjs';
import { busyBetween, machineCpu, postgresCoresBetween, postgresCpu } from './stats.mjs';

// The unsequenced variant is told its first leaf index (a parameter after the statement's own)
// instead of reading it.
const NEXT_LEAF = 'SELECT coalesce(max(leaf_index) + 1, 0) AS first FROM log_leaves';
if (!SEQUENCE_EVENTS_SQL.includes(NEXT_LEAF)) {
  throw new Error('SEQUENCE_EVENTS_SQL changed: update the raw ceiling');
}
const LAST_PARAMETER = Math.max(
  ...[...SEQUENCE_EVENTS_SQL.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])),
);
const UNSEQUENCED_SQL = SEQUENCE_EVENTS_SQL.replace(
  NEXT_LEAF,
  `SELECT $${LAST_PARAMETER + 1}::bigint AS first`,
);

/** Parameter arrays of `count` prepared documents (the service's preparation, done once). */
const prepareTemplates = (count) =>
  Array.from({ length: count }, (_, d) => {
    const { events, context } = eventsOfDocument(buildDocument(`raw${process.pid}`, d));
    const now = new Date();
    const prepared = events.map((event) =>
      prepareEvent(event, context, {
        now,
        randomBytes: (n) => new Uint8Array(randomBytes(n)),
        hasher: nodeRfc6962,
        sha: nodeSha256,
      }),
    );
    const [eventIds, ...rest] = sequenceParameters(prepared);
    return { eventIds, rest, identifiers: prepared.reduce((n, e) => n + e.identifiers.length, 0) };
  });

/**
 * Inserts documents from `connections` connections for `seconds`; returns events/s, the
 * identifier rows per event, and the CPU PostgreSQL and this process used meanwhile.
 */
export const rawCeiling = async ({ databaseUrl, connections, seconds, sequenced, onProgress }) => {
  const templates = prepareTemplates(20);
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const organizationId = (
    await admin.query("INSERT INTO organizations (name) VALUES ('raw ceiling') RETURNING id")
  ).rows[0].id;
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  let nextLeaf = Number(
    (await admin.query('SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM log_leaves')).rows[0].n,
  );
  let documents = 0;
  let serial = 0;
  const cpuBefore = { pg: postgresCpu(), machine: machineCpu(), self: process.cpuUsage() };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (client) => {
    while (performance.now() < deadline) {
      const template = templates[serial % templates.length];
      const suffix = `#${(serial += 1)}`;
      await client.query('BEGIN');
      try {
        const params = [
          organizationId,
          null,
          template.eventIds.map((id) => id + suffix),
          ...template.rest,
        ];
        if (sequenced) {
          await client.query('SELECT pg_advisory_xact_lock($1)', [SEQUENCER_LOCK]);
          await client.query(SEQUENCE_EVENTS_SQL, params);
        } else {
          const first = nextLeaf;
          nextLeaf += EVENTS_PER_DOC;
          await client.query(UNSEQUENCED_SQL, [...params, first]);
        }
        await client.query('COMMIT');
        documents += 1;
        if (documents % 100 === 0) onProgress?.(documents * EVENTS_PER_DOC);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  };
  try {
    await Promise.all(clients.map(worker));
    const elapsed = (performance.now() - started) / 1000;
    const self = process.cpuUsage(cpuBefore.self);
    return {
      eventsPerSecond: (documents * EVENTS_PER_DOC) / elapsed,
      events: documents * EVENTS_PER_DOC,
      identifiersPerEvent: templates[0].identifiers / EVENTS_PER_DOC,
      postgresCores: postgresCoresBetween(cpuBefore.pg, postgresCpu()),
      generatorCores: (self.user + self.system) / 1e6 / elapsed,
      machineBusy: busyBetween(cpuBefore.machine, machineCpu(), 1).share,
    };
  } finally {
    await Promise.all([...clients, admin].map((client) => client.end()));
  }
};
