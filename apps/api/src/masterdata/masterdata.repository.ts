import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';
import type { Attributes } from './masterdata.dto.js';
import type { RecordKind } from './record-key.js';

export type VersionSource = 'api' | 'epcis';

/** A record: what it describes and which organization owns it (the one that created it). */
export type StoredRecord = { id: string; kind: RecordKind; ownerOrganizationId: string };

/** One version of a record, as master_data_versions stores it. */
export type StoredVersion = {
  recordId: string;
  kind: RecordKind;
  ownerOrganizationId: string;
  version: number;
  validFrom: Date;
  recordedAt: Date;
  organizationId: string;
  apiKeyId: string | null;
  source: VersionSource;
  captureJobId: string | null;
  attributes: Attributes;
  privateAttributes: Record<string, unknown> | null;
};

/** A version to append: `version` is the record's next number (the writer holds its lock). */
export type NewVersion = Omit<StoredVersion, 'kind' | 'ownerOrganizationId' | 'recordedAt'>;

type VersionRow = {
  record_id: string;
  kind: RecordKind;
  owner_organization_id: string;
  version: number;
  valid_from: Date;
  recorded_at: Date;
  organization_id: string;
  api_key_id: string | null;
  source: VersionSource;
  capture_job_id: string | null;
  attributes: Attributes;
  private_attributes: Record<string, unknown> | null;
};

const toVersion = (row: VersionRow): StoredVersion => ({
  recordId: row.record_id,
  kind: row.kind,
  ownerOrganizationId: row.owner_organization_id,
  version: row.version,
  validFrom: new Date(row.valid_from),
  recordedAt: new Date(row.recorded_at),
  organizationId: row.organization_id,
  apiKeyId: row.api_key_id,
  source: row.source,
  captureJobId: row.capture_job_id,
  attributes: row.attributes,
  privateAttributes: row.private_attributes,
});

const SELECT_VERSION = `SELECT v.record_id, r.kind, r.owner_organization_id, v.version, v.valid_from,
    v.recorded_at, v.organization_id, v.api_key_id, v.source, v.capture_job_id, v.attributes,
    v.private_attributes
  FROM master_data_versions v JOIN master_data_records r ON r.id = v.record_id`;

/** The namespace of the record advisory locks (pg_advisory_xact_lock(int, int)): "MD". */
const RECORD_LOCK_SPACE = 0x4d44;

/**
 * The records' advisory locks: one per bucket of record IDs (hashtext(id) modulo this), so that
 * a transaction holds at most this many however many records it writes. PostgreSQL keeps
 * advisory locks in a shared table (max_locks_per_transaction × max_connections entries, 6,400
 * by default): one lock per record ran it out ("out of shared memory") for a capture of a few
 * thousand vocabulary elements.
 */
export const RECORD_LOCK_BUCKETS = 256;

/**
 * Master data records and their append-only versions (raw SQL: the same statements run inside the
 * capture transaction, which is a node-postgres transaction, ADR 0007).
 */
@Injectable()
export class MasterDataRepository {
  constructor(private readonly prisma: PrismaService) {}

  get db(): Sql {
    return this.prisma.sql;
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.prisma.sql.$transaction(fn);
  }

  /**
   * Serialises writers of the same records until `tx` ends: transaction-scoped advisory locks on
   * the records' buckets (RECORD_LOCK_BUCKETS), taken in ascending bucket order, so two writers of
   * overlapping sets cannot deadlock. A record that does not exist yet is locked too: two first
   * writes cannot both create it. Writers of different records in the same bucket wait for each
   * other too: master data is written rarely, and a bulk write takes at most every bucket.
   */
  async lockRecords(ids: readonly string[], tx: Sql): Promise<void> {
    if (ids.length === 0) return;
    // OFFSET 0 keeps the sort below the lock calls: locks are taken in bucket order.
    await tx.$queryRawUnsafe(
      `SELECT pg_advisory_xact_lock(${RECORD_LOCK_SPACE}, bucket)
       FROM (SELECT DISTINCT abs(hashtext(id) % ${RECORD_LOCK_BUCKETS}) AS bucket
             FROM unnest($1::text[]) AS u(id) ORDER BY bucket OFFSET 0) AS sorted`,
      [...ids],
    );
  }

