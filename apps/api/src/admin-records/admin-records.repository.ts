import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';
import {
  type AdminAction,
  type AdminRecord,
  adminEventId,
  OPERATOR_ORGANIZATION_ID,
  OPERATOR_ORGANIZATION_NAME,
} from './admin-action.js';

/** A recorded action with the place of its event in the log. */
export type StoredAdminAction = AdminRecord & { eventId: string; leafIndex: number };

type ActionRow = {
  id: string;
  at: Date;
  actor_key_id: string | null;
  actor_organization_id: string | null;
  action: string;
  organization_id: string | null;
  target: string | null;
  details: Record<string, unknown>;
  event_id: string;
  leaf_index: bigint;
};

/** admin_actions (append-only) and the operator organization; raw SQL on the caller's transaction. */
@Injectable()
export class AdminRecordsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the operator organization unless it exists (concurrent callers: one wins, none fail). */
  async ensureOperatorOrganization(db: Sql = this.prisma.sql): Promise<void> {
    await db.$executeRawUnsafe(
      'INSERT INTO organizations (id, name, gln) VALUES ($1::uuid, $2, NULL) ON CONFLICT (id) DO NOTHING',
      OPERATOR_ORGANIZATION_ID,
      OPERATOR_ORGANIZATION_NAME,
    );
  }

  async insert(tx: Sql, record: AdminRecord): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO admin_actions
         (id, at, actor_key_id, actor_organization_id, action, organization_id, target, details, event_id)
       VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5, $6::uuid, $7, $8::jsonb, $9)`,
      record.id,
      record.at,
      record.actorKeyId,
      record.actorOrganizationId,
      record.action,
      record.organizationId,
      record.target,
      JSON.stringify(record.details),
      adminEventId(record.id),
    );
  }

  /**
   * Actions in log order (their events' leaf indexes), those after leaf `afterLeafIndex`, at most
   * `limit`; only those on `organizationId` when given. Leaf indexes are gap-free in commit order,
   * so paging by them never skips an action that committed late.
   */
  async list(options: {
    organizationId: string | null;
    afterLeafIndex: number;
    limit: number;
  }): Promise<StoredAdminAction[]> {
    const rows = await this.prisma.sql.$queryRawUnsafe<ActionRow[]>(
      `SELECT a.id, a.at, a.actor_key_id, a.actor_organization_id, a.action, a.organization_id,
              a.target, a.details, a.event_id, e.leaf_index
         FROM admin_actions a JOIN events e ON e.event_id = a.event_id
        WHERE e.leaf_index > $1 AND ($2::uuid IS NULL OR a.organization_id = $2::uuid)
        ORDER BY e.leaf_index
        LIMIT $3`,
      BigInt(options.afterLeafIndex),
      options.organizationId,
      options.limit,
    );
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      action: row.action as AdminAction,
      actorKeyId: row.actor_key_id,
      actorOrganizationId: row.actor_organization_id ?? OPERATOR_ORGANIZATION_ID,
      organizationId: row.organization_id,
      target: row.target,
      details: row.details,
      eventId: row.event_id,
      leafIndex: Number(row.leaf_index),
    }));
  }
}
