import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { StoredEvent } from '../events/events.repository.js';
import type { IdentifierRole } from '../events/prepare-event.js';

/** An event naming a traced identifier, with that identifier's role in it. */
export type IdentifierHit = { identifier: string; role: IdentifierRole; event: StoredEvent };

type HitRow = {
  identifier: string;
  role: IdentifierRole;
  seq: bigint;
  event_id: string;
  event_hash_id: string;
  disclosures: Record<string, string>;
  leaf_index: bigint;
};

/** The event index, read for traces (event_identifiers' primary key leads with the identifier). */
@Injectable()
export class TraceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Events naming any of `identifiers` in any role, oldest first (then log order), at most `limit`. */
  async eventsNaming(identifiers: readonly string[], limit: number): Promise<IdentifierHit[]> {
    const rows = await this.prisma.sql.$queryRawUnsafe<HitRow[]>(
      `SELECT i.identifier, i.role, e.seq, e.event_id, e.event_hash_id, e.disclosures, l.leaf_index
         FROM event_identifiers i
         JOIN events e ON e.seq = i.event_seq
         JOIN log_leaves l ON l.event_seq = e.seq
        WHERE i.identifier = ANY($1::text[])
        ORDER BY e.event_time, e.seq
        LIMIT $2`,
      [...identifiers],
      limit,
    );
    return rows.map((row) => ({
      identifier: row.identifier,
      role: row.role,
      event: {
        seq: Number(row.seq),
        eventId: row.event_id,
        eventHashId: row.event_hash_id,
        disclosures: row.disclosures,
        leafIndex: Number(row.leaf_index),
      },
    }));
  }

  /** Every identifier each of the events (by seq) names, with its role. */
  async identifiersOf(
    seqs: readonly number[],
  ): Promise<Map<number, { role: IdentifierRole; identifier: string }[]>> {
    const found = new Map<number, { role: IdentifierRole; identifier: string }[]>();
    if (seqs.length === 0) return found;
    const rows = await this.prisma.sql.$queryRawUnsafe<
      { event_seq: bigint; role: IdentifierRole; identifier: string }[]
    >(
      'SELECT event_seq, role, identifier FROM event_identifiers WHERE event_seq = ANY($1::bigint[])',
      seqs.map((seq) => BigInt(seq)),
    );
    for (const row of rows) {
      const seq = Number(row.event_seq);
      const list = found.get(seq) ?? [];
      list.push({ role: row.role, identifier: row.identifier });
      found.set(seq, list);
    }
    return found;
  }
}
