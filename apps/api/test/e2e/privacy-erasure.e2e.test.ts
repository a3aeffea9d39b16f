// Field privacy and crypto-shredding on the full service and real PostgreSQL (issue 6 §1–2, §5
// "Erasure"): a producer's private and partner fields are stored encrypted, shown to exactly the
// viewers the policy admits (the rest see digests), every viewer's bundle verifies; after an
// erasure the values are gone from every read and from the database's bytes, reads say which
// fields were erased, and the audit and every bundle still pass.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendCheckDigit, type TraceBundle, verifyTraceBundle } from '@traceroot/trace';

import { auditDatabase } from '../../src/audit/audit-database.js';
import { SALT_MEMBER } from '../../src/events/prepare-event.js';
import { LedgerRepository } from '../../src/ledger/ledger.repository.js';
import {
  call,
  epcisDocument,
  type LedgerApp,
  objectEvent,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const FARM_GLN = appendCheckDigit('061414100001');
const BUYER_GLN = appendCheckDigit('061414100003');
const STRANGER_GLN = appendCheckDigit('061414100007');
const CONTEXT = { example: 'http://example.com/ns/' };

// Values that must never be readable by the wrong viewer, nor stored in the clear.
const PO = 'PO-SECRET-4711';
const PRICE = 'EUR 12.34 SECRET';
const GROWER = 'Grower Zhang Secret';
const PHONE = '+86 138 0000 0000 SECRET';

const shipped = objectEvent(1, {
  eventID: 'urn:uuid:6b1f0c2a-5b8e-4c3d-9e6f-0a1b2c3d4e01',
  bizTransactionList: [{ type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${BUYER_GLN}:${PO}` }],
  destinationList: [{ type: 'owning_party', destination: `urn:epc:id:pgln:0614141.00003` }],
  'example:unitPrice': PRICE,
  'example:grower': GROWER,
  ilmd: { 'cbvmda:lotNumber': 'LOT-7', 'example:pickerPhone': PHONE },
  action: 'ADD',
  bizStep: 'commissioning',
});

type Org = { id: string; apiKey: string };

describe('field privacy and crypto-shredding (e2e)', () => {
  let ledger: LedgerApp;
  let farm: Org;
  let buyer: Org;
  let stranger: Org;

  const createOrg = async (name: string, gln: string): Promise<Org> => {
    const response = await call(ledger.baseUrl, '/admin/organizations', {
      key: ledger.adminKey,
      body: { name, gln },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Org;
  };
  const read = async (key: string | undefined) => {
    const response = await call(
      ledger.baseUrl,
      `/events/${encodeURIComponent(String(shipped.eventID))}`,
      {
        ...(key === undefined ? {} : { key }),
      },
    );
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown> & {
      ledger: { withheld: number; erased: string[]; digests: string[]; disclosures: string[] };
    };
  };
  const bundleVerifies = async (key: string | undefined) => {
    const response = await call(
      ledger.baseUrl,
      `/events/${encodeURIComponent(String(shipped.eventID))}/bundle`,
      key === undefined ? {} : { key },
    );
    expect(response.status).toBe(200);
    const verdict = verifyTraceBundle((await response.json()) as TraceBundle, [ledger.verifierKey]);
    if (!verdict.ok) throw new Error(`${verdict.code}: ${verdict.message}`);
    return verdict.entries[0]!;
  };
  /** Every row of every table of the database as text: where a stored plaintext would show. */
  const databaseText = async (): Promise<string> => {
    const tables = await ledger.sql<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const parts: string[] = [];
    for (const { tablename } of tables) {
      const rows = await ledger.sql<{ row: string }>(`SELECT t::text AS row FROM "${tablename}" t`);
      parts.push(...rows.map((r) => r.row));
    }
    return parts.join('\n');
  };

  beforeAll(async () => {
    ledger = await startLedgerApp();
    farm = await createOrg('Farm', FARM_GLN);
    buyer = await createOrg('Buyer', BUYER_GLN);
    stranger = await createOrg('Stranger', STRANGER_GLN);
    const policy = await call(ledger.baseUrl, `/admin/organizations/${farm.id}/policy`, {
      method: 'PUT',
      key: ledger.adminKey,
      body: {
        sharing: 'restricted',
        default: 'public',
        fields: {
          bizTransactionList: 'private',
          '*price*': 'private',
          'example:grower': 'partner',
          '*phone*': 'private',
        },
      },
    });
    expect(policy.status).toBe(200);
    const captured = await call(ledger.baseUrl, '/capture', {
      key: farm.apiKey,
      body: {
        ...epcisDocument([shipped]),
        '@context': [...(epcisDocument([]) as { '@context': unknown[] })['@context'], CONTEXT],
      },
    });
    expect(captured.status).toBe(202);
    await ledger.seal();
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('stores partner and private values only encrypted: never in the clear in any table', async () => {
    const text = await databaseText();
    for (const secret of [PO, PRICE, GROWER, PHONE]) expect(text).not.toContain(secret);
    // The public part is stored as it is (it is public).
    expect(text).toContain('LOT-7');
  });

  it('shows each viewer exactly what the policy admits, and every view verifies', async () => {
    const owner = await read(farm.apiKey);
    expect(owner).toMatchObject({ 'example:grower': GROWER, 'example:unitPrice': PRICE });
    expect(owner.bizTransactionList).toBeDefined();
    expect(owner.ilmd).toEqual({ 'cbvmda:lotNumber': 'LOT-7', 'example:pickerPhone': PHONE });
    expect(owner.ledger.withheld).toBe(0);

    const partner = await read(buyer.apiKey); // named in destinationList: restricted sharing
    expect(partner['example:grower']).toBe(GROWER);
    expect(partner).not.toHaveProperty('example:unitPrice');
    expect(partner).not.toHaveProperty('bizTransactionList');
    expect(partner.ilmd).toEqual({ 'cbvmda:lotNumber': 'LOT-7' });
    // Price, transaction, phone — and the salt the event is committed with (private, as its
    // strictest hidden field), which keeps its event hash ID from revealing the hidden values.
    expect(partner.ledger.withheld).toBe(4);
    expect(owner[SALT_MEMBER]).toEqual(expect.any(String));
    expect(partner).not.toHaveProperty(SALT_MEMBER);

    for (const key of [stranger.apiKey, undefined]) {
      const view = await read(key);
      expect(view).not.toHaveProperty('example:grower');
      expect(view).not.toHaveProperty('example:unitPrice');
      expect(view).not.toHaveProperty('bizTransactionList');
      expect(view.ilmd).toEqual({ 'cbvmda:lotNumber': 'LOT-7' });
      expect(view.ledger.withheld).toBe(5);
      expect(JSON.stringify(view)).not.toMatch(/SECRET/);
      // Every digest is there: the leaf rebuilds from what this viewer holds.
      expect(view.ledger.digests).toHaveLength(owner.ledger.digests.length);
      expect(view.ledger.digests).toEqual(owner.ledger.digests);
    }

    const full = await bundleVerifies(farm.apiKey);
    expect(full.eventHashIdChecked).toBe(true);
    expect(full.hiddenFieldCount).toBe(0);
    for (const key of [buyer.apiKey, stranger.apiKey, undefined]) {
      const entry = await bundleVerifies(key);
      expect(entry.hiddenFieldCount).toBeGreaterThan(0);
      expect(JSON.stringify(entry.fields)).not.toMatch(/SECRET/);
    }
  });

  it('refuses an erasure by an unrelated organization exactly as for an event that does not exist', async () => {
    const key = await call(ledger.baseUrl, `/admin/organizations/${stranger.id}/api-keys`, {
      key: ledger.adminKey,
      body: { scopes: ['admin'] },
    });
    const { apiKey } = (await key.json()) as { apiKey: string };
    const probe = async (eventId: string) => {
      const response = await call(ledger.baseUrl, `/events/${encodeURIComponent(eventId)}/erase`, {
        key: apiKey,
        method: 'POST',
      });
      const problem = (await problemOf(response)) as unknown as Record<string, unknown>;
      const { detail, ...shape } = Object.fromEntries(
        Object.entries(problem).filter(([name]) => name !== 'requestId' && name !== 'instance'),
      );
      return { status: response.status, shape, detail: String(detail).replace(eventId, '<id>') };
    };
    const existing = await probe(String(shipped.eventID));
    const missing = await probe('urn:uuid:00000000-0000-4000-8000-00000000dead');
    expect(existing.status).toBe(404);
    expect(existing).toEqual(missing);
    expect((await read(farm.apiKey))['example:grower']).toBe(GROWER);
  });

  it('erases an event: gone from every read and from the stored bytes, reads say so, audit and bundles pass', async () => {
    const erase = await call(
      ledger.baseUrl,
      `/events/${encodeURIComponent(String(shipped.eventID))}/erase`,
      { key: ledger.adminKey, method: 'POST' },
    );
    expect(erase.status).toBe(200);
    expect(await erase.json()).toMatchObject({ eventID: shipped.eventID, erased: true });
    await ledger.seal();

    for (const key of [farm.apiKey, buyer.apiKey, undefined]) {
      const view = await read(key);
      expect(JSON.stringify(view)).not.toMatch(/SECRET/);
      expect(view.ledger.erased).toEqual([
        'bizTransactionList',
        'example:grower',
        'example:unitPrice',
        SALT_MEMBER,
        'ilmd/example:pickerPhone',
      ]);
      expect(view.ledger.withheld).toBe(0);
      expect(view.ilmd).toEqual({ 'cbvmda:lotNumber': 'LOT-7' });
      await bundleVerifies(key);
    }
    // The event's key is gone; what remains stored is ciphertext without a key.
    expect(await ledger.sql('SELECT 1 FROM event_keys')).toHaveLength(0);
    const text = await databaseText();
    for (const secret of [PO, PRICE, GROWER, PHONE]) expect(text).not.toContain(secret);

    const audit = await auditDatabase(ledger.app.get(LedgerRepository), {
      trustedKeys: [ledger.verifierKey],
    });
    expect(audit).toMatchObject({ ok: true });
  });

  it('erases an organization: its data keys are destroyed, its later reads report erased fields', async () => {
    const second = objectEvent(2, {
      eventID: 'urn:uuid:6b1f0c2a-5b8e-4c3d-9e6f-0a1b2c3d4e02',
      'example:unitPrice': PRICE,
    });
    const captured = await call(ledger.baseUrl, '/capture', {
      key: farm.apiKey,
      body: {
        ...epcisDocument([second]),
        '@context': [(epcisDocument([]) as { '@context': unknown[] })['@context'][0], CONTEXT],
      },
    });
    expect(captured.status).toBe(202);
    const path = `/events/${encodeURIComponent(String(second.eventID))}`;
    const before = (await (
      await call(ledger.baseUrl, path, { key: farm.apiKey })
    ).json()) as Record<string, unknown>;
    expect(before['example:unitPrice']).toBe(PRICE);
    const erase = await call(ledger.baseUrl, `/admin/organizations/${farm.id}/erase`, {
      key: ledger.adminKey,
      method: 'POST',
    });
    expect(erase.status).toBe(200);
    expect(await erase.json()).toMatchObject({ organizationId: farm.id, dataKeysDestroyed: 1 });
    const after = (await (await call(ledger.baseUrl, path, { key: farm.apiKey })).json()) as {
      ledger: { erased: string[] };
    };
    expect(after).not.toHaveProperty('example:unitPrice');
    expect(after.ledger.erased).toEqual(['example:unitPrice', SALT_MEMBER]);
    const keys = await ledger.sql<{ wrapped: unknown; destroyed_at: unknown }>(
      'SELECT wrapped, destroyed_at FROM organization_keys WHERE organization_id = $1',
      [farm.id],
    );
    expect(keys).toEqual([{ wrapped: null, destroyed_at: expect.any(Date) }]);
    const audit = await auditDatabase(ledger.app.get(LedgerRepository), {
      trustedKeys: [ledger.verifierKey],
    });
    expect(audit).toMatchObject({ ok: true });
  });
});
