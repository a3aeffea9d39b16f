import { randomUUID } from 'node:crypto';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';

import { CBV_VERSION, EPCIS_VERSION } from '../discovery/epcis-headers.js';
import type { EpcFormat } from '../query/epc-format.js';
import { parseEventQuery } from '../query/event-query.js';
import { queryDocument } from '../query/query-document.js';
import { QueryService } from '../query/query.service.js';
import { cursorAfterBatch, retryDelayMs } from './delivery-plan.js';
import { nextScheduledTime, parseQuerySchedule } from './query-schedule.js';
import { SUBSCRIPTIONS_CONFIG, type SubscriptionsConfig } from './subscriptions.config.js';
import {
  type DeliveryRecord,
  type DueClaim,
  type DueSubscription,
  type SubscriptionProgress,
  SubscriptionsRepository,
} from './subscriptions.repository.js';
import { postCallback } from './webhook-client.js';
import { SIGNATURE_HEADER, signCallback } from './webhook-signature.js';

/** Subscriptions one process delivers to at the same time. */
const LANES = 4;

/** How much longer than a callback's timeout a claim lasts (the search before it, clock skew). */
const LEASE_MARGIN_MS = 60_000;

/** A scheduled subscription whose schedule never fires again waits this long (never, in practice). */
const NEVER = new Date(Date.UTC(9999, 0, 1));

