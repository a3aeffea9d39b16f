import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { StoredEvent } from '../events/events.repository.js';
import type { IdentifierRole } from '../events/prepare-event.js';
import type { TraceRole } from './trace-graph.js';

/** Where an event names a traced identifier: the event (by seq) and the identifier's role in it. */
export type IdentifierHit = { identifier: string; role: TraceRole; seq: number };

/** A stored event with every identifier it names (event_identifiers), as the trace reads it. */
export type NamedEvent = StoredEvent & {
  identifiers: { role: IdentifierRole; identifier: string }[];
};

type HitRow = { identifier: string; role: TraceRole; seq: bigint };

type EventRow = {
  seq: bigint;
  event_id: string;
  event_hash_id: string;
  disclosures: Record<string, string>;
  leaf_index: bigint;
  named: [IdentifierRole, string][] | null;
};

/**
 * The event index, read for traces. Both reads are index lookups: event_identifiers' primary key
 * leads with the identifier, event_terms' with (term, value), events' with seq. Each walk level
 * costs these two statements, whatever the number of identifiers it expands.
 */
@Injectable()
export class TraceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Where events name any of `identifiers`: in any role of the identifier index, or as the lot an
   * event's ILMD gives the items it names (event_terms 'ilmdLot'). Oldest event first (then log
   * order), at most `limit` rows.
   */
  async hits(identifiers: readonly string[], limit: number): Promise<IdentifierHit[]> {
    if (identifiers.length === 0) return [];
    const rows = await this.prisma.sql.$queryRawUnsafe<HitRow[]>(
      `WITH hits AS (
         SELECT identifier, role, event_seq FROM event_identifiers WHERE identifier = ANY($1::text[])
         UNION ALL
         SELECT value, 'ilmdLot', event_seq FROM event_terms
          WHERE term = 'ilmdLot' AND value = ANY($1::text[]))
       SELECT h.identifier, h.role, h.event_seq AS seq
         FROM hits h JOIN events e ON e.seq = h.event_seq
        ORDER BY e.event_time, e.seq
        LIMIT $2`,
      [...identifiers],
      limit,
    );
    return rows.map((row) => ({
      identifier: row.identifier,
      role: row.role,
      seq: Number(row.seq),
    }));
  }

  /** The events `seqs` (any order), each with its leaf index and every identifier it names. */
  async events(seqs: readonly number[]): Promise<NamedEvent[]> {
    if (seqs.length === 0) return [];
    const rows = await this.prisma.sql.$queryRawUnsafe<EventRow[]>(
      `SELECT e.seq, e.event_id, e.event_hash_id, e.disclosures, e.leaf_index,
              (SELECT json_agg(json_build_array(i.role, i.identifier))
                 FROM event_identifiers i WHERE i.event_seq = e.seq) AS named
         FROM events e
        WHERE e.seq = ANY($1::bigint[])`,
      seqs.map((seq) => BigInt(seq)),
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      eventId: row.event_id,
      eventHashId: row.event_hash_id,
      disclosures: row.disclosures,
      leafIndex: Number(row.leaf_index),
      identifiers: (row.named ?? []).map(([role, identifier]) => ({ role, identifier })),
    }));
  }
}
