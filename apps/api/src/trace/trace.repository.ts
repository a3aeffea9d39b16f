import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import {
  STORED_EVENT_COLUMNS,
  type StoredEvent,
  type StoredEventRow,
  toStoredEvent,
} from '../events/events.repository.js';
import type { IdentifierRole } from '../events/prepare-event.js';
import type { TracedEvent, TraceRole } from './trace-graph.js';

/** Where an event names a traced identifier: the identifier's role in it, and the event. */
export type IdentifierHit = {
  identifier: string;
  role: TraceRole;
  event: TracedEvent & { seq: number };
};

type HitRow = {
  identifier: string;
  role: TraceRole;
  seq: bigint;
  event_id: string;
  type: string;
  action: string | null;
  time: number;
  named: [IdentifierRole, string][] | null;
  lots: string[] | null;
};

/**
 * The statement of TraceRepository.hits (exported so that `npm run bench:trace` explains exactly
 * it): $1 the identifiers (canonical Digital Links), $2 the most rows.
 */
export const TRACE_HITS_SQL = `WITH hits AS (
    SELECT identifier, role, event_seq FROM event_identifiers WHERE identifier = ANY($1::text[])
    UNION ALL
    SELECT value, 'ilmdLot', event_seq FROM event_terms
     WHERE term = 'ilmdLot' AND value = ANY($1::text[])),
  picked AS (
    SELECT h.identifier, h.role, e.seq, e.event_id, e.type, e.action, e.event_time
      FROM hits h JOIN events e ON e.seq = h.event_seq
     ORDER BY e.event_time, e.seq
     LIMIT $2)
  SELECT p.identifier, p.role, p.seq, p.event_id, p.type, p.action,
         (extract(epoch FROM p.event_time) * 1000)::float8 AS time,
         (SELECT json_agg(json_build_array(i.role, i.identifier))
            FROM event_identifiers i WHERE i.event_seq = p.seq) AS named,
         (SELECT array_agg(t.value) FROM event_terms t
           WHERE t.event_seq = p.seq AND t.term = 'ilmdLot') AS lots
    FROM picked p
   ORDER BY p.event_time, p.seq`;

/**
 * The event index, read for traces. Every read is an index lookup: event_identifiers' primary key
 * leads with the identifier, event_terms' with (term, value), events' with seq. Each walk level
 * costs one statement (`hits`), whatever the number of identifiers it expands; a trace then reads
 * the events it keeps once (`stored`).
 */
@Injectable()
export class TraceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Where events name any of `identifiers`: in any role of the identifier index, or as the lot an
   * event's ILMD gives the items it names (event_terms 'ilmdLot'). Oldest event first (then log
   * order), at most `limit` rows, each with what the walk reads of its event, from the index
   * alone: type, action, eventTime (ms), every identifier it names and its ILMD lots. One
   * statement, so that a walk level costs one round trip to the database.
   */
  async hits(identifiers: readonly string[], limit: number): Promise<IdentifierHit[]> {
    if (identifiers.length === 0) return [];
    const rows = await this.prisma.sql.$queryRawUnsafe<HitRow[]>(
      TRACE_HITS_SQL,
      [...identifiers],
      limit,
    );
    return rows.map((row) => ({
      identifier: row.identifier,
      role: row.role,
      event: {
        seq: Number(row.seq),
        eventId: row.event_id,
        type: row.type,
        action: row.action ?? undefined,
        time: Number(row.time),
        identifiers: (row.named ?? []).map(([role, identifier]) => ({ role, identifier })),
        ilmdLots: row.lots ?? [],
      },
    }));
  }

  /** The stored events `seqs` (any order): their disclosures (what is served) and leaf indexes. */
  async stored(seqs: readonly number[]): Promise<StoredEvent[]> {
    if (seqs.length === 0) return [];
    const rows = await this.prisma.sql.$queryRawUnsafe<StoredEventRow[]>(
      `SELECT ${STORED_EVENT_COLUMNS} FROM events e WHERE e.seq = ANY($1::bigint[])`,
      seqs.map((seq) => BigInt(seq)),
    );
    return rows.map(toStoredEvent);
  }
}
