import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import { SEQUENCER_LOCK, type Sql } from '../ledger/ledger.repository.js';
import type { PreparedEvent } from './prepare-event.js';

export type StoredEvent = {
  seq: number;
  eventId: string;
  eventHashId: string;
  document: Record<string, unknown>;
  disclosures: Record<string, string>;
  leafIndex: number;
};

type EventRow = {
  seq: bigint;
  event_id: string;
  event_hash_id: string;
  document: Record<string, unknown>;
  disclosures: Record<string, string>;
  leaf_index: bigint;
};

const toStored = (row: EventRow): StoredEvent => ({
  seq: Number(row.seq),
  eventId: row.event_id,
  eventHashId: row.event_hash_id,
  document: row.document,
  disclosures: row.disclosures,
  leafIndex: Number(row.leaf_index),
});

const SELECT_EVENT = `SELECT e.seq, e.event_id, e.event_hash_id, e.document, e.disclosures, l.leaf_index
  FROM events e JOIN log_leaves l ON l.event_seq = e.seq`;

// The sequencing statements, exported so that `npm run bench:ingest` measures the raw PostgreSQL
// ceiling with exactly the SQL the service runs. Parameters: see EventsRepository.sequence.
export const INSERT_EVENTS_SQL = `INSERT INTO events (event_id, event_hash_id, organization_id, capture_job_id, type, event_time,
         event_time_zone_offset, record_time, action, biz_step, disposition, read_point, biz_location,
         document, context, disclosures, leaf_index)
       SELECT e.event_id, e.event_hash_id, $1::uuid, $2::uuid, e.type, e.event_time::timestamptz,
         e.tz, e.record_time::timestamptz, e.action, e.biz_step, e.disposition, e.read_point, e.biz_location,
         e.document::jsonb, e.context::jsonb, e.disclosures::jsonb, $3::bigint + e.ord - 1
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
         $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
         WITH ORDINALITY AS e(event_id, event_hash_id, type, event_time, tz, record_time, action, biz_step,
           disposition, read_point, biz_location, document, context, disclosures, ord)
       ORDER BY e.ord
       RETURNING seq, leaf_index`;
export const INSERT_LEAVES_SQL = `INSERT INTO log_leaves (leaf_index, event_seq, leaf_hash)
       SELECT $1::bigint + ord - 1, seq, hash FROM unnest($2::bigint[], $3::bytea[]) WITH ORDINALITY AS l(seq, hash, ord)`;
export const INSERT_IDENTIFIERS_SQL =
  'INSERT INTO event_identifiers (event_seq, role, identifier) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])';

/** Events, their identifiers and their sequenced leaves (ADR 0006). */
@Injectable()
export class EventsRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.prisma.sql.$transaction(fn);
  }

  get db(): Sql {
    return this.prisma.sql;
  }

  /** Existing events among `eventIds`: eventId → its event hash ID. */
  async findExisting(eventIds: readonly string[], db: Sql = this.db): Promise<Map<string, string>> {
    if (eventIds.length === 0) return new Map();
    const rows = await db.$queryRawUnsafe<{ event_id: string; event_hash_id: string }[]>(
      'SELECT event_id, event_hash_id FROM events WHERE event_id = ANY($1::text[])',
      [...eventIds],
    );
    return new Map(rows.map((row) => [row.event_id, row.event_hash_id]));
  }

  async findByEventId(eventId: string): Promise<StoredEvent | null> {
    const rows = await this.db.$queryRawUnsafe<EventRow[]>(
      `${SELECT_EVENT} WHERE e.event_id = $1`,
      eventId,
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  async findByLeafIndex(leafIndex: number): Promise<StoredEvent | null> {
    const rows = await this.db.$queryRawUnsafe<EventRow[]>(
      `${SELECT_EVENT} WHERE l.leaf_index = $1`,
      BigInt(leafIndex),
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Events in log order after `afterSeq`, at most `limit` (keyset paging). */
  async list(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.db.$queryRawUnsafe<EventRow[]>(
      `${SELECT_EVENT} WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      BigInt(afterSeq),
      limit,
    );
    return rows.map(toStored);
  }

  /**
   * Takes the sequencer lock (ADR 0006) for the rest of `db`'s transaction: captures that hold it
   * run one after another, in commit order.
   */
  async lockSequencer(db: Sql): Promise<void> {
    await db.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', SEQUENCER_LOCK);
  }

  /**
   * Sequences events (ADR 0006): inside `db`'s transaction, which holds the sequencer lock
   * (lockSequencer), gives the events the next consecutive leaf indexes, and inserts events,
   * leaves and identifiers with one statement each. Returns the first leaf index.
   */
  async sequence(
    events: readonly PreparedEvent[],
    organizationId: string,
    captureJobId: string | null,
    db: Sql,
  ): Promise<number> {
    const [next] = await db.$queryRawUnsafe<{ next: bigint }[]>(
      'SELECT coalesce(max(leaf_index) + 1, 0) AS next FROM log_leaves',
    );
    const first = Number(next!.next);
    const inserted = await db.$queryRawUnsafe<{ seq: bigint; leaf_index: bigint }[]>(
      INSERT_EVENTS_SQL,
      organizationId,
      captureJobId,
      BigInt(first),
      events.map((e) => e.eventId),
      events.map((e) => e.eventHashId),
      events.map((e) => e.type),
      events.map((e) => e.eventTime),
      events.map((e) => e.eventTimeZoneOffset),
      events.map((e) => e.recordTime),
      events.map((e) => e.action),
      events.map((e) => e.bizStep),
      events.map((e) => e.disposition),
      events.map((e) => e.readPoint),
      events.map((e) => e.bizLocation),
      events.map((e) => JSON.stringify(e.document)),
      events.map((e) => (e.context === null ? null : JSON.stringify(e.context))),
      events.map((e) => JSON.stringify(e.disclosures)),
    );
    // RETURNING has no guaranteed order: place each row by the leaf index it was given.
    const seqOf: bigint[] = [];
    for (const row of inserted) seqOf[Number(row.leaf_index) - first] = row.seq;
    await db.$executeRawUnsafe(
      INSERT_LEAVES_SQL,
      BigInt(first),
      seqOf,
      events.map((e) => Buffer.from(e.leafHash)),
    );
    const ids = events.flatMap((e, i) => e.identifiers.map((id) => ({ ...id, seq: seqOf[i]! })));
    if (ids.length > 0) {
      await db.$executeRawUnsafe(
        INSERT_IDENTIFIERS_SQL,
        ids.map((id) => id.seq),
        ids.map((id) => id.role),
        ids.map((id) => id.identifier),
      );
    }
    return first;
  }
}
