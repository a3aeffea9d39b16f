import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { IdentifierRole } from '../events/prepare-event.js';
import type { Sql } from '../ledger/ledger.repository.js';
import type { FarApart, LocatedScan, Position } from './scan-rules.js';

/** The scan telemetry of one item. */
export type ScannedItem = {
  identifier: string;
  scanCount: number;
  firstScannedAt: Date;
  lastScannedAt: Date;
  farApart: FarApart | null;
};

type ItemRow = {
  identifier: string;
  scan_count: number;
  first_scanned_at: Date;
  last_scanned_at: Date;
  far_apart: FarApart | null;
};

const toItem = (row: ItemRow): ScannedItem => ({
  identifier: row.identifier,
  scanCount: row.scan_count,
  firstScannedAt: new Date(row.first_scanned_at),
  lastScannedAt: new Date(row.last_scanned_at),
  farApart: row.far_apart,
});

const ITEM_COLUMNS = 'identifier, scan_count, first_scanned_at, last_scanned_at, far_apart';

/** The roles of event_identifiers that name an object instance (the others name a class). */
const INSTANCE_ROLES: readonly IdentifierRole[] = [
  'epc',
  'parentID',
  'childEPC',
  'inputEPC',
  'outputEPC',
];

/**
 * scanned_items and scans, and the event index items are checked against (raw SQL; small
 * statements, one item at a time).
 */
@Injectable()
export class ScansRepository {
  constructor(private readonly prisma: PrismaService) {}

  private get db(): Sql {
    return this.prisma.sql;
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.prisma.sql.$transaction(fn);
  }

  /**
   * Whether a recorded event names `identifier` (a canonical Digital Link URI) as an object
   * instance: the ledger knows the item. One probe of event_identifiers' primary key
   * (identifier, role, event_seq).
   */
  async isRecordedItem(identifier: string): Promise<boolean> {
    const rows = await this.db.$queryRawUnsafe<{ recorded: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM event_identifiers
                       WHERE identifier = $1 AND role = ANY($2::text[])) AS recorded`,
      identifier,
      [...INSTANCE_ROLES],
    );
    return rows[0]?.recorded === true;
  }

  /**
   * Counts one more scan of `identifier` at `at` (creating its row on the first), and holds the
   * row's lock until `tx` ends: scans of one item are recorded one at a time.
   */
  async countScan(identifier: string, at: Date, tx: Sql): Promise<ScannedItem> {
    const rows = await tx.$queryRawUnsafe<ItemRow[]>(
      `INSERT INTO scanned_items (identifier, scan_count, first_scanned_at, last_scanned_at)
       VALUES ($1, 1, $2, $2)
       ON CONFLICT (identifier) DO UPDATE SET scan_count = scanned_items.scan_count + 1,
         last_scanned_at = greatest(scanned_items.last_scanned_at, excluded.last_scanned_at)
       RETURNING ${ITEM_COLUMNS}`,
      identifier,
      at,
    );
    return toItem(rows[0]!);
  }

  async findItem(identifier: string): Promise<ScannedItem | null> {
    const rows = await this.db.$queryRawUnsafe<ItemRow[]>(
      `SELECT ${ITEM_COLUMNS} FROM scanned_items WHERE identifier = $1`,
      identifier,
    );
    return rows[0] ? toItem(rows[0]) : null;
  }

  /** The kept scans of `identifier` that have a position. */
  async findLocatedScans(identifier: string, tx: Sql): Promise<LocatedScan[]> {
    const rows = await tx.$queryRawUnsafe<
      { scanned_at: Date; latitude: number; longitude: number }[]
    >(
      `SELECT scanned_at, latitude::float8 AS latitude, longitude::float8 AS longitude FROM scans
       WHERE identifier = $1 AND latitude IS NOT NULL`,
      identifier,
    );
    return rows.map((row) => ({
      scannedAt: new Date(row.scanned_at),
      latitude: row.latitude,
      longitude: row.longitude,
    }));
  }

  async insertScan(
    identifier: string,
    at: Date,
    position: Position | null,
    tx: Sql,
  ): Promise<void> {
    await tx.$executeRawUnsafe(
      'INSERT INTO scans (identifier, scanned_at, latitude, longitude) VALUES ($1, $2, $3, $4)',
      identifier,
      at,
      position?.latitude ?? null,
      position?.longitude ?? null,
    );
  }

  /** Keeps only the latest `keep` scans of `identifier`. */
  async trimScans(identifier: string, keep: number, tx: Sql): Promise<void> {
    await tx.$executeRawUnsafe(
      `DELETE FROM scans WHERE identifier = $1 AND id NOT IN (
         SELECT id FROM scans WHERE identifier = $1 ORDER BY scanned_at DESC, id DESC LIMIT $2)`,
      identifier,
      keep,
    );
  }

  async setFarApart(identifier: string, evidence: FarApart, tx: Sql): Promise<void> {
    await tx.$executeRawUnsafe(
      'UPDATE scanned_items SET far_apart = $2::jsonb WHERE identifier = $1 AND far_apart IS NULL',
      identifier,
      JSON.stringify(evidence),
    );
  }

  /** Deletes scans older than `cutoff`, and the items not scanned since (with their counts). */
  async deleteBefore(cutoff: Date): Promise<{ scans: number; items: number }> {
    return this.transaction(async (tx) => ({
      scans: await tx.$executeRawUnsafe('DELETE FROM scans WHERE scanned_at < $1', cutoff),
      items: await tx.$executeRawUnsafe(
        'DELETE FROM scanned_items WHERE last_scanned_at < $1',
        cutoff,
      ),
    }));
  }
}
