import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';
import type { AffectedSnapshot } from './recalls.dto.js';

/** A recall as stored (the recalls table; written once, with its events). */
export type RecallRecord = {
  id: string;
  organizationId: string;
  apiKeyId: string | null;
  reason: string;
  classification: string | null;
  contact: string | null;
  identifiers: string[];
  eventIds: string[];
  affected: AffectedSnapshot;
  recalledAt: Date;
  createdAt: Date;
};

/** A recall as GET /recalls lists it: the sizes of its affected lists instead of the lists. */
export type RecallListRecord = Omit<RecallRecord, 'affected'> & {
  counts: { lots: number; epcs: number; locations: number; parties: number };
  truncated: boolean;
};

/** Where a page of recalls ends (newest first): the last one's createdAt and id. */
export type RecallPosition = { createdAt: Date; id: string };

type RecallRow = {
  id: string;
  organization_id: string;
  api_key_id: string | null;
  reason: string;
  classification: string | null;
  contact: string | null;
  identifiers: string[];
  event_ids: string[];
  affected: AffectedSnapshot;
  recalled_at: Date;
  created_at: Date;
};

type RecallListRow = Omit<RecallRow, 'affected'> & {
  counts: RecallListRecord['counts'];
  truncated: boolean;
};

const COLUMNS = `id, organization_id, api_key_id, reason, classification, contact, identifiers,
  event_ids, affected, recalled_at, created_at`;

const toFields = (row: Omit<RecallRow, 'affected'>): Omit<RecallRecord, 'affected'> => ({
  id: row.id,
  organizationId: row.organization_id,
  apiKeyId: row.api_key_id,
  reason: row.reason,
  classification: row.classification,
  contact: row.contact,
  identifiers: row.identifiers,
  eventIds: row.event_ids,
  recalledAt: new Date(row.recalled_at),
  createdAt: new Date(row.created_at),
});

const toRecord = (row: RecallRow): RecallRecord => ({ ...toFields(row), affected: row.affected });

/** The recalls table (raw SQL on the ledger's connection pool, ADR 0007). */
@Injectable()
export class RecallsRepository {
  constructor(private readonly prisma: PrismaService) {}

  private get db(): Sql {
    return this.prisma.sql;
  }

  /** Inserts a recall inside `tx` (the transaction that sequences its events). */
  async insert(recall: RecallRecord, tx: Sql): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO recalls (${COLUMNS})
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7::text[], $8::text[], $9::jsonb, $10, $11)`,
      recall.id,
      recall.organizationId,
      recall.apiKeyId,
      recall.reason,
      recall.classification,
      recall.contact,
      recall.identifiers,
      recall.eventIds,
      JSON.stringify(recall.affected),
      recall.recalledAt,
      recall.createdAt,
    );
  }

  async find(id: string): Promise<RecallRecord | null> {
    const rows = await this.db.$queryRawUnsafe<RecallRow[]>(
      `SELECT ${COLUMNS} FROM recalls WHERE id = $1::uuid`,
      id,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Recalls newest first, after `before` (keyset paging), at most `limit`: the affected lists are
   * counted in SQL, not read (a recall of a lot of serialised items lists thousands).
   */
  async list(before: RecallPosition | null, limit: number): Promise<RecallListRecord[]> {
    const columns = `id, organization_id, api_key_id, reason, classification, contact, identifiers,
      event_ids, recalled_at, created_at,
      jsonb_build_object(
        'lots', jsonb_array_length(affected->'lots'), 'epcs', jsonb_array_length(affected->'epcs'),
        'locations', jsonb_array_length(affected->'locations'),
        'parties', jsonb_array_length(affected->'parties')) AS counts,
      coalesce((affected->>'truncated')::boolean, false) AS truncated`;
    const rows = before
      ? await this.db.$queryRawUnsafe<RecallListRow[]>(
          `SELECT ${columns} FROM recalls WHERE (created_at, id) < ($1, $2::uuid)
           ORDER BY created_at DESC, id DESC LIMIT $3`,
          before.createdAt,
          before.id,
          limit,
        )
      : await this.db.$queryRawUnsafe<RecallListRow[]>(
          `SELECT ${columns} FROM recalls ORDER BY created_at DESC, id DESC LIMIT $1`,
          limit,
        );
    return rows.map((row) => ({ ...toFields(row), counts: row.counts, truncated: row.truncated }));
  }
}
