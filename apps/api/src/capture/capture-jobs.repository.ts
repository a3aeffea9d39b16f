import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import { storableText } from '../events/storable-json.js';
import type { Sql } from '../ledger/ledger.repository.js';

export type CaptureErrorBehaviour = 'rollback' | 'proceed';

export type CaptureJobRecord = {
  id: string;
  organizationId: string;
  status: 'RUNNING' | 'SUCCESS' | 'FAILED';
  errorBehaviour: CaptureErrorBehaviour;
  eventCount: number;
  errors: readonly { pointer: string; message: string; exception: string }[];
  createdAt: Date;
  finishedAt: Date | null;
};

/** Where a page of capture jobs ends: the sort key of its last (oldest) job. */
export type CaptureJobPosition = { createdAt: Date; id: string };

type JobRow = {
  id: string;
  organization_id: string;
  status: CaptureJobRecord['status'];
  error_behaviour: CaptureErrorBehaviour;
  event_count: number;
  errors: CaptureJobRecord['errors'] | null;
  created_at: Date;
  finished_at: Date | null;
};

const toRecord = (row: JobRow): CaptureJobRecord => ({
  id: row.id,
  organizationId: row.organization_id,
  status: row.status,
  errorBehaviour: row.error_behaviour,
  eventCount: row.event_count,
  errors: row.errors ?? [],
  createdAt: new Date(row.created_at),
  finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
});

const COLUMNS =
  'id, organization_id, status, error_behaviour, event_count, errors, created_at, finished_at';

/** Capture jobs (EPCIS 2.0 REST binding): written once, in the capture's own transaction. */
@Injectable()
export class CaptureJobsRepository {
  constructor(private readonly prisma: PrismaService) {}

  private get db(): Sql {
    return this.prisma.sql;
  }

  async insert(job: CaptureJobRecord, db: Sql): Promise<void> {
    await db.$executeRawUnsafe(
      `INSERT INTO capture_jobs (${COLUMNS}) VALUES ($1::uuid, $2::uuid, $3::capture_job_status, $4, $5, $6::jsonb, $7, $8)`,
      job.id,
      job.organizationId,
      job.status,
      job.errorBehaviour,
      job.eventCount,
      // Messages and pointers quote the body, which may hold text jsonb cannot store.
      JSON.stringify(
        job.errors.map((e) => ({
          ...e,
          pointer: storableText(e.pointer),
          message: storableText(e.message),
        })),
      ),
      job.createdAt,
      job.finishedAt,
    );
  }

  async find(id: string, organizationId: string): Promise<CaptureJobRecord | null> {
    const rows = await this.db.$queryRawUnsafe<JobRow[]>(
      `SELECT ${COLUMNS} FROM capture_jobs WHERE id = $1::uuid AND organization_id = $2::uuid`,
      id,
      organizationId,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * A page of an organization's capture jobs, newest first: ordered by (created_at, id)
   * descending, and after `before` when given (keyset paging: a job inserted while a client pages
   * sorts before its position, so no job already listed moves and none is served twice).
   * created_at is timestamptz(3), so a millisecond Date is its exact value.
   */
  async list(
    organizationId: string,
    before: CaptureJobPosition | null,
    limit: number,
  ): Promise<CaptureJobRecord[]> {
    const rows =
      before === null
        ? await this.db.$queryRawUnsafe<JobRow[]>(
            `SELECT ${COLUMNS} FROM capture_jobs WHERE organization_id = $1::uuid
             ORDER BY created_at DESC, id DESC LIMIT $2`,
            organizationId,
            limit,
          )
        : await this.db.$queryRawUnsafe<JobRow[]>(
            `SELECT ${COLUMNS} FROM capture_jobs WHERE organization_id = $1::uuid
               AND (created_at, id) < ($3::timestamptz, $4::uuid)
             ORDER BY created_at DESC, id DESC LIMIT $2`,
            organizationId,
            limit,
            before.createdAt,
            before.id,
          );
    return rows.map(toRecord);
  }
}
