import { Injectable } from '@nestjs/common';

import { isUniqueViolation } from '../database/pg-sql.js';
import { PrismaService } from '../database/prisma.service.js';
import { SEQUENCER_LOCK, type Sql } from '../ledger/ledger.repository.js';
import {
  PROTECTION_COLUMNS,
  type Protection,
  protectionOf,
  type ProtectionRow,
} from '../privacy/sealed.js';
import type { PreparedEvent } from './prepare-event.js';

/**
 * A stored event as it is read back: its fields come from `disclosures`, what the leaf commits to
 * (the `document` column serves the queries and the audit, not readers).
 */
export type StoredEvent = {
  seq: number;
  eventId: string;
  eventHashId: string;
  /** The public fields' disclosures (partner and private ones are in `protection.sealed`). */
  disclosures: Record<string, string>;
  leafIndex: number;
  protection: Protection;
};

/** The columns of a stored event as every read selects them (events alias `e`). */
export const STORED_EVENT_COLUMNS = `e.seq, e.event_id, e.event_hash_id, e.disclosures, e.leaf_index, ${PROTECTION_COLUMNS}`;

export type StoredEventRow = ProtectionRow & {
  seq: bigint;
  event_id: string;
  event_hash_id: string;
  disclosures: Record<string, string>;
  leaf_index: bigint;
};

export const toStoredEvent = (row: StoredEventRow): StoredEvent => ({
  seq: Number(row.seq),
  eventId: row.event_id,
  eventHashId: row.event_hash_id,
  disclosures: row.disclosures,
  leafIndex: Number(row.leaf_index),
  protection: protectionOf(row),
});

type EventRow = StoredEventRow;
const toStored = toStoredEvent;

const SELECT_EVENT = `SELECT ${STORED_EVENT_COLUMNS} FROM events e`;

// The sequencing statement, exported so that `npm run bench:ingest` measures the raw PostgreSQL
// ceiling with exactly the SQL the service runs. One statement for events, leaves and identifiers,
// so that a capture holding the sequencer lock needs one round trip and its COMMIT (ADR 0006).
// It reads the next leaf index itself: run it in a statement after the one that took the lock, so
// that its snapshot sees every capture that held the lock before. Parameters: $1 organization,
// $2 capture job (or null), $3–$13 the event columns (text arrays, one element per event, in
// order), $14–$16 documents, contexts (null: none) and disclosures (each one JSON array, one
// element per event: serialised before the lock is taken, see EventsService), $17 the leaf hashes, $18–$20 the identifiers (1-based event position, role,
// identifier), $21–$24 the query terms (1-based event position, term, value, number; ADR 0009),
// $25–$28 privacy and rules (sealed fields, parties, rule-set version, violations: JSON arrays and
// a text array, one element per event), $29–$31 the event keys (1-based event position, data key
// id, wrapped key; docs/specs/privacy.md).
// Returns the first leaf index.
export const SEQUENCE_EVENTS_SQL = `WITH next AS (SELECT coalesce(max(leaf_index) + 1, 0) AS first FROM log_leaves),
  inserted AS (
    INSERT INTO events (event_id, event_hash_id, organization_id, capture_job_id, type, event_time,
      event_time_zone_offset, record_time, action, biz_step, disposition, read_point, biz_location,
      document, context, disclosures, leaf_index, sealed, parties, rule_set, rule_violations)
    SELECT e.event_id, e.event_hash_id, $1::uuid, $2::uuid, e.type, e.event_time::timestamptz,
      e.tz, e.record_time::timestamptz, e.action, e.biz_step, e.disposition, e.read_point, e.biz_location,
      e.document, nullif(e.context, 'null'::jsonb), e.disclosures, (SELECT first FROM next) + e.ord - 1,
      nullif(e.sealed, 'null'::jsonb),
      ARRAY(SELECT jsonb_array_elements_text(e.parties)), e.rule_set, nullif(e.rule_violations, 'null'::jsonb)
    FROM ROWS FROM (unnest($3::text[]), unnest($4::text[]), unnest($5::text[]), unnest($6::text[]),
      unnest($7::text[]), unnest($8::text[]), unnest($9::text[]), unnest($10::text[]), unnest($11::text[]),
      unnest($12::text[]), unnest($13::text[]), jsonb_array_elements($14::jsonb),
      jsonb_array_elements($15::jsonb), jsonb_array_elements($16::jsonb),
      jsonb_array_elements($25::jsonb), jsonb_array_elements($26::jsonb), unnest($27::text[]),
      jsonb_array_elements($28::jsonb))
      WITH ORDINALITY AS e(event_id, event_hash_id, type, event_time, tz, record_time, action, biz_step,
        disposition, read_point, biz_location, document, context, disclosures, sealed, parties, rule_set,
        rule_violations, ord)
    ORDER BY e.ord
    RETURNING seq, leaf_index),
  event_keys AS (
    INSERT INTO event_keys (event_seq, organization_key_id, wrapped)
    SELECT i.seq, k.key_id, k.wrapped
    FROM unnest($29::int[], $30::uuid[], $31::bytea[]) AS k(ord, key_id, wrapped)
    JOIN inserted i ON i.leaf_index = (SELECT first FROM next) + k.ord - 1
    -- A data key destroyed since the capture read it seals nothing: those fields are erased at once.
    JOIN organization_keys ok ON ok.id = k.key_id AND ok.destroyed_at IS NULL),
  leaves AS (
    INSERT INTO log_leaves (leaf_index, event_seq, leaf_hash)
    SELECT i.leaf_index, i.seq, h.hash
    FROM unnest($17::bytea[]) WITH ORDINALITY AS h(hash, ord)
    JOIN inserted i ON i.leaf_index = (SELECT first FROM next) + h.ord - 1),
  identifiers AS (
    INSERT INTO event_identifiers (event_seq, role, identifier)
    SELECT i.seq, x.role, x.identifier
    FROM unnest($18::int[], $19::text[], $20::text[]) AS x(ord, role, identifier)
    JOIN inserted i ON i.leaf_index = (SELECT first FROM next) + x.ord - 1),
  terms AS (
    INSERT INTO event_terms (event_seq, term, value, number)
    SELECT i.seq, t.term, t.value, t.number
    FROM unnest($21::int[], $22::text[], $23::text[], $24::numeric[]) AS t(ord, term, value, number)
    JOIN inserted i ON i.leaf_index = (SELECT first FROM next) + t.ord - 1)
SELECT first FROM next`;

