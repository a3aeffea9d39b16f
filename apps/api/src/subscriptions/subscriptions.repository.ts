import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';
import type { QuerySchedule } from './query-schedule.js';

/** A named query as stored. */
export type StoredNamedQuery = {
  organizationId: string;
  name: string;
  query: Record<string, unknown>;
  createdAt: Date;
};

/** The outcome of a subscription's latest callback. */
export type LastDelivery = {
  attemptedAt: Date;
  durationMs: number;
  eventCount: number;
  firstLeafIndex: number | null;
  lastLeafIndex: number | null;
  status: number | null;
  error: string | null;
  acknowledged: boolean;
};

/** A subscription as stored, with its latest attempt (never its signatureToken: see DueSubscription). */
export type StoredSubscription = {
  id: string;
  organizationId: string;
  queryName: string;
  dest: string;
  hasSignatureToken: boolean;
  stream: boolean;
  schedule: QuerySchedule | null;
  reportIfEmpty: boolean;
  initialRecordTime: Date | null;
  epcFormat: string | null;
  createdAt: Date;
  cursorLeafIndex: number;
  dueAt: Date;
  failures: number;
  lastNotifiedAt: Date | null;
  lastDelivery: LastDelivery | null;
};

/** A subscription a delivery worker has claimed: what it needs to deliver, secret included. */
/** A claimed subscription and the head of the log when it was claimed (claimDue). */
export type DueClaim = { due: DueSubscription; head: number };

export type DueSubscription = {
  id: string;
  organizationId: string;
  queryName: string;
  query: Record<string, unknown> | null;
  dest: string;
  signatureToken: string | null;
  stream: boolean;
  schedule: QuerySchedule | null;
  reportIfEmpty: boolean;
  epcFormat: string | null;
  cursorLeafIndex: number;
  catchingUp: boolean;
  failures: number;
};

export type NewSubscription = {
  organizationId: string;
  queryName: string;
  dest: string;
  signatureToken: string | null;
  stream: boolean;
  schedule: QuerySchedule | null;
  reportIfEmpty: boolean;
  initialRecordTime: Date | null;
  epcFormat: string | null;
  /** Stream: now; scheduled: the first scheduled time. */
  dueAt: Date;
};

/** What a worker writes back when it is done with a claimed subscription. */
export type SubscriptionProgress = {
  cursorLeafIndex: number;
  dueAt: Date;
  catchingUp: boolean;
  failures: number;
  /** Set when the receiver acknowledged (2xx). */
  notifiedAt: Date | null;
};

/** One callback attempt to record. */
export type DeliveryRecord = Omit<LastDelivery, 'attemptedAt'> & { attemptedAt: Date };

/** Attempts kept per subscription (older ones are deleted as new ones are recorded). */
export const DELIVERIES_KEPT = 100;

type NamedQueryRow = {
  organization_id: string;
  name: string;
  query: Record<string, unknown>;
  created_at: Date;
};

type SubscriptionRow = {
  id: string;
  organization_id: string;
  query_name: string;
  dest: string;
  has_signature_token: boolean;
  stream: boolean;
  schedule: QuerySchedule | null;
  report_if_empty: boolean;
  initial_record_time: Date | null;
  epc_format: string | null;
  created_at: Date;
  cursor_leaf_index: bigint;
  due_at: Date;
  failures: number;
  last_notified_at: Date | null;
  d_attempted_at: Date | null;
  d_duration_ms: number | null;
  d_event_count: number | null;
  d_first_leaf_index: bigint | null;
  d_last_leaf_index: bigint | null;
  d_status: number | null;
  d_error: string | null;
  d_acknowledged: boolean | null;
};

type DueRow = {
  id: string;
  organization_id: string;
  query_name: string;
  query: Record<string, unknown> | null;
  dest: string;
  signature_token: string | null;
  stream: boolean;
  schedule: QuerySchedule | null;
  report_if_empty: boolean;
  epc_format: string | null;
  cursor_leaf_index: bigint;
  catching_up: boolean;
  failures: number;
};

const toNamedQuery = (row: NamedQueryRow): StoredNamedQuery => ({
  organizationId: row.organization_id,
  name: row.name,
  query: row.query,
  createdAt: new Date(row.created_at),
});

const numberOrNull = (value: bigint | null): number | null =>
  value === null ? null : Number(value);

