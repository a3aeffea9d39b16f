import { Injectable } from '@nestjs/common';

import { DomainError } from '../common/errors/domain-error.js';
import { committedEvent, ledgerView, type RevealedEvent } from '../events/events.service.js';
import { PrivacyService, type Reader } from '../privacy/privacy.service.js';
import { type EpcFormat, formatEvent } from './epc-format.js';
import type { EventQuery } from './event-query.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { type Keyset, orderOf } from './query-sql.js';
import { type QueriedEvent, QueryRepository } from './query.repository.js';

export type { EpcFormat } from './epc-format.js';

/** The extension member that carries an event's place in the log and its disclosures. */
export const LEDGER_MEMBER = 'traceroot:ledger';

/**
 * Runs EPCIS 2.0 SimpleEventQuery queries over the index (docs/specs/query.md): in pages for
 * GET /events, the browse resources and named queries, and after a leaf index for subscriptions.
 * Events are served as their leaves commit to them (committedEvent), in the GS1-EPC-Format asked.
 */
@Injectable()
export class QueryService {
  constructor(
    private readonly repository: QueryRepository,
    private readonly privacy: PrivacyService,
  ) {}

  /** One page of GET /events-style results (orderBy/eventCountLimit/maxEventCount honoured). */
  async page(
    query: EventQuery,
    options: { perPage: number; nextPageToken?: string; epcFormat?: EpcFormat; reader: Reader },
  ): Promise<{ events: Record<string, unknown>[]; nextPageToken: string | null }> {
    const position =
      options.nextPageToken === undefined ? null : decodePageToken(options.nextPageToken, query);
    const served = position?.served ?? 0;
    if (query.maxEventCount !== null) {
      const count = await this.repository.countUpTo(query.filters, query.maxEventCount + 1);
      if (count > query.maxEventCount) {
        throw new DomainError(
          'QUERY_TOO_LARGE',
          `more than maxEventCount (${query.maxEventCount}) events match the query`,
        );
      }
    }
    const remaining =
      query.eventCountLimit === null ? Infinity : Math.max(query.eventCountLimit - served, 0);
    const limit = Math.min(options.perPage, remaining);
    if (limit === 0) return { events: [], nextPageToken: null };
    const order = orderOf(query.orderBy, query.filters);
    const rows = await this.repository.page(
      query.filters,
      order,
      position?.after ?? null,
      limit + 1,
    );
    const page = await this.privacy.reveal(rows.slice(0, limit), options.reader);
    const more = rows.length > limit && served + page.length < (query.eventCountLimit ?? Infinity);
    const last = page.at(-1);
    return {
      events: page.map((row) => this.serve(row, options.epcFormat)),
      nextPageToken:
        more && last !== undefined
          ? encodePageToken(query, keysetOf(last, order.column), served + page.length)
          : null,
    };
  }

  /**
   * For subscriptions: the events matching `query` whose leaf index is > afterLeafIndex, in leaf
   * order (= commit order, gap-free, ADR 0006), at most `limit`. orderBy, eventCountLimit and
   * maxEventCount do not apply.
   */
  async after(
    query: EventQuery,
    afterLeafIndex: number,
    limit: number,
    epcFormat: EpcFormat | undefined,
    reader: Reader,
  ): Promise<{ leafIndex: number; event: Record<string, unknown> }[]> {
    const rows = await this.privacy.reveal(
      await this.repository.afterLeaf(query.filters, afterLeafIndex, limit),
      reader,
    );
    return rows.map((row) => ({ leafIndex: row.leafIndex, event: this.serve(row, epcFormat) }));
  }

  /** Distinct values for the browse resources (/eventTypes, /bizSteps, …), keyset paged. */
  distinct(
    source: Parameters<QueryRepository['distinct']>[0],
    after: string | null,
    limit: number,
  ): Promise<string[]> {
    return this.repository.distinct(source, after, limit);
  }

  /**
   * The event as this viewer may see it, plus `traceroot:ledger` (docs/specs/privacy.md): its leaf,
   * every digest and the shown disclosures, so the reader can check each field against the log.
   */
  private serve(row: QueriedEvent & RevealedEvent, format: EpcFormat = 'Always_GS1_Digital_Link') {
    return { ...formatEvent(committedEvent(row), format), [LEDGER_MEMBER]: ledgerView(row) };
  }
}

const keysetOf = (row: QueriedEvent, column: 'seq' | 'event_time' | 'record_time'): Keyset => ({
  time: column === 'event_time' ? row.eventTime : column === 'record_time' ? row.recordTime : null,
  seq: row.seq,
});
