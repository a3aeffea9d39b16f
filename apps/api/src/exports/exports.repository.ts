import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';

/** The event index reads the FSMA 204 export needs beyond the trace (raw SQL, ADR 0007). */
@Injectable()
export class ExportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  private get db(): Sql {
    return this.prisma.sql;
  }

  /**
   * The lots of a GTIN (canonical Digital Links `https://id.gs1.org/01/{gtin}/10/…`) that events
   * in [from, to) name, at most `limit`. A range on the event index's primary key (identifier
   * first; byte order, so the prefix is one range), then the events' times.
   */
  async lotsOfGtin(gtin14: string, from: Date, to: Date, limit: number): Promise<string[]> {
    const prefix = `https://id.gs1.org/01/${gtin14}/10/`;
    const rows = await this.db.$queryRawUnsafe<{ identifier: string }[]>(
      `SELECT DISTINCT i.identifier
         FROM event_identifiers i JOIN events e ON e.seq = i.event_seq
        WHERE i.identifier >= $1 AND i.identifier < $2
          AND e.event_time >= $3 AND e.event_time < $4
        ORDER BY i.identifier
        LIMIT $5`,
      prefix,
      `${prefix.slice(0, -1)}0`,
      from,
      to,
      limit,
    );
    return rows.map((row) => row.identifier);
  }
}