/**
 * Delivers subscriptions (docs/specs/subscriptions.md). Every SUBSCRIPTION_POLL_MS, each process
 * claims due subscriptions one at a time (FOR UPDATE SKIP LOCKED, then a lease), finds the events
 * after the subscription's cursor (at most SUBSCRIPTION_BATCH_SIZE), POSTs them as a signed
 * EPCISQueryDocument and, in one transaction, records the attempt and — only when the receiver
 * answered 2xx — advances the cursor. A failure keeps the cursor and retries after an
 * exponential, capped, jittered delay. At least once: a process that dies between the receiver's
 * 2xx and the commit sends that batch again once its lease expires.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Subscriptions');
  /** This process's worker ID: the lease owner of what it claims. */
  private readonly owner = randomUUID();
  private readonly stop = new AbortController();
  private readonly claimed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: SubscriptionsRepository,
    private readonly queries: QueryService,
    @Inject(SUBSCRIPTIONS_CONFIG) private readonly config: SubscriptionsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Stops polling, aborts callbacks under way, waits for the lanes, and hands back their claims. */
  async onModuleDestroy(): Promise<void> {
    this.stop.abort();
    clearTimeout(this.timer);
    await this.running;
    await this.repository.release(this.owner, [...this.claimed]).catch(() => undefined);
  }

  /**
   * Delivers everything due now (tests and the poll timer call it); resolves when nothing is.
   * One lane looks first and the others join only when it found something, so that an idle poll
   * costs one statement per process rather than one per lane.
   */
  async deliverDue(): Promise<void> {
    if (this.stop.signal.aborted) return;
    const first = await this.claim();
    if (first === null) return;
    await Promise.all([
      this.lane(first),
      ...Array.from({ length: LANES - 1 }, () => this.lane(null)),
    ]);
  }

  private schedule(delayMs: number): void {
    if (this.stop.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.deliverDue()
        .catch((error: unknown) =>
          this.logger.warn(`subscription delivery paused: ${messageOf(error)}`),
        )
        .finally(() => this.schedule(this.config.pollMs));
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Delivers `first`, then claims and delivers due subscriptions one after the other until none
   * is due or the worker stops (a claim in hand is always delivered: it is leased to us).
   */
  private async lane(first: DueClaim | null): Promise<void> {
    for (let claim = first; ; claim = null) {
      if (claim === null) {
        if (this.stop.signal.aborted) return;
        claim = await this.claim();
        if (claim === null) return;
      }
      const { due, head } = claim;
      this.claimed.add(due.id);
      try {
        await this.deliver(due, head);
      } finally {
        this.claimed.delete(due.id);
      }
    }
  }

  /** The most overdue subscription, leased to this process (null: none is due). */
  private claim(): Promise<DueClaim | null> {
    const now = new Date();
    // The head is read before the search: every leaf up to it is committed (ADR 0006).
    return this.repository.claimDue(
      this.owner,
      now,
      new Date(now.getTime() + this.config.timeoutMs + LEASE_MARGIN_MS),
    );
  }

  private async deliver(due: DueSubscription, head: number): Promise<void> {
    const started = new Date();
    let progress: SubscriptionProgress;
    let record: DeliveryRecord | null = null;
    try {
      if (due.query === null) return; // the query was deleted, and the subscription with it
      const found = await this.queries.after(
        parseEventQuery(due.query),
        due.cursorLeafIndex,
        this.config.batchSize,
        (due.epcFormat ?? undefined) as EpcFormat | undefined,
        // The subscriber's organization sees what it may: its own fields, its partners' shared ones.
        { organizationId: due.organizationId },
      );
      const leafIndexes = found.map((entry) => entry.leafIndex);
      const cursor = cursorAfterBatch(
        due.cursorLeafIndex,
        head,
        leafIndexes,
        this.config.batchSize,
      );
      const full = found.length >= this.config.batchSize;
      const reportEmpty = !due.stream && due.reportIfEmpty && !due.catchingUp;
      if (found.length === 0 && !reportEmpty) {
        // Nothing matched up to head: skip those leaves without a callback.
        progress = {
          ...this.done(due, started, false),
          cursorLeafIndex: cursor,
          failures: due.failures,
        };
      } else {
        const body = Buffer.from(
          JSON.stringify(
            queryDocument(
              due.queryName,
              found.map((entry) => entry.event),
              due.id,
            ),
          ),
          'utf8',
        );
        const outcome = await postCallback({
          url: new URL(due.dest),
          body,
          headers: this.headers(body, due),
          timeoutMs: this.config.timeoutMs,
          allowPrivate: this.config.allowPrivateDest,
          signal: this.stop.signal,
        });
        if (this.stop.signal.aborted && !outcome.acknowledged) {
          // Shutting down: not an attempt. Handed back, so another process may take it at once.
          await this.repository.release(this.owner, [due.id]);
          return;
        }
        record = {
          attemptedAt: started,
          durationMs: outcome.durationMs,
          eventCount: found.length,
          firstLeafIndex: leafIndexes[0] ?? null,
          lastLeafIndex: leafIndexes.at(-1) ?? null,
          status: outcome.status,
          error: outcome.error,
          acknowledged: outcome.acknowledged,
        };
        progress = outcome.acknowledged
          ? {
              ...this.done(due, new Date(), full),
              cursorLeafIndex: cursor,
              failures: 0,
              notifiedAt: new Date(),
            }
          : this.failed(due, outcome.error ?? 'failed');
      }
    } catch (error) {
      // The search failed (the database, or a stored query the engine no longer accepts).
      const message = `the query could not run: ${messageOf(error)}`;
      record = {
        attemptedAt: started,
        durationMs: Date.now() - started.getTime(),
        eventCount: 0,
        firstLeafIndex: null,
        lastLeafIndex: null,
        status: null,
        error: message.slice(0, 500),
        acknowledged: false,
      };
      progress = this.failed(due, message);
    }
    const kept = await this.repository.complete(this.owner, due.id, progress, record);
    if (!kept) this.logger.warn(`subscription ${due.id}: claim lost (deleted or lease expired)`);
  }

  /** The next state after a successful run (or one with nothing to send). */
  private done(
    due: DueSubscription,
    now: Date,
    full: boolean,
  ): Omit<SubscriptionProgress, 'cursorLeafIndex' | 'failures'> {
    if (due.stream || full) {
      return { dueAt: now, catchingUp: !due.stream && full, notifiedAt: null };
    }
    const next = nextScheduledTime(parseQuerySchedule(due.schedule ?? {}), now) ?? NEVER;
    return { dueAt: next, catchingUp: false, notifiedAt: null };
  }

  private failed(due: DueSubscription, error: string): SubscriptionProgress {
    const failures = due.failures + 1;
    const delay = retryDelayMs(
      failures,
      this.config.retryBaseMs,
      this.config.retryMaxMs,
      Math.random,
    );
    // The subscription ID only: dest may carry a receiver's query string, the token never appears.
    this.logger.warn(
      `subscription ${due.id}: callback failed (${error.slice(0, 200)}); attempt ${failures}, retry in ${delay} ms`,
    );
    return {
      cursorLeafIndex: due.cursorLeafIndex,
      dueAt: new Date(Date.now() + delay),
      catchingUp: due.catchingUp,
      failures,
      notifiedAt: null,
    };
  }

  private headers(body: Uint8Array, due: DueSubscription): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'traceroot-subscriptions',
      'GS1-EPCIS-Version': EPCIS_VERSION,
      'GS1-CBV-Version': CBV_VERSION,
      ...(due.epcFormat === null ? {} : { 'GS1-EPC-Format': due.epcFormat }),
      ...(due.signatureToken === null
        ? {}
        : { [SIGNATURE_HEADER]: signCallback(body, due.signatureToken) }),
    };
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