  async findRecords(ids: readonly string[], db: Sql = this.db): Promise<Map<string, StoredRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await db.$queryRawUnsafe<
      { id: string; kind: RecordKind; owner_organization_id: string }[]
    >(
      'SELECT id, kind, owner_organization_id FROM master_data_records WHERE id = ANY($1::text[])',
      [...ids],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        { id: row.id, kind: row.kind, ownerOrganizationId: row.owner_organization_id },
      ]),
    );
  }

  /** Creates records (their creator owns them); ones that exist are left as they are. */
  async insertRecords(records: readonly StoredRecord[], tx: Sql): Promise<void> {
    if (records.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO master_data_records (id, kind, owner_organization_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])
       ON CONFLICT (id) DO NOTHING`,
      records.map((r) => r.id),
      records.map((r) => r.kind),
      records.map((r) => r.ownerOrganizationId),
    );
  }

  /**
   * Per record, the version valid at `at`: the latest valid_from ≤ at, the highest version among
   * equal valid_from (a later correction of the same instant wins).
   */
  async findVersionsAt(
    ids: readonly string[],
    at: Date,
    db: Sql = this.db,
  ): Promise<Map<string, StoredVersion>> {
    if (ids.length === 0) return new Map();
    const rows = await db.$queryRawUnsafe<VersionRow[]>(
      `SELECT DISTINCT ON (v.record_id) * FROM (${SELECT_VERSION}
         WHERE v.record_id = ANY($1::text[]) AND v.valid_from <= $2::timestamptz) AS v
       ORDER BY v.record_id, v.valid_from DESC, v.version DESC`,
      [...ids],
      at,
    );
    return new Map(rows.map((row) => [row.record_id, toVersion(row)]));
  }

  /** The highest version number of each record that has one. */
  async findLatestVersionNumbers(ids: readonly string[], tx: Sql): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ record_id: string; version: number }[]>(
      `SELECT record_id, max(version) AS version FROM master_data_versions
       WHERE record_id = ANY($1::text[]) GROUP BY record_id`,
      [...ids],
    );
    return new Map(rows.map((row) => [row.record_id, Number(row.version)]));
  }

  async insertVersions(versions: readonly NewVersion[], tx: Sql): Promise<void> {
    if (versions.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO master_data_versions (record_id, version, valid_from, organization_id,
         api_key_id, source, capture_job_id, attributes, private_attributes)
       SELECT v.record_id, v.version, v.valid_from, v.organization_id, v.api_key_id, v.source,
         v.capture_job_id, a.attributes, nullif(p.private_attributes, 'null'::jsonb)
       FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::uuid[], $5::uuid[], $6::text[],
           $7::uuid[]) WITH ORDINALITY
           AS v(record_id, version, valid_from, organization_id, api_key_id, source, capture_job_id, ord)
         JOIN jsonb_array_elements($8::jsonb) WITH ORDINALITY AS a(attributes, ord) USING (ord)
         JOIN jsonb_array_elements($9::jsonb) WITH ORDINALITY AS p(private_attributes, ord) USING (ord)`,
      versions.map((v) => v.recordId),
      versions.map((v) => v.version),
      versions.map((v) => v.validFrom),
      versions.map((v) => v.organizationId),
      versions.map((v) => v.apiKeyId),
      versions.map((v) => v.source),
      versions.map((v) => v.captureJobId),
      JSON.stringify(versions.map((v) => v.attributes)),
      JSON.stringify(versions.map((v) => v.privateAttributes)),
    );
  }

  /** Every version of the records `ids`, newest (highest version) first per record. */
  async listVersions(ids: readonly string[], db: Sql = this.db): Promise<StoredVersion[]> {
    if (ids.length === 0) return [];
    const rows = await db.$queryRawUnsafe<VersionRow[]>(
      `${SELECT_VERSION} WHERE v.record_id = ANY($1::text[]) ORDER BY v.record_id, v.version DESC`,
      [...ids],
    );
    return rows.map(toVersion);
  }
}
