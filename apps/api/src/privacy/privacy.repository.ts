import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';

/** An organization_keys row. `wrapped` null: destroyed (erased). */
export type OrganizationKeyRow = {
  id: string;
  organizationId: string;
  kekId: string;
  wrapped: Uint8Array | null;
};

/** An event's key with its organization key (for unwrapping); absent when erased. */
export type EventKeyRow = {
  eventSeq: number;
  wrapped: Uint8Array;
  organizationKey: OrganizationKeyRow;
};

type OrgKeyDb = { id: string; organization_id: string; kek_id: string; wrapped: Uint8Array | null };

const toOrgKey = (row: OrgKeyDb): OrganizationKeyRow => ({
  id: row.id,
  organizationId: row.organization_id,
  kekId: row.kek_id,
  wrapped: row.wrapped === null ? null : new Uint8Array(row.wrapped),
});

/** Policies, data keys and event keys (docs/specs/privacy.md). */
@Injectable()
export class PrivacyRepository {
  constructor(private readonly prisma: PrismaService) {}

  get db(): Sql {
    return this.prisma.sql;
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.prisma.sql.$transaction(fn);
  }

  async organization(id: string): Promise<{ id: string; gln: string | null } | null> {
    const rows = await this.db.$queryRawUnsafe<{ id: string; gln: string | null }[]>(
      'SELECT id, gln FROM organizations WHERE id = $1::uuid',
      id,
    );
    return rows[0] ?? null;
  }

  async policy(organizationId: string): Promise<{ policy: unknown; updatedAt: Date } | null> {
    const rows = await this.db.$queryRawUnsafe<{ policy: unknown; updated_at: Date }[]>(
      'SELECT policy, updated_at FROM organization_policies WHERE organization_id = $1::uuid',
      organizationId,
    );
    return rows[0] ? { policy: rows[0].policy, updatedAt: rows[0].updated_at } : null;
  }

  async putPolicy(organizationId: string, policy: unknown, db: Sql = this.db): Promise<Date> {
    const rows = await db.$queryRawUnsafe<{ updated_at: Date }[]>(
      `INSERT INTO organization_policies (organization_id, policy, updated_at) VALUES ($1::uuid, $2::jsonb, now())
       ON CONFLICT (organization_id) DO UPDATE SET policy = EXCLUDED.policy, updated_at = EXCLUDED.updated_at
       RETURNING updated_at`,
      organizationId,
      JSON.stringify(policy),
    );
    return rows[0]!.updated_at;
  }

  /** The organization's live data key, or null. */
  async liveKey(organizationId: string): Promise<OrganizationKeyRow | null> {
    const rows = await this.db.$queryRawUnsafe<OrgKeyDb[]>(
      `SELECT id, organization_id, kek_id, wrapped FROM organization_keys
       WHERE organization_id = $1::uuid AND destroyed_at IS NULL`,
      organizationId,
    );
    return rows[0] ? toOrgKey(rows[0]) : null;
  }

