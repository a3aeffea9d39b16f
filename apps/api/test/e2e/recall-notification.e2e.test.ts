// A recall reaches subscribers (issue 5 §2): the demo's strawberry chain on the full service and a
// real PostgreSQL; a retailer's stream subscriptions post to a webhook receiver on loopback; the
// brand owner recalls a field lot with POST /recalls. The recall's events are captured like any
// other, so the subscriptions deliver them: all of them to the subscription of recalls, and to the
// subscription of one downstream clamshell lot exactly those that name it. Waits poll with a
// deadline; nothing asserts how long anything took.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { epcUriToDigitalLink } from '@traceroot/trace';

import { loadDemo, type LoadedDemo } from '../../src/demo/load-demo.js';
import { buildDemo } from '../../src/demo/scenarios/index.js';
import { isCallbackSignatureValid } from '../../src/subscriptions/webhook-signature.js';
import { call, type LedgerApp, startLedgerApp } from '../support/ledger-app.js';
import {
  startWebhookReceiver,
  waitFor,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

const BASE_TIME = new Date('2026-11-27T15:00:00Z');
const demo = buildDemo(BASE_TIME);
const FIELD_LOT = demo.masterData.lots.find((l) => l.lot === 'SV-R12-B2')!;
const TOKEN = 'recall-notification-token-5e1a';
const dl = (id: string): string => (id.startsWith('urn:epc:') ? epcUriToDigitalLink(id) : id);

type Delivered = { eventID: string; quantityList?: { epcClass: string }[]; epcList?: string[] };
type Recall = { eventIDs: string[]; affected: { lots: string[] } };

describe('a recall notifies the subscribers of the recalled goods', () => {
  let ledger: LedgerApp;
  let receiver: WebhookReceiver;
  let loaded: LoadedDemo;
  let recall: Recall;
  let downstreamLot: string;

  const delivered = (path: string): Delivered[] =>
    receiver.received
      .filter((c) => c.path === path && c.answer === 200)
      .flatMap(
        (c) =>
          (
            JSON.parse(c.body.toString('utf8')) as {
              epcisBody: { queryResults: { resultsBody: { eventList: Delivered[] } } };
            }
          ).epcisBody.queryResults.resultsBody.eventList,
      );

  const subscribe = async (name: string, query: Record<string, unknown>, path: string) => {
    const created = await call(ledger.baseUrl, '/queries', {
      key: ledger.apiKey,
      body: { name, query },
    });
    expect(created.status).toBe(201);
    const subscribed = await call(ledger.baseUrl, `/queries/${name}/subscriptions`, {
      key: ledger.apiKey,
      body: { dest: receiver.url(path), signatureToken: TOKEN, stream: true },
    });
    expect(subscribed.status).toBe(201);
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    ledger = await startLedgerApp({
      env: {
        SEAL_INTERVAL_MS: '100',
        SUBSCRIPTION_ALLOW_PRIVATE_DEST: '1',
        SUBSCRIPTION_POLL_MS: '20',
        SUBSCRIPTION_RETRY_BASE_MS: '10',
        SUBSCRIPTION_RETRY_MAX_MS: '100',
      },
    });
    loaded = await loadDemo({
      baseUrl: ledger.baseUrl,
      adminKey: ledger.adminKey,
      baseTime: BASE_TIME,
      timeoutMs: 60_000,
    });
    // A clamshell lot the field lot was packed into: from the scenario's own transformations.
    const fieldLot = `https://id.gs1.org/01/${FIELD_LOT.gtin}/10/${FIELD_LOT.lot}`;
    const classes = (list: unknown): string[] =>
      ((list ?? []) as { epcClass: string }[]).map((q) => dl(q.epcClass));
    const packing = demo.captures
      .flatMap((c) => c.document.epcisBody.eventList)
      .find(
        (e) => e.type === 'TransformationEvent' && classes(e.inputQuantityList).includes(fieldLot),
      );
    expect(packing).toBeDefined();
    downstreamLot = classes(packing!.outputQuantityList)[0]!;
    // Subscriptions made before the recall: only events recorded after them are delivered.
    await subscribe('recalls', { EQ_persistentDisposition_set: ['recalled'] }, '/recalls');
    await subscribe('clamshells', { MATCH_anyEPCClass: [downstreamLot] }, '/clamshells');
    const brandOwner = loaded.organizations.find((o) => o.key === 'berry-brand-owner')!;
    const response = await call(ledger.baseUrl, '/recalls', {
      key: brandOwner.apiKey,
      body: { gtin: FIELD_LOT.gtin, lot: FIELD_LOT.lot, reason: 'Salmonella in a lab sample' },
    });
    expect(response.status).toBe(201);
    recall = (await response.json()) as Recall;
  }, 180_000);

  afterAll(async () => {
    await ledger?.close();
    await receiver?.close();
  });

  it('delivers every recall event, once each, signed, to the subscription of recalls', async () => {
    expect(recall.eventIDs.length).toBeGreaterThan(0);
    await waitFor('the recall events at /recalls', () =>
      recall.eventIDs.every((id) => delivered('/recalls').some((e) => e.eventID === id)),
    );
    const ids = delivered('/recalls').map((e) => e.eventID);
    expect([...ids].sort()).toEqual([...recall.eventIDs].sort());
    for (const callback of receiver.received.filter((c) => c.path === '/recalls')) {
      const signature = callback.headers['gs1-signature'];
      expect(typeof signature).toBe('string');
      expect(isCallbackSignatureValid(callback.body, TOKEN, String(signature))).toBe(true);
    }
  });

  it('delivers to the subscription of a downstream lot exactly the recall events naming it', async () => {
    const naming = await Promise.all(
      recall.eventIDs.map(async (id) => {
        const response = await call(ledger.baseUrl, `/events/${encodeURIComponent(id)}`);
        const event = (await response.json()) as Delivered;
        const named = [...(event.quantityList ?? []).map((q) => dl(q.epcClass))];
        return named.includes(downstreamLot) ? id : null;
      }),
    );
    const expected = naming.filter((id): id is string => id !== null);
    expect(expected.length).toBeGreaterThan(0);
    await waitFor('the recall events at /clamshells', () =>
      expected.every((id) => delivered('/clamshells').some((e) => e.eventID === id)),
    );
    expect(
      delivered('/clamshells')
        .map((e) => e.eventID)
        .sort(),
    ).toEqual([...expected].sort());
  });
});
