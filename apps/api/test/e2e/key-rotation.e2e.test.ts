// Key-encryption key rotation (issue 6 §2) on the full service and real PostgreSQL: the service
// restarted with a new KEK first and the old one second still reads everything; POST
// /admin/keys/rotate re-wraps every data key under the new KEK while the service keeps serving;
// after that the old KEK can go. The private value never appears in the clear in between.
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { kekIdOf } from '../../src/privacy/kek.js';
import {
  call,
  epcisDocument,
  type LedgerApp,
  objectEvent,
  startLedgerApp,
} from '../support/ledger-app.js';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const PRICE = 'EUR 99.99 ROTATION SECRET';
const event = objectEvent(7, {
  eventID: 'urn:uuid:9a1f0c2a-5b8e-4c3d-9e6f-0a1b2c3d4e77',
  'example:unitPrice': PRICE,
});
const path = `/events/${encodeURIComponent(String(event.eventID))}`;

describe('key-encryption key rotation (e2e)', () => {
  let first: LedgerApp;
  let apiKey: string;

  const ownerReads = async (app: LedgerApp): Promise<unknown> =>
    ((await (await call(app.baseUrl, path, { key: apiKey })).json()) as Record<string, unknown>)[
      'example:unitPrice'
    ];
  const kekIds = async (app: LedgerApp): Promise<string[]> =>
    (await app.sql<{ kek_id: string }>('SELECT kek_id FROM organization_keys')).map(
      (r) => r.kek_id,
    );

  beforeAll(async () => {
    first = await startLedgerApp({ env: { TRACEROOT_KEK: OLD.toString('base64') } });
    apiKey = first.apiKey;
    const document = epcisDocument([event]) as { '@context': unknown[] };
    const captured = await call(first.baseUrl, '/capture', {
      key: apiKey,
      body: {
        ...document,
        '@context': [...document['@context'], { example: 'http://example.com/ns/' }],
      },
    });
    expect(captured.status).toBe(202);
    expect(await ownerReads(first)).toBe(PRICE);
    await first.app.close();
  }, 60_000);

  afterAll(async () => {
    await first?.db.drop();
  });

  it('reads under both keys, re-wraps under the new one, then needs only the new one', async () => {
    expect(await kekIds(first)).toEqual([kekIdOf(OLD)]);
    const both = await startLedgerApp({
      db: first.db,
      env: { TRACEROOT_KEK: `${NEW.toString('base64')},${OLD.toString('base64')}` },
    });
    try {
      expect(await ownerReads(both)).toBe(PRICE);
      const rotate = await call(both.baseUrl, '/admin/keys/rotate', {
        key: both.adminKey,
        method: 'POST',
      });
      expect(rotate.status).toBe(200);
      expect(await rotate.json()).toMatchObject({ kekId: kekIdOf(NEW), rewrapped: 1 });
      expect(await kekIds(both)).toEqual([kekIdOf(NEW)]);
      expect(await ownerReads(both)).toBe(PRICE);
      // Nothing left to re-wrap.
      const again = await call(both.baseUrl, '/admin/keys/rotate', {
        key: both.adminKey,
        method: 'POST',
      });
      expect(await again.json()).toMatchObject({ rewrapped: 0 });
      // Only the operator rotates.
      expect(
        (await call(both.baseUrl, '/admin/keys/rotate', { key: apiKey, method: 'POST' })).status,
      ).toBe(403);
    } finally {
      await both.app.close();
    }
    const onlyNew = await startLedgerApp({
      db: first.db,
      env: { TRACEROOT_KEK: NEW.toString('base64') },
    });
    try {
      expect(await ownerReads(onlyNew)).toBe(PRICE);
      const rows = await onlyNew.sql<{ t: string }>('SELECT e::text AS t FROM events e');
      expect(rows.map((r) => r.t).join('\n')).not.toContain('ROTATION SECRET');
    } finally {
      await onlyNew.app.close();
    }
  });
});
