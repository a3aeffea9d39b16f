import { Inject, Injectable } from '@nestjs/common';

import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { EpcFormat } from '../query/epc-format.js';
import { decodeListToken, encodeListToken } from './list-token.js';
import { NamedQueriesService, noSuchQuery } from './named-queries.service.js';
import { queryOwnerOf } from './owner.js';
import { nextScheduledTime, parseQuerySchedule, type QuerySchedule } from './query-schedule.js';
import { parseSubscribeBody } from './requests.js';
import { SUBSCRIPTIONS_CONFIG, type SubscriptionsConfig } from './subscriptions.config.js';
import { type StoredSubscription, SubscriptionsRepository } from './subscriptions.repository.js';

/**
 * A subscription as GET answers it: the binding's AbstractQuerySubscriptionResponse with
 * QueryStreamSubscription or QueryScheduleSubscription, and Traceroot's `delivery` state. Never
 * the signatureToken (`signed` says whether there is one).
 */
export type SubscriptionView = {
  subscriptionID: string;
  queryName: string;
  dest: string;
  createdAt: string;
  stream?: true;
  schedule?: QuerySchedule;
  reportIfEmpty?: boolean;
  initialRecordTime?: string;
  epcFormat?: string;
  lastNotifiedAt?: string;
  signed: boolean;
  delivery: {
    /** Every leaf up to this index was delivered and acknowledged, or does not match. */
    acknowledgedLeafIndex: number;
    /** Consecutive failed attempts (0 after an acknowledged one). */
    failures: number;
    /** Scheduled: the next run or retry; streaming: the earliest next attempt. */
    nextAttemptAt: string;
    lastAttempt: {
      at: string;
      status: number | null;
      acknowledged: boolean;
      error: string | null;
      eventCount: number;
      durationMs: number;
    } | null;
  };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const subscriptionView = (s: StoredSubscription): SubscriptionView => ({
  subscriptionID: s.id,
  queryName: s.queryName,
  dest: s.dest,
  createdAt: s.createdAt.toISOString(),
  ...(s.stream ? { stream: true as const } : {}),
  ...(s.schedule === null ? {} : { schedule: s.schedule, reportIfEmpty: s.reportIfEmpty }),
  ...(s.initialRecordTime === null ? {} : { initialRecordTime: s.initialRecordTime.toISOString() }),
  ...(s.epcFormat === null ? {} : { epcFormat: s.epcFormat }),
  ...(s.lastNotifiedAt === null ? {} : { lastNotifiedAt: s.lastNotifiedAt.toISOString() }),
  signed: s.hasSignatureToken,
  delivery: {
    acknowledgedLeafIndex: s.cursorLeafIndex,
    failures: s.failures,
    nextAttemptAt: s.dueAt.toISOString(),
    lastAttempt:
      s.lastDelivery === null
        ? null
        : {
            at: s.lastDelivery.attemptedAt.toISOString(),
            status: s.lastDelivery.status,
            acknowledged: s.lastDelivery.acknowledged,
            error: s.lastDelivery.error,
            eventCount: s.lastDelivery.eventCount,
            durationMs: s.lastDelivery.durationMs,
          },
  },
});

/** Webhook subscriptions to named queries (docs/specs/subscriptions.md); DeliveryWorker delivers. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly repository: SubscriptionsRepository,
    private readonly namedQueries: NamedQueriesService,
    @Inject(SUBSCRIPTIONS_CONFIG) private readonly config: SubscriptionsConfig,
  ) {}

  /**
   * Subscribes `dest` to the organization's query `queryName`. A stream subscription is due at
   * once (it reports whenever new events match); a scheduled one at its first scheduled time.
   */
  async subscribe(
    principal: Principal,
    queryName: string,
    body: unknown,
    epcFormat: EpcFormat,
    now: Date = new Date(),
  ): Promise<SubscriptionView> {
    const owner = queryOwnerOf(principal);
    await this.namedQueries.require(owner, queryName);
    const request = parseSubscribeBody(body, this.config.allowPrivateDest);
    const dueAt =
      request.schedule === null
        ? now
        : (nextScheduledTime(parseQuerySchedule(request.schedule), now) ?? now);
    const stored = await this.repository.insertSubscription({
      organizationId: owner,
      queryName,
      ...request,
      epcFormat,
      dueAt,
    });
    if (stored === null) throw noSuchQuery(queryName);
    return subscriptionView(stored);
  }

  /** The query's subscriptions, oldest first, in pages. */
  async list(
    principal: Principal,
    queryName: string,
    perPage: number,
    nextPageToken: string | undefined,
  ): Promise<{ subscriptions: SubscriptionView[]; nextPageToken: string | null }> {
    const owner = queryOwnerOf(principal);
    await this.namedQueries.require(owner, queryName);
    const after = decodeListToken(nextPageToken);
    if (after !== null && !UUID.test(after.key)) {
      throw new DomainError('QUERY_PARAMETER_INVALID', 'nextPageToken is not a token of this list');
    }
    const rows = await this.repository.listSubscriptions(
      owner,
      queryName,
      after === null ? null : { createdAt: after.createdAt, id: after.key },
      perPage + 1,
    );
    const page = rows.slice(0, perPage);
    const last = page.at(-1);
    return {
      subscriptions: page.map(subscriptionView),
      nextPageToken:
        rows.length > perPage && last !== undefined
          ? encodeListToken({ createdAt: last.createdAt, key: last.id })
          : null,
    };
  }

  async get(principal: Principal, queryName: string, id: string): Promise<SubscriptionView> {
    const owner = queryOwnerOf(principal);
    await this.namedQueries.require(owner, queryName);
    const stored = await this.repository.findSubscription(owner, queryName, id);
    if (stored === null) throw noSuchSubscription(id);
    return subscriptionView(stored);
  }

  /** Unsubscribes: no callback starts after this returns (one under way is not recorded). */
  async unsubscribe(principal: Principal, queryName: string, id: string): Promise<void> {
    const owner = queryOwnerOf(principal);
    await this.namedQueries.require(owner, queryName);
    if (!(await this.repository.deleteSubscription(owner, queryName, id))) {
      throw noSuchSubscription(id);
    }
  }
}

const noSuchSubscription = (id: string): DomainError =>
  new DomainError('NOT_FOUND', `no subscription ${id.slice(0, 100)} of this query`, {
    epcisException: 'NoSuchResourceException',
  });