const toSubscription = (row: SubscriptionRow): StoredSubscription => ({
  id: row.id,
  organizationId: row.organization_id,
  queryName: row.query_name,
  dest: row.dest,
  hasSignatureToken: row.has_signature_token,
  stream: row.stream,
  schedule: row.schedule,
  reportIfEmpty: row.report_if_empty,
  initialRecordTime: row.initial_record_time === null ? null : new Date(row.initial_record_time),
  epcFormat: row.epc_format,
  createdAt: new Date(row.created_at),
  cursorLeafIndex: Number(row.cursor_leaf_index),
  dueAt: new Date(row.due_at),
  failures: row.failures,
  lastNotifiedAt: row.last_notified_at === null ? null : new Date(row.last_notified_at),
  lastDelivery:
    row.d_attempted_at === null
      ? null
      : {
          attemptedAt: new Date(row.d_attempted_at),
          durationMs: row.d_duration_ms ?? 0,
          eventCount: row.d_event_count ?? 0,
          firstLeafIndex: numberOrNull(row.d_first_leaf_index),
          lastLeafIndex: numberOrNull(row.d_last_leaf_index),
          status: row.d_status,
          error: row.d_error,
          acknowledged: row.d_acknowledged === true,
        },
});

// Never selects signature_token: only the worker's claim reads the secret.
const SUBSCRIPTION_SELECT = `
  SELECT s.id, s.organization_id, s.query_name, s.dest,
         s.signature_token IS NOT NULL AS has_signature_token, s.stream, s.schedule,
         s.report_if_empty, s.initial_record_time, s.epc_format, s.created_at,
         s.cursor_leaf_index, s.due_at, s.failures, s.last_notified_at,
         d.attempted_at AS d_attempted_at, d.duration_ms AS d_duration_ms,
         d.event_count AS d_event_count, d.first_leaf_index AS d_first_leaf_index,
         d.last_leaf_index AS d_last_leaf_index, d.status AS d_status, d.error AS d_error,
         d.acknowledged AS d_acknowledged
    FROM subscriptions s
    LEFT JOIN LATERAL (
      SELECT * FROM subscription_deliveries WHERE subscription_id = s.id ORDER BY id DESC LIMIT 1
    ) d ON true`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pgCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** named_queries, subscriptions and subscription_deliveries (raw SQL, ADR 0007). */
