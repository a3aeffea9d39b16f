// Webhook subscriptions end to end: the full service on a real PostgreSQL, events captured over
// HTTP, callbacks to a real receiver on loopback (test/support/webhook-receiver.ts). Every wait
// polls with a generous deadline; nothing asserts how long anything took.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { generateNoteKeys } from '@traceroot/trace';

import { AppModule } from '../../src/app.module.js';
import { nestAppOptions } from '../../src/common/http/configure-app.js';
import { createAppLogger } from '../../src/common/logging/app-logger.js';
import { loadEnv } from '../../src/config/env.js';
import { prepareRuntime } from '../../src/startup/runtime.js';
import { runtimeSettings } from '../../src/startup/settings.js';

import { SubscriptionsRepository } from '../../src/subscriptions/subscriptions.repository.js';
import { isCallbackSignatureValid } from '../../src/subscriptions/webhook-signature.js';
import {
  call,
  type LedgerApp,
  objectEvent,
  problemOf,
  startLedgerApp,
  TEST_LOG_ORIGIN,
} from '../support/ledger-app.js';
import {
  type ReceivedCallback,
  startWebhookReceiver,
  waitFor,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

const TOKEN = 'e2e-signature-token-9f3c1d';

const SUBSCRIPTION_ENV = {
  SUBSCRIPTION_ALLOW_PRIVATE_DEST: '1',
  SUBSCRIPTION_POLL_MS: '20',
  SUBSCRIPTION_BATCH_SIZE: '4',
  SUBSCRIPTION_TIMEOUT_MS: '5000',
  SUBSCRIPTION_RETRY_BASE_MS: '10',
  SUBSCRIPTION_RETRY_MAX_MS: '100',
};

/**
 * Another instance of the service on the same database, as a second API process would be
 * (ADR 0007): its own pool and its own delivery worker. It serves no HTTP.
 */
const startSecondInstance = async (databaseUrl: string): Promise<NestExpressApplication> => {
  const env = loadEnv({
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    // The key ledger-app.ts derives (this instance never seals: SEAL_INTERVAL_MS 0).
    LOG_SIGNING_KEY: generateNoteKeys(TEST_LOG_ORIGIN, new Uint8Array(32).fill(42)).signerKey,
    SEAL_INTERVAL_MS: '0',
    ...SUBSCRIPTION_ENV,
  });
  const runtime = await prepareRuntime({ ...runtimeSettings(env), migrate: false });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(env, runtime),
    nestAppOptions(createAppLogger(env)),
  );
  await app.init();
  return app;
};

type QueryDocument = {
  type: string;
  schemaVersion: string;
  epcisBody: {
    queryResults: {
      queryName: string;
      subscriptionID?: string;
      resultsBody: { eventList: { eventID: string; bizStep?: string }[] };
    };
  };
};

type SubscriptionView = {
  subscriptionID: string;
  queryName: string;
  dest: string;
  stream?: boolean;
  schedule?: Record<string, string>;
  signed: boolean;
  lastNotifiedAt?: string;
  delivery: {
    acknowledgedLeafIndex: number;
    failures: number;
    lastAttempt: { status: number | null; acknowledged: boolean; error: string | null } | null;
  };
};

const documentOf = (callback: ReceivedCallback): QueryDocument =>
  JSON.parse(callback.body.toString('utf8')) as QueryDocument;
const eventIdsOf = (callback: ReceivedCallback): string[] =>
  documentOf(callback).epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID);
const sorted = (values: readonly string[]): string[] => [...values].sort();

