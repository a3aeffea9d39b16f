import { Inject, Injectable } from '@nestjs/common';

import { DomainError } from '../common/errors/domain-error.js';
import { ENV, type Env } from '../config/env.js';
import { PrismaService } from '../database/prisma.service.js';
import {
  STORED_EVENT_COLUMNS,
  type StoredEvent,
  type StoredEventRow,
  toStoredEvent,
} from '../events/events.repository.js';
import type { Sql } from '../ledger/ledger.repository.js';
import type { Filter } from './event-query.js';
import { type Keyset, type Order, pageSql, Parameters, whereOf } from './query-sql.js';

type Row = StoredEventRow & { event_time: Date; record_time: Date };

/** A matching event with the values its page is ordered by. */
export type QueriedEvent = StoredEvent & { eventTime: string; recordTime: string };

const toQueried = (row: Row): QueriedEvent => ({
  ...toStoredEvent(row),
  eventTime: row.event_time.toISOString(),
  recordTime: row.record_time.toISOString(),
});

// events.leaf_index is the leaf's index (written with the log_leaves row, in one statement: ADR
// 0006): no join with log_leaves, whose plan (a hash join over every leaf) a LIMIT cannot bound.
const SELECT = `SELECT ${STORED_EVENT_COLUMNS}, e.event_time, e.record_time FROM events e`;

// SQLSTATE 57014: canceling statement due to statement timeout.
const isTimeout = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '57014';

/** The EPCIS query index read (event_identifiers, event_terms, events' columns). */
@Injectable()
export class QueryRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** One page: the events matching `filters` after `after` in `order`, at most `limit`. */
  async page(
    filters: readonly Filter[],
    order: Order,
    after: Keyset | null,
    limit: number,
  ): Promise<QueriedEvent[]> {
    const p = new Parameters();
    const rows = await this.read<Row[]>(pageSql(SELECT, filters, order, after, limit, p), p.values);
    return rows.map(toQueried);
  }

  /** How many events match, counting at most `limit` (maxEventCount: is it exceeded?). */
  async countUpTo(filters: readonly Filter[], limit: number): Promise<number> {
    const p = new Parameters();
    const where = whereOf(filters, p);
    const [row] = await this.read<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM events e${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} LIMIT ${p.add(limit, '::int')}) x`,
      p.values,
    );
    return row!.n;
  }

  /** The events matching `filters` with a leaf index above `afterLeafIndex`, in leaf order. */
  async afterLeaf(
    filters: readonly Filter[],
    afterLeafIndex: number,
    limit: number,
  ): Promise<QueriedEvent[]> {
    const p = new Parameters();
    const where = whereOf(filters, p);
    where.push(`e.leaf_index > ${p.add(String(afterLeafIndex), '::bigint')}`);
    const rows = await this.read<Row[]>(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY e.leaf_index LIMIT ${p.add(limit, '::int')}`,
      p.values,
    );
    return rows.map(toQueried);
  }

  /** Distinct values of an events column or term, for the browse resources (keyset paged). */
  async distinct(
    source:
      | { column: 'type' | 'biz_step' | 'disposition' }
      | { term: 'readPoint' | 'bizLocation' }
      | 'identifiers',
    after: string | null,
    limit: number,
  ): Promise<string[]> {
    const p = new Parameters();
    // A loose index scan (recursive CTE): one index probe per distinct value, never a scan of
    // every row.
    const [table, column, where] =
      source === 'identifiers'
        ? [
            'event_identifiers',
            'identifier',
            `role IN ('epc', 'parentID', 'childEPC', 'inputEPC', 'outputEPC')`,
          ]
        : 'column' in source
          ? ['events', source.column, `${source.column} IS NOT NULL`]
          : ['event_terms', 'value', `term = ${p.add(source.term)}`];
    const start = after === null ? '' : ` AND ${column} > ${p.add(after)}`;
    const rows = await this.read<{ v: string }[]>(
      `WITH RECURSIVE d(v) AS (
         (SELECT ${column} FROM ${table} WHERE ${where}${start} ORDER BY ${column} LIMIT 1)
         UNION ALL
         SELECT (SELECT ${column} FROM ${table} WHERE ${where} AND ${column} > d.v ORDER BY ${column} LIMIT 1)
           FROM d WHERE d.v IS NOT NULL)
       SELECT v FROM d WHERE v IS NOT NULL LIMIT ${p.add(limit, '::int')}`,
      p.values,
    );
    return rows.map((row) => row.v);
  }

  /**
   * Runs a read under the statement time limit (`timeoutMs`, default QUERY_TIMEOUT_MS; SET LOCAL,
   * so it ends with the transaction): a read that runs longer is a QUERY_TOO_COMPLEX (413).
   */
  async read<T>(
    text: string,
    values: readonly unknown[],
    timeoutMs: number = this.env.QUERY_TIMEOUT_MS,
  ): Promise<T> {
    try {
      if (timeoutMs === 0) return await this.prisma.sql.$queryRawUnsafe<T>(text, ...values);
      return await this.prisma.sql.$transaction(async (tx: Sql) => {
        await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
        return tx.$queryRawUnsafe<T>(text, ...values);
      });
    } catch (error) {
      if (!isTimeout(error)) throw error;
      throw new DomainError(
        'QUERY_TOO_COMPLEX',
        `the query ran longer than ${timeoutMs} ms (QUERY_TIMEOUT_MS): narrow it, e.g. with an identifier, a time range or a smaller perPage`,
        { cause: error },
      );
    }
  }
}