@Injectable()
export class SubscriptionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  private get db(): Sql {
    return this.prisma.sql;
  }

  /** Stores a named query; false when the organization already has one of this name. */
  async insertNamedQuery(
    organizationId: string,
    name: string,
    query: Record<string, unknown>,
  ): Promise<StoredNamedQuery | null> {
    const rows = await this.db.$queryRawUnsafe<NamedQueryRow[]>(
      `INSERT INTO named_queries (organization_id, name, query) VALUES ($1::uuid, $2, $3::jsonb)
       ON CONFLICT DO NOTHING
       RETURNING organization_id, name, query, created_at`,
      organizationId,
      name,
      JSON.stringify(query),
    );
    return rows[0] === undefined ? null : toNamedQuery(rows[0]);
  }

  async findNamedQuery(organizationId: string, name: string): Promise<StoredNamedQuery | null> {
    const rows = await this.db.$queryRawUnsafe<NamedQueryRow[]>(
      `SELECT organization_id, name, query, created_at FROM named_queries
        WHERE organization_id = $1::uuid AND name = $2`,
      organizationId,
      name,
    );
    return rows[0] === undefined ? null : toNamedQuery(rows[0]);
  }

  /** The organization's named queries after `after` (keyset: created_at, name), oldest first. */
  async listNamedQueries(
    organizationId: string,
    after: { createdAt: Date; name: string } | null,
    limit: number,
  ): Promise<StoredNamedQuery[]> {
    const rows = await this.db.$queryRawUnsafe<NamedQueryRow[]>(
      `SELECT organization_id, name, query, created_at FROM named_queries
        WHERE organization_id = $1::uuid
          AND ($2::timestamptz IS NULL OR (created_at, name) > ($2::timestamptz, $3::text))
        ORDER BY created_at, name
        LIMIT $4`,
      organizationId,
      after?.createdAt ?? null,
      after?.name ?? '',
      limit,
    );
    return rows.map(toNamedQuery);
  }

  /** Deletes a named query and (ON DELETE CASCADE) its subscriptions; false when absent. */
  async deleteNamedQuery(organizationId: string, name: string): Promise<boolean> {
    const count = await this.db.$executeRawUnsafe(
      'DELETE FROM named_queries WHERE organization_id = $1::uuid AND name = $2',
      organizationId,
      name,
    );
    return count > 0;
  }

  /**
   * Stores a subscription. Its cursor starts before the first event recorded at or after
   * `initialRecordTime` (by record time), or, without one or when no such event exists yet, at
   * the current head of the log (so only events sequenced from now on are delivered). Null when
   * the named query no longer exists (deleted meanwhile).
   */
  async insertSubscription(subscription: NewSubscription): Promise<StoredSubscription | null> {
    try {
      const rows = await this.db.$queryRawUnsafe<{ id: string }[]>(
        `INSERT INTO subscriptions (organization_id, query_name, dest, signature_token, stream,
                                    schedule, report_if_empty, initial_record_time, epc_format,
                                    cursor_leaf_index, due_at)
         VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, $7, $8::timestamptz, $9,
                 COALESCE(
                   (SELECT leaf_index - 1 FROM events
                     WHERE $8::timestamptz IS NOT NULL AND record_time >= $8::timestamptz
                     ORDER BY record_time, seq LIMIT 1),
                   (SELECT max(leaf_index) FROM log_leaves),
                   -1),
                 $10::timestamptz)
         RETURNING id`,
        subscription.organizationId,
        subscription.queryName,
        subscription.dest,
        subscription.signatureToken,
        subscription.stream,
        subscription.schedule === null ? null : JSON.stringify(subscription.schedule),
        subscription.reportIfEmpty,
        subscription.initialRecordTime,
        subscription.epcFormat,
        subscription.dueAt,
      );
      const id = rows[0]?.id;
      return id === undefined
        ? null
        : this.findSubscription(subscription.organizationId, subscription.queryName, id);
    } catch (error) {
      // 23503: foreign key violation, i.e. the named query is gone.
      if (pgCode(error) === '23503') return null;
      throw error;
    }
  }

  async findSubscription(
    organizationId: string,
    queryName: string,
    id: string,
  ): Promise<StoredSubscription | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.db.$queryRawUnsafe<SubscriptionRow[]>(
      `${SUBSCRIPTION_SELECT}
        WHERE s.organization_id = $1::uuid AND s.query_name = $2 AND s.id = $3::uuid`,
      organizationId,
      queryName,
      id,
    );
    return rows[0] === undefined ? null : toSubscription(rows[0]);
  }

  /** A query's subscriptions after `after` (keyset: created_at, id), oldest first. */
  async listSubscriptions(
    organizationId: string,
    queryName: string,
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<StoredSubscription[]> {
    const rows = await this.db.$queryRawUnsafe<SubscriptionRow[]>(
      `${SUBSCRIPTION_SELECT}
        WHERE s.organization_id = $1::uuid AND s.query_name = $2
          AND ($3::timestamptz IS NULL OR (s.created_at, s.id) > ($3::timestamptz, $4::uuid))
        ORDER BY s.created_at, s.id
        LIMIT $5`,
      organizationId,
      queryName,
      after?.createdAt ?? null,
      after?.id ?? '00000000-0000-0000-0000-000000000000',
      limit,
    );
    return rows.map(toSubscription);
  }

  async deleteSubscription(
    organizationId: string,
    queryName: string,
    id: string,
  ): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const count = await this.db.$executeRawUnsafe(
      `DELETE FROM subscriptions
        WHERE organization_id = $1::uuid AND query_name = $2 AND id = $3::uuid`,
      organizationId,
      queryName,
      id,
    );
    return count > 0;
  }

  /**
   * Claims the subscription most overdue at `now`, if any, for `owner` until `leaseUntil`: a
   * scheduled one whose time has come, or a streaming one whose cursor is below the head of the
   * log, neither leased by a live worker. The row is locked with FOR UPDATE SKIP LOCKED while the
   * lease is written, so two workers (in any processes) never claim the same subscription; the
   * lease keeps it theirs, without holding a connection, while they deliver. One statement (an
   * idle poll costs one round trip); it also answers `head`, the largest leaf index it saw (-1:
   * an empty log): every leaf up to it is committed (ADR 0006).
   */
  async claimDue(owner: string, now: Date, leaseUntil: Date): Promise<DueClaim | null> {
    const rows = await this.db.$queryRawUnsafe<(DueRow & { head: bigint })[]>(
      `WITH head AS (SELECT COALESCE(max(leaf_index), -1) AS leaf FROM log_leaves)
       UPDATE subscriptions s SET lease_owner = $1::uuid, lease_until = $3::timestamptz
         FROM head,
              (SELECT id FROM subscriptions, head
                WHERE due_at <= $2::timestamptz
                  AND (lease_until IS NULL OR lease_until < $2::timestamptz)
                  AND (NOT stream OR cursor_leaf_index < head.leaf)
                ORDER BY due_at
                LIMIT 1
                FOR UPDATE OF subscriptions SKIP LOCKED) due
        WHERE s.id = due.id
        RETURNING s.id, s.organization_id, s.query_name, s.dest, s.signature_token, s.stream,
                  s.schedule, s.report_if_empty, s.epc_format, s.cursor_leaf_index,
                  s.catching_up, s.failures, head.leaf AS head,
                  (SELECT q.query FROM named_queries q
                    WHERE q.organization_id = s.organization_id AND q.name = s.query_name) AS query`,
      owner,
      now,
      leaseUntil,
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      head: Number(row.head),
      due: {
        id: row.id,
        organizationId: row.organization_id,
        queryName: row.query_name,
        query: row.query,
        dest: row.dest,
        signatureToken: row.signature_token,
        stream: row.stream,
        schedule: row.schedule,
        reportIfEmpty: row.report_if_empty,
        epcFormat: row.epc_format,
        cursorLeafIndex: Number(row.cursor_leaf_index),
        catchingUp: row.catching_up,
        failures: row.failures,
      },
    };
  }

  /**
   * Ends `owner`'s claim: writes the progress (the cursor never moves back) and records the
   * attempt, if one was made, in one transaction — so the cursor advances exactly when the
   * acknowledged delivery is recorded. False when the claim was lost (the subscription was
   * deleted, or the lease expired and another worker took it): then nothing is written.
   */
  async complete(
    owner: string,
    id: string,
    progress: SubscriptionProgress,
    delivery: DeliveryRecord | null,
  ): Promise<boolean> {
    return this.prisma.sql.$transaction(async (tx) => {
      const updated = await tx.$executeRawUnsafe(
        `UPDATE subscriptions
            SET cursor_leaf_index = GREATEST(cursor_leaf_index, $3::bigint),
                due_at = $4::timestamptz, catching_up = $5, failures = $6,
                last_notified_at = COALESCE($7::timestamptz, last_notified_at),
                lease_owner = NULL, lease_until = NULL
          WHERE id = $1::uuid AND lease_owner = $2::uuid`,
        id,
        owner,
        progress.cursorLeafIndex,
        progress.dueAt,
        progress.catchingUp,
        progress.failures,
        progress.notifiedAt,
      );
      if (updated === 0) return false;
      if (delivery !== null) await this.recordDelivery(tx, id, delivery);
      return true;
    });
  }

  /** Gives up `owner`'s claims without progress (shutdown): another worker may take them at once. */
  async release(owner: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.$executeRawUnsafe(
      `UPDATE subscriptions SET lease_owner = NULL, lease_until = NULL
        WHERE id = ANY($1::uuid[]) AND lease_owner = $2::uuid`,
      ids,
      owner,
    );
  }

  private async recordDelivery(tx: Sql, id: string, delivery: DeliveryRecord): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO subscription_deliveries (subscription_id, attempted_at, duration_ms, event_count,
                                            first_leaf_index, last_leaf_index, status, error,
                                            acknowledged)
       VALUES ($1::uuid, $2::timestamptz, $3, $4, $5::bigint, $6::bigint, $7, $8, $9)`,
      id,
      delivery.attemptedAt,
      delivery.durationMs,
      delivery.eventCount,
      delivery.firstLeafIndex,
      delivery.lastLeafIndex,
      delivery.status,
      delivery.error,
      delivery.acknowledged,
    );
    await tx.$executeRawUnsafe(
      `DELETE FROM subscription_deliveries
        WHERE subscription_id = $1::uuid
          AND id < (SELECT id FROM subscription_deliveries WHERE subscription_id = $1::uuid
                     ORDER BY id DESC OFFSET $2 LIMIT 1)`,
      id,
      DELIVERIES_KEPT - 1,
    );
  }
}