/** The parameters of SEQUENCE_EVENTS_SQL after $1 and $2, for prepared events. */
export const sequenceParameters = (events: readonly PreparedEvent[]): unknown[] => {
  const ordinals: number[] = [];
  const roles: string[] = [];
  const identifiers: string[] = [];
  const termOrdinals: number[] = [];
  const terms: string[] = [];
  const values: string[] = [];
  const numbers: (number | null)[] = [];
  const keyOrdinals: number[] = [];
  const keyIds: string[] = [];
  const keys: Buffer[] = [];
  events.forEach((event, i) => {
    if (event.eventKey !== null) {
      keyOrdinals.push(i + 1);
      keyIds.push(event.eventKey.organizationKeyId);
      const { wrapped } = event.eventKey;
      keys.push(Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength));
    }
    for (const id of event.identifiers) {
      ordinals.push(i + 1);
      roles.push(id.role);
      identifiers.push(id.identifier);
    }
    for (const term of event.terms) {
      termOrdinals.push(i + 1);
      terms.push(term.term);
      values.push(term.value);
      numbers.push(term.number);
    }
  });
  return [
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
    JSON.stringify(events.map((e) => e.document)),
    JSON.stringify(events.map((e) => e.context ?? null)),
    JSON.stringify(events.map((e) => e.disclosures)),
    events.map((e) => Buffer.from(e.leafHash.buffer, e.leafHash.byteOffset, e.leafHash.byteLength)),
    ordinals,
    roles,
    identifiers,
    termOrdinals,
    terms,
    values,
    numbers,
    JSON.stringify(events.map((e) => e.sealed)),
    JSON.stringify(events.map((e) => e.parties)),
    events.map((e) => e.ruleSet),
    JSON.stringify(events.map((e) => e.ruleViolations)),
    keyOrdinals,
    keyIds,
    keys,
  ];
};

/** Events, their identifiers and query terms, and their sequenced leaves (ADR 0006, 0009). */
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
      `${SELECT_EVENT} WHERE e.leaf_index = $1`,
      BigInt(leafIndex),
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /**
   * Events in log order after `afterSeq`, at most `limit` (keyset paging); with `naming`, only
   * those that name one of its identifiers in one of its roles (event_identifiers).
   */
  async list(
    afterSeq: number,
    limit: number,
    naming?: { identifiers: readonly string[]; roles: readonly string[] },
  ): Promise<StoredEvent[]> {
    const rows = naming
      ? await this.db.$queryRawUnsafe<EventRow[]>(
          `${SELECT_EVENT} WHERE e.seq > $1 AND e.seq IN (
             SELECT event_seq FROM event_identifiers WHERE identifier = ANY($3::text[]) AND role = ANY($4::text[]))
           ORDER BY e.seq LIMIT $2`,
          BigInt(afterSeq),
          limit,
          [...naming.identifiers],
          [...naming.roles],
        )
      : await this.db.$queryRawUnsafe<EventRow[]>(
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
   * (lockSequencer), gives the events the next consecutive leaf indexes and inserts events,
   * leaves and identifiers, in one statement. `parameters` come from sequenceParameters, built
   * before the lock was taken. Returns the first leaf index.
   */
  async sequence(
    parameters: readonly unknown[],
    organizationId: string,
    captureJobId: string | null,
    db: Sql,
  ): Promise<number> {
    const [row] = await db.$queryRawUnsafe<{ first: bigint }[]>(
      SEQUENCE_EVENTS_SQL,
      organizationId,
      captureJobId,
      ...parameters,
    );
    return Number(row!.first);
  }

  /**
   * Whether `error` is the unique index on events.event_id refusing an insert: a capture of the
   * same eventID committed after this one checked for duplicates.
   */
  isDuplicateEventId(error: unknown): boolean {
    return isUniqueViolation(error, 'events_event_id_key');
  }
}