describe('subscriptions: /queries/{queryName}/subscriptions', () => {
  let ledger: LedgerApp;
  let receiver: WebhookReceiver;
  let serial = 0;
  let queryCount = 0;
  /** Every matching (shipping) event captured in this file. */
  const allShipped: string[] = [];

  const api = (path: string, options: Parameters<typeof call>[2] = {}) =>
    call(ledger.baseUrl, path, { key: ledger.apiKey, ...options });

  /** A new named query of shipping ObjectEvents. */
  const createQuery = async (query: Record<string, unknown> = { EQ_bizStep: ['shipping'] }) => {
    const name = `q${++queryCount}`;
    const response = await api('/queries', { body: { name, query } });
    expect([response.status, await response.text()]).toEqual([201, expect.any(String)]);
    return name;
  };

  const subscribe = async (name: string, body: Record<string, unknown>) => {
    const response = await api(`/queries/${name}/subscriptions`, { body });
    const text = await response.text();
    expect([response.status, text]).toEqual([201, expect.any(String)]);
    expect(text).not.toContain(TOKEN);
    const view = JSON.parse(text) as SubscriptionView;
    expect(response.headers.get('location')).toBe(
      `/queries/${name}/subscriptions/${view.subscriptionID}`,
    );
    return view;
  };

  const subscription = async (name: string, id: string): Promise<SubscriptionView> => {
    const response = await api(`/queries/${name}/subscriptions/${id}`);
    const text = await response.text();
    expect([response.status, text]).toEqual([200, expect.any(String)]);
    expect(text).not.toContain(TOKEN);
    return JSON.parse(text) as SubscriptionView;
  };

  /** Captures one event (POST /events, synchronous); its eventID and leaf index. */
  const capture = async (bizStep: string): Promise<{ eventID: string; leafIndex: number }> => {
    const response = await api('/events', {
      body: {
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        ...objectEvent(++serial, { bizStep }),
      },
    });
    const text = await response.text();
    expect([response.status, text]).toEqual([201, expect.any(String)]);
    const event = JSON.parse(text) as { eventID: string; ledger: { leafIndex: number } };
    return { eventID: event.eventID, leafIndex: event.ledger.leafIndex };
  };

  /** Captures `shipping` matching and `receiving` non-matching events, interleaved. */
  const captureMix = async (matching: number, other: number) => {
    const shipped: string[] = [];
    let last = -1;
    for (let i = 0; i < Math.max(matching, other); i += 1) {
      if (i < matching) {
        const event = await capture('shipping');
        shipped.push(event.eventID);
        allShipped.push(event.eventID);
        last = event.leafIndex;
      }
      if (i < other) last = (await capture('receiving')).leafIndex;
    }
    return { shipped, last };
  };

  const callbacksTo = (path: string) => receiver.received.filter((c) => c.path === path);
  const acknowledgedTo = (path: string) =>
    callbacksTo(path).filter((c) => typeof c.answer === 'number' && c.answer < 300);

  /** Waits until the subscription's cursor covers `leafIndex` (then nothing more is sent). */
  const waitCovered = (name: string, id: string, leafIndex: number) =>
    waitFor(`subscription ${id} to acknowledge leaf ${leafIndex}`, async () => {
      const view = await subscription(name, id);
      return view.delivery.acknowledgedLeafIndex >= leafIndex;
    });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    ledger = await startLedgerApp({ env: SUBSCRIPTION_ENV });
  });

  afterAll(async () => {
    await ledger?.close();
    await receiver?.close();
  });

  afterEach(() => {
    receiver.answer(() => 200);
    receiver.delay(0);
  });

  it('polls with one statement per process while nothing is due', async () => {
    // Before any subscription exists. Each poll of the worker (every SUBSCRIPTION_POLL_MS, 20 ms
    // here, after the previous one ended) claims once: its other lanes join only when there is
    // work. With a claim per lane (4) this window would see about four times as many.
    const claimDue = jest.spyOn(ledger.app.get(SubscriptionsRepository), 'claimDue');
    try {
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 600));
      const polls = (Date.now() - started) / Number(SUBSCRIPTION_ENV.SUBSCRIPTION_POLL_MS) + 1;
      expect(claimDue.mock.calls.length).toBeGreaterThan(0);
      expect(claimDue.mock.calls.length).toBeLessThanOrEqual(polls);
    } finally {
      claimDue.mockRestore();
    }
  });

  it('streams every matching event exactly once, signed, and never a non-matching one', async () => {
    const name = await createQuery();
    const path = '/stream-normal';
    const view = await subscribe(name, {
      dest: receiver.url(path),
      signatureToken: TOKEN,
      stream: true,
    });
    expect(view).toMatchObject({ queryName: name, stream: true, signed: true });
    expect(view).not.toHaveProperty('signatureToken');

    const { shipped, last } = await captureMix(10, 7);
    await waitCovered(name, view.subscriptionID, last);

    const callbacks = callbacksTo(path);
    expect(sorted(callbacks.flatMap(eventIdsOf))).toEqual(sorted(shipped));
    for (const callback of callbacks) {
      const document = documentOf(callback);
      expect(document).toMatchObject({ type: 'EPCISQueryDocument', schemaVersion: '2.0' });
      expect(document.epcisBody.queryResults).toMatchObject({
        queryName: name,
        subscriptionID: view.subscriptionID,
      });
      // SUBSCRIPTION_BATCH_SIZE bounds every callback.
      expect(eventIdsOf(callback).length).toBeGreaterThan(0);
      expect(eventIdsOf(callback).length).toBeLessThanOrEqual(4);
      expect(callback.headers['content-type']).toBe('application/json');
      const signature = callback.headers['gs1-signature'];
      expect(typeof signature).toBe('string');
      expect(isCallbackSignatureValid(callback.body, TOKEN, String(signature))).toBe(true);
      expect(isCallbackSignatureValid(callback.body, `${TOKEN}x`, String(signature))).toBe(false);
    }
    const after = await subscription(name, view.subscriptionID);
    expect(after.delivery).toMatchObject({ failures: 0, lastAttempt: { acknowledged: true } });
    expect(after.lastNotifiedAt).toEqual(expect.any(String));
  });

  it('sends again what the receiver failed, never what it acknowledged, and skips nothing', async () => {
    const name = await createQuery();
    const path = '/stream-failing';
    // The first three callbacks get a 500, the next two a closed connection, then 200s.
    receiver.answer((n, at) => (at !== path ? 200 : n <= 3 ? 500 : n <= 5 ? 'close' : 200));
    const view = await subscribe(name, {
      dest: receiver.url(path),
      signatureToken: TOKEN,
      stream: true,
    });
    const first = await captureMix(6, 3);
    await waitFor('five failed callbacks', () => callbacksTo(path).length >= 5);
    const second = await captureMix(5, 2);
    await waitCovered(name, view.subscriptionID, second.last);

    const shipped = [...first.shipped, ...second.shipped];
    const callbacks = callbacksTo(path);
    const failed = callbacks.filter((c) => c.answer === 500 || c.answer === 'close');
    expect(failed).toHaveLength(5);
    // Acknowledged: each matching event exactly once (nothing acknowledged was sent again).
    expect(sorted(acknowledgedTo(path).flatMap(eventIdsOf))).toEqual(sorted(shipped));
    // Every failed batch was sent again, and nothing else was ever sent.
    const acknowledged = new Set(acknowledgedTo(path).flatMap(eventIdsOf));
    for (const id of failed.flatMap(eventIdsOf)) expect(acknowledged.has(id)).toBe(true);
    expect(new Set(callbacks.flatMap(eventIdsOf))).toEqual(new Set(shipped));
    // The failed attempts are recorded, with their outcome, and none since the last 2xx.
    const attempts = await ledger.sql<{ status: number | null; acknowledged: boolean }>(
      'SELECT status, acknowledged FROM subscription_deliveries WHERE subscription_id = $1 ORDER BY id',
      [view.subscriptionID],
    );
    expect(attempts.slice(0, 5)).toEqual([
      { status: 500, acknowledged: false },
      { status: 500, acknowledged: false },
      { status: 500, acknowledged: false },
      { status: null, acknowledged: false },
      { status: null, acknowledged: false },
    ]);
    expect(attempts.slice(5).every((a) => a.acknowledged)).toBe(true);
    expect((await subscription(name, view.subscriptionID)).delivery.failures).toBe(0);
  });

  it('delivers a scheduled subscription at its schedule, with an empty report when asked', async () => {
    const name = await createQuery();
    const path = '/scheduled';
    const { shipped, last } = await captureMix(3, 2);
    const view = await subscribe(name, {
      dest: receiver.url(path),
      signatureToken: TOKEN,
      schedule: { second: '[0-59]' }, // every second
      reportIfEmpty: true,
      // Before the events above: they are delivered too.
      initialRecordTime: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
    });
    expect(view).toMatchObject({ schedule: { second: '[0-59]' }, reportIfEmpty: true });
    expect(view).not.toHaveProperty('stream');
    await waitCovered(name, view.subscriptionID, last);
    await waitFor('an empty report', () =>
      acknowledgedTo(path).some((c) => eventIdsOf(c).length === 0),
    );
    // Every shipping event recorded since initialRecordTime (those of the tests before too),
    // each once, and nothing else.
    const events = acknowledgedTo(path).flatMap(eventIdsOf);
    expect(new Set(events).size).toBe(events.length);
    for (const id of shipped) expect(events).toContain(id);
    expect(events.every((id) => allShipped.includes(id))).toBe(true);
    for (const callback of callbacksTo(path)) {
      expect(
        isCallbackSignatureValid(callback.body, TOKEN, String(callback.headers['gs1-signature'])),
      ).toBe(true);
    }
  });

  it('starts after the events already recorded unless initialRecordTime reaches back', async () => {
    const name = await createQuery();
    const before = await captureMix(2, 0);
    const now = await subscribe(name, { dest: receiver.url('/from-now'), stream: true });
    const back = await subscribe(name, {
      dest: receiver.url('/from-back'),
      stream: true,
      initialRecordTime: '2000-01-01T00:00:00Z',
    });
    const later = await captureMix(1, 0);
    await waitCovered(name, now.subscriptionID, later.last);
    await waitCovered(name, back.subscriptionID, later.last);
    expect(acknowledgedTo('/from-now').flatMap(eventIdsOf)).toEqual(later.shipped);
    const fromBack = acknowledgedTo('/from-back').flatMap(eventIdsOf);
    for (const id of [...before.shipped, ...later.shipped]) expect(fromBack).toContain(id);
    // Unsigned without a signatureToken.
    expect(callbacksTo('/from-now').every((c) => c.headers['gs1-signature'] === undefined)).toBe(
      true,
    );
    expect(now.signed).toBe(false);
  });

  it('never delivers one subscription from two processes at once, nor a batch twice', async () => {
    const second = await startSecondInstance(ledger.db.url);
    try {
      const name = await createQuery();
      const path = '/two-processes';
      receiver.delay(30); // slow answers: a window for a second worker to step in
      const view = await subscribe(name, { dest: receiver.url(path), stream: true });
      const { shipped, last } = await captureMix(24, 4);
      await waitCovered(name, view.subscriptionID, last);
      expect(receiver.maxConcurrent(path)).toBe(1);
      expect(sorted(acknowledgedTo(path).flatMap(eventIdsOf))).toEqual(sorted(shipped));
    } finally {
      await second.close();
    }
  });

  it('lists, shows and deletes subscriptions; deleting the query unsubscribes them', async () => {
    const name = await createQuery();
    const a = await subscribe(name, {
      dest: receiver.url('/a'),
      signatureToken: TOKEN,
      stream: true,
    });
    const b = await subscribe(name, {
      dest: receiver.url('/b'),
      schedule: { hour: '1', minute: '5', second: '0' },
    });
    const first = await api(`/queries/${name}/subscriptions?perPage=1`);
    expect(first.status).toBe(200);
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(/rel="next"/);
    const firstPage = (await first.json()) as SubscriptionView[];
    const nextUrl = /^<([^>]+)>/.exec(link)?.[1] ?? '';
    const second = await api(nextUrl);
    const secondPage = (await second.json()) as SubscriptionView[];
    expect([...firstPage, ...secondPage].map((s) => s.subscriptionID)).toEqual([
      a.subscriptionID,
      b.subscriptionID,
    ]);
    expect(second.headers.get('link')).toBeNull();

    const deleted = await api(`/queries/${name}/subscriptions/${b.subscriptionID}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(204);
    const gone = await api(`/queries/${name}/subscriptions/${b.subscriptionID}`);
    expect((await problemOf(gone)).type).toBe('epcisException:NoSuchResourceException');

    expect((await api(`/queries/${name}`, { method: 'DELETE' })).status).toBe(204);
    const [row] = await ledger.sql<{ n: string }>(
      'SELECT count(*)::text AS n FROM subscriptions WHERE id = $1',
      [a.subscriptionID],
    );
    expect(row?.n).toBe('0');
    expect((await api(`/queries/${name}/subscriptions/${a.subscriptionID}`)).status).toBe(404);
  });

  it('answers 404 for an unknown query or subscription', async () => {
    const body = { dest: receiver.url(), stream: true };
    for (const response of [
      await api('/queries/no-such-query/subscriptions', { body }),
      await api('/queries/no-such-query/subscriptions'),
    ]) {
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 404, type: 'epcisException:NoSuchNameException' });
      expect(problem.detail).toContain('no-such-query');
    }
    const name = await createQuery();
    for (const id of ['df5a33e3-5aa3-4403-ae01-99b83234e27b', 'not-a-uuid']) {
      expect((await api(`/queries/${name}/subscriptions/${id}`)).status).toBe(404);
      expect((await api(`/queries/${name}/subscriptions/${id}`, { method: 'DELETE' })).status).toBe(
        404,
      );
    }
  });

  it.each([
    [{}, '/dest', 'SubscriptionControlsException'],
    [{ dest: 'ftp://example.com/x', stream: true }, '/dest', 'SubscriptionControlsException'],
    [{ dest: 'not a url', stream: true }, '/dest', 'SubscriptionControlsException'],
    [{ dest: 'https://example.com/x' }, '', 'SubscriptionControlsException'],
    [{ dest: 'https://example.com/x', stream: false }, '/stream', 'SubscriptionControlsException'],
    [
      { dest: 'https://example.com/x', stream: true, schedule: { second: '0' } },
      '/schedule',
      'SubscriptionControlsException',
    ],
    [
      { dest: 'https://example.com/x', schedule: { second: '60' } },
      '/schedule/second',
      'SubscriptionControlsException',
    ],
    [
      { dest: 'https://example.com/x', schedule: { minute: '[9-1]' } },
      '/schedule/minute',
      'SubscriptionControlsException',
    ],
    [
      { dest: 'https://example.com/x', schedule: { year: '1' } },
      '/schedule',
      'SubscriptionControlsException',
    ],
    [
      { dest: 'https://example.com/x', stream: true, signatureToken: 42 },
      '/signatureToken',
      'SubscriptionControlsException',
    ],
    [
      { dest: 'https://example.com/x', stream: true, reportIfEmpty: 'yes' },
      '/reportIfEmpty',
      'SubscriptionControlsException',
    ],
    [
      { dest: 'https://example.com/x', stream: true, initialRecordTime: 'yesterday' },
      '/initialRecordTime',
      'SubscriptionControlsException',
    ],
    [
      { dest: 'https://example.com/x', stream: true, secret: 'x' },
      '/secret',
      'SubscriptionControlsException',
    ],
  ])('refuses the body %j with a 400 naming %s', async (body, pointer, exception) => {
    const name = await createQuery();
    const response = await api(`/queries/${name}/subscriptions`, { body });
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 400, type: `epcisException:${exception}` });
    expect(problem.errors.map((e) => e.pointer)).toEqual([pointer]);
    const list = (await (await api(`/queries/${name}/subscriptions`)).json()) as unknown[];
    expect(list).toEqual([]);
  });

  it('refuses a GS1-EPC-Format it does not know, naming it', async () => {
    const name = await createQuery();
    const response = await api(`/queries/${name}/subscriptions`, {
      body: { dest: receiver.url(), stream: true },
      headers: { 'GS1-EPC-Format': 'Sometimes' },
    });
    expect((await problemOf(response)).detail).toContain('GS1-EPC-Format');
  });
});