  /**
   * Stores a new live data key unless one exists (two processes may race: the unique index on
   * live keys lets one win); returns the live key.
   */
  async createLiveKey(
    organizationId: string,
    kekId: string,
    wrapped: Uint8Array,
  ): Promise<OrganizationKeyRow> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO organization_keys (organization_id, kek_id, wrapped) VALUES ($1::uuid, $2, $3)
       ON CONFLICT (organization_id) WHERE destroyed_at IS NULL DO NOTHING`,
      organizationId,
      kekId,
      Buffer.from(wrapped),
    );
    return (await this.liveKey(organizationId))!;
  }

  /** The keys of these events that still exist, with their organization keys. */
  async eventKeys(seqs: readonly number[]): Promise<Map<number, EventKeyRow>> {
    if (seqs.length === 0) return new Map();
    const rows = await this.db.$queryRawUnsafe<
      (OrgKeyDb & { event_seq: bigint; event_wrapped: Uint8Array })[]
    >(
      `SELECT ek.event_seq, ek.wrapped AS event_wrapped, ok.id, ok.organization_id, ok.kek_id, ok.wrapped
       FROM event_keys ek JOIN organization_keys ok ON ok.id = ek.organization_key_id
       WHERE ek.event_seq = ANY($1::bigint[])`,
      seqs.map(BigInt),
    );
    return new Map(
      rows.map((row) => [
        Number(row.event_seq),
        {
          eventSeq: Number(row.event_seq),
          wrapped: new Uint8Array(row.event_wrapped),
          organizationKey: toOrgKey(row),
        },
      ]),
    );
  }

  /**
   * Among `seqs`, the events that share an identifier (event_identifiers, any role) with an
   * event `organizationId` recorded: linked sharing.
   */
  async linkedEvents(organizationId: string, seqs: readonly number[]): Promise<Set<number>> {
    if (seqs.length === 0) return new Set();
    const rows = await this.db.$queryRawUnsafe<{ event_seq: bigint }[]>(
      `SELECT DISTINCT a.event_seq FROM event_identifiers a
       WHERE a.event_seq = ANY($2::bigint[]) AND EXISTS (
         SELECT 1 FROM event_identifiers b JOIN events o ON o.seq = b.event_seq
         WHERE b.identifier = a.identifier AND o.organization_id = $1::uuid)`,
      organizationId,
      seqs.map(BigInt),
    );
    return new Set(rows.map((row) => Number(row.event_seq)));
  }

  /** The event's seq and owner, by eventID. */
  async eventOwner(eventId: string): Promise<{ seq: number; organizationId: string } | null> {
    const rows = await this.db.$queryRawUnsafe<{ seq: bigint; organization_id: string }[]>(
      'SELECT seq, organization_id FROM events WHERE event_id = $1',
      eventId,
    );
    return rows[0] ? { seq: Number(rows[0].seq), organizationId: rows[0].organization_id } : null;
  }

  /** Crypto-shredding of one event: its key row is deleted. Returns whether it had one. */
  async eraseEvent(seq: number, db: Sql = this.db): Promise<boolean> {
    const count = await db.$executeRawUnsafe(
      'DELETE FROM event_keys WHERE event_seq = $1',
      BigInt(seq),
    );
    return count > 0;
  }

  /**
   * Crypto-shredding of an organization: every data key it has is destroyed (key material
   * dropped) and its events' keys deleted. Returns the number of data keys destroyed.
   */
  async eraseOrganization(organizationId: string, db: Sql = this.db): Promise<number> {
    await db.$executeRawUnsafe(
      `DELETE FROM event_keys WHERE organization_key_id IN (
         SELECT id FROM organization_keys WHERE organization_id = $1::uuid)`,
      organizationId,
    );
    return db.$executeRawUnsafe(
      `UPDATE organization_keys SET wrapped = NULL, destroyed_at = now()
       WHERE organization_id = $1::uuid AND destroyed_at IS NULL`,
      organizationId,
    );
  }

  /** Live data keys not wrapped by `kekId`, at most `limit` (key rotation, in batches). */
  async keysNotWrappedBy(kekId: string, limit: number): Promise<OrganizationKeyRow[]> {
    const rows = await this.db.$queryRawUnsafe<OrgKeyDb[]>(
      `SELECT id, organization_id, kek_id, wrapped FROM organization_keys
       WHERE destroyed_at IS NULL AND kek_id <> $1 ORDER BY id LIMIT $2`,
      kekId,
      limit,
    );
    return rows.map(toOrgKey);
  }

  /** Re-wraps one data key, if it is still live and still wrapped by `fromKekId`. */
  async rewrap(
    id: string,
    fromKekId: string,
    kekId: string,
    wrapped: Uint8Array,
  ): Promise<boolean> {
    const count = await this.db.$executeRawUnsafe(
      `UPDATE organization_keys SET kek_id = $3, wrapped = $4
       WHERE id = $1::uuid AND kek_id = $2 AND destroyed_at IS NULL`,
      id,
      fromKekId,
      kekId,
      Buffer.from(wrapped),
    );
    return count > 0;
  }
}
