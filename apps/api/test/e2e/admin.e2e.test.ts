// The /admin routes on the full service and a real PostgreSQL (issue 6 §4, §5): scoped, expiring,
// revocable API keys; who may administer which organization (an organization's admin key learns
// nothing of others); and the record of administrative actions, each one an event in the log.
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_EXTENSION, OPERATOR_ORGANIZATION_ID } from '../../src/admin-records/admin-action.js';
import { AdminRecordsService } from '../../src/admin-records/admin-records.service.js';
import { auditDatabase } from '../../src/audit/audit-database.js';
import { BOOTSTRAP_PRINCIPAL } from '../../src/auth/principal.js';
import { LedgerRepository } from '../../src/ledger/ledger.repository.js';
import {
  call,
  type CallOptions,
  epcisDocument,
  type LedgerApp,
  objectEvent,
  omit,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const UNKNOWN_ID = '6f1d9a4e-2b3c-4d5e-8f90-a1b2c3d4e5f6';

type Organization = { id: string; keyId: string; apiKey: string };
type CreatedKey = { keyId: string; apiKey: string; scopes: string[]; expiresAt: string | null };
type Action = {
  id: string;
  at: string;
  action: string;
  actorKeyId: string | null;
  actorOrganizationId: string;
  organizationId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  eventId: string;
  leafIndex: number;
};

describe('administration: /admin', () => {
  let ledger: LedgerApp;
  let serial = 0;

  const api = (path: string, options: CallOptions = {}) => call(ledger.baseUrl, path, options);
  const admin = (path: string, options: CallOptions = {}) =>
    api(path, { key: ledger.adminKey, ...options });

  const createOrganization = async (name: string): Promise<Organization> => {
    const response = await admin('/admin/organizations', { body: { name } });
    expect(response.status).toBe(201);
    return (await response.json()) as Organization;
  };

  const createKey = async (
    organizationId: string,
    body?: unknown,
    key = ledger.adminKey,
  ): Promise<CreatedKey> => {
    const response = await api(`/admin/organizations/${organizationId}/api-keys`, {
      method: 'POST',
      key,
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as CreatedKey;
  };

  /** POST /events with a fresh valid event. */
  const captureEvent = (key: string) =>
    api('/events', {
      key,
      body: { '@context': [EPCIS_CONTEXT], ...objectEvent((serial += 1)) },
    });

  const count = async (table: string): Promise<number> =>
    Number((await ledger.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

  /** Every action the key may see, following the Link header with small pages. */
  const allActions = async (key: string, query = ''): Promise<Action[]> => {
    const actions: Action[] = [];
    let next: string | null = `/admin/actions?perPage=2${query}`;
    while (next !== null) {
      const response = await api(next, { key });
      expect(response.status).toBe(200);
      actions.push(...((await response.json()) as Action[]));
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    return actions;
  };

  beforeAll(async () => {
    ledger = await startLedgerApp();
  });

  afterAll(async () => {
    await ledger?.close();
  });

  describe('POST /admin/organizations (the operator only)', () => {
    it('creates an organization: 201, Location and a key with the default scopes', async () => {
      const response = await admin('/admin/organizations', {
        body: { name: 'Acme Foods', gln: '9520123456788' },
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as Organization;
      expect(body).toMatchObject({ name: 'Acme Foods', gln: '9520123456788' });
      expect(response.headers.get('location')).toBe(`/admin/organizations/${body.id}`);
      const shown = await admin(response.headers.get('location') ?? '');
      expect(await shown.json()).toMatchObject({ id: body.id, name: 'Acme Foods' });
      expect((await captureEvent(body.apiKey)).status).toBe(201);
      const keys = (await (await admin(`/admin/organizations/${body.id}/api-keys`)).json()) as {
        scopes: string[];
      }[];
      expect(keys.map((key) => key.scopes)).toEqual([['capture', 'query']]);
    });

    it.each([
      [{}, '/name'],
      [{ name: '   ' }, '/name'],
      [{ name: 'Acme', gln: '9520123456789' }, '/gln'],
      [{ name: 'Acme', colour: 'red' }, '/colour'],
      [[], ''],
    ])('refuses %j with 400 naming %s and records nothing', async (body, pointer) => {
      const before = await count('admin_actions');
      const problem = await problemOf(await admin('/admin/organizations', { body }));
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problem.errors.map((error) => error.pointer)).toContain(pointer);
      expect(await count('admin_actions')).toBe(before);
    });

    it('refuses a GLN another organization holds (400 /gln), recording nothing', async () => {
      const first = await admin('/admin/organizations', {
        body: { name: 'GLN one', gln: '0614141000005' },
      });
      expect(first.status).toBe(201);
      const [actions, events] = [await count('admin_actions'), await count('events')];
      const problem = await problemOf(
        await admin('/admin/organizations', { body: { name: 'GLN two', gln: '0614141000005' } }),
      );
      expect(problem).toMatchObject({ status: 400, errors: [{ pointer: '/gln' }] });
      expect([await count('admin_actions'), await count('events')]).toEqual([actions, events]);
    });

    it("refuses an organization's admin key with 403: only the operator creates organizations", async () => {
      const { id } = await createOrganization('Ambitious');
      const { apiKey } = await createKey(id, { scopes: ['admin'] });
      const problem = await problemOf(
        await api('/admin/organizations', { key: apiKey, body: { name: 'Mine now' } }),
      );
      expect(problem).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    });
  });

  describe('POST /admin/organizations/{id}/api-keys', () => {
    let organization: Organization;

    beforeAll(async () => {
      organization = await createOrganization('Key maker');
    });

    it('without a body: a key with capture and query that never expires', async () => {
      const created = await createKey(organization.id);
      expect(created).toEqual({
        keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        apiKey: expect.stringMatching(/^trk_/),
        scopes: ['capture', 'query'],
        expiresAt: null,
      });
    });

    it('with scopes and expiresAt: exactly those, listed without the secret', async () => {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await createKey(organization.id, { scopes: ['query', 'admin'], expiresAt });
      expect(created).toMatchObject({ scopes: ['query', 'admin'], expiresAt });

      const listed = await admin(`/admin/organizations/${organization.id}/api-keys`);
      expect(listed.status).toBe(200);
      const text = await listed.text();
      const keys = JSON.parse(text) as Record<string, unknown>[];
      expect(keys.find((key) => key.keyId === created.keyId)).toEqual({
        keyId: created.keyId,
        scopes: ['query', 'admin'],
        createdAt: expect.any(String),
        expiresAt,
        revokedAt: null,
      });
      expect(keys.map((key) => key.keyId)).toContain(organization.keyId);
      for (const key of keys) expect(Object.keys(key).sort()).toEqual(KEY_FIELDS);
      expect(text).not.toContain(created.apiKey.slice(-43));
      expect(text).not.toContain(organization.apiKey.slice(-43));
    });

    it.each([
      [{ scopes: [] }, '/scopes'],
      [{ scopes: ['capture', 'capture'] }, '/scopes'],
      [{ scopes: ['write'] }, '/scopes/0'],
      [{ scopes: 'capture' }, '/scopes'],
      [{ scopes: ['query'], expiresAt: '2020-01-01T00:00:00Z' }, '/expiresAt'],
      [{ expiresAt: 'tomorrow' }, '/expiresAt'],
      [{ expiresAt: '2999-01-01T00:00:00' }, '/expiresAt'],
      [{ scopes: ['query'], isAdmin: true }, '/isAdmin'],
      [[], ''],
    ])('refuses %j with 400 naming %s and creates nothing', async (body, pointer) => {
      const before = [await count('api_keys'), await count('admin_actions')];
      const problem = await problemOf(
        await admin(`/admin/organizations/${organization.id}/api-keys`, { body }),
      );
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problem.errors.map((error) => error.pointer)).toContain(pointer);
      expect([await count('api_keys'), await count('admin_actions')]).toEqual(before);
    });

    it.each([UNKNOWN_ID, 'not-a-uuid'])(
      'answers 404 for organization %s and records nothing',
      async (id) => {
        const before = [await count('admin_actions'), await count('events')];
        const problem = await problemOf(
          await admin(`/admin/organizations/${id}/api-keys`, { method: 'POST' }),
        );
        expect(problem).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        expect([await count('admin_actions'), await count('events')]).toEqual(before);
      },
    );
  });

  describe('scopes', () => {
    let organization: Organization;
    let captureOnly: string;
    let queryOnly: string;
    let adminOnly: string;

    beforeAll(async () => {
      organization = await createOrganization('Scoped');
      captureOnly = (await createKey(organization.id, { scopes: ['capture'] })).apiKey;
      queryOnly = (await createKey(organization.id, { scopes: ['query'] })).apiKey;
      adminOnly = (await createKey(organization.id, { scopes: ['admin'] })).apiKey;
    });

    const forbidden = async (response: Response, scope: string) => {
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(problem.detail).toContain(`${scope} scope`);
    };

    it('a capture-only key captures, but cannot use named queries or /admin', async () => {
      expect((await captureEvent(captureOnly)).status).toBe(201);
      await forbidden(await api('/queries', { key: captureOnly }), 'query');
      await forbidden(
        await api(`/admin/organizations/${organization.id}`, { key: captureOnly }),
        'admin',
      );
      await forbidden(
        await api(`/admin/organizations/${organization.id}/api-keys`, {
          key: captureOnly,
          method: 'POST',
        }),
        'admin',
      );
      await forbidden(await api('/admin/actions', { key: captureOnly }), 'admin');
    });

    it('a query-only key uses named queries, but cannot capture by any route', async () => {
      expect((await api('/queries', { key: queryOnly })).status).toBe(200);
      const events = await count('events');
      await forbidden(await captureEvent(queryOnly), 'capture');
      await forbidden(
        await api('/capture', { key: queryOnly, body: epcisDocument([objectEvent(9_999)]) }),
        'capture',
      );
      await forbidden(
        await api('/masterdata/parties/9520123456788', {
          key: queryOnly,
          method: 'PUT',
          body: { name: 'X' },
        }),
        'capture',
      );
      await forbidden(
        await api('/recalls', {
          key: queryOnly,
          body: { lot: 'https://id.gs1.org/01/09521234543213/10/L1', reason: 'x' },
        }),
        'capture',
      );
      expect(await count('events')).toBe(events);
      await forbidden(await api('/admin/actions', { key: queryOnly }), 'admin');
    });

    it('an admin-only key administers its own organization, and cannot capture or query', async () => {
      expect(
        (await api(`/admin/organizations/${organization.id}`, { key: adminOnly })).status,
      ).toBe(200);
      const made = await createKey(organization.id, { scopes: ['capture'] }, adminOnly);
      const keys = await api(`/admin/organizations/${organization.id}/api-keys`, {
        key: adminOnly,
      });
      expect(((await keys.json()) as { keyId: string }[]).map((k) => k.keyId)).toContain(
        made.keyId,
      );
      expect(
        (await api(`/admin/api-keys/${made.keyId}`, { key: adminOnly, method: 'DELETE' })).status,
      ).toBe(204);
      expect((await captureEvent(made.apiKey)).status).toBe(401);
      await forbidden(await captureEvent(adminOnly), 'capture');
      await forbidden(await api('/queries', { key: adminOnly }), 'query');
    });

    it('the operator (bootstrap key) administers every organization but holds no capture scope', async () => {
      expect((await admin(`/admin/organizations/${organization.id}`)).status).toBe(200);
      await forbidden(await captureEvent(ledger.adminKey), 'capture');
    });
  });

  describe('an admin key of another organization learns nothing', () => {
    let mine: Organization;
    let theirs: Organization;
    let myAdmin: string;

    /** The problem without what names the occurrence (the path, the request ID). */
    const shapeOf = async (response: Response) => ({
      status: response.status,
      headers: {
        type: response.headers.get('content-type'),
        challenge: response.headers.get('www-authenticate'),
      },
      body: omit((await response.json()) as Record<string, unknown>, 'instance', 'requestId'),
    });

    beforeAll(async () => {
      mine = await createOrganization('Prober');
      theirs = await createOrganization('Probed');
      myAdmin = (await createKey(mine.id, { scopes: ['admin'] })).apiKey;
    });

    it.each([
      ['GET', '/admin/organizations/{id}', undefined],
      ['GET', '/admin/organizations/{id}/api-keys', undefined],
      ['POST', '/admin/organizations/{id}/api-keys', undefined],
      ['POST', '/admin/organizations/{id}/api-keys', { scopes: ['admin'] }],
      ['GET', '/admin/actions?organizationId={id}', undefined],
    ])(
      '%s %s: the same status and problem for an existing organization as for none',
      async (method, path, body) => {
        const before = [await count('api_keys'), await count('admin_actions')];
        const at = (id: string) => path.replace('{id}', id);
        const probe = (id: string) =>
          api(at(id), { method, key: myAdmin, ...(body === undefined ? {} : { body }) });
        const existing = await shapeOf(await probe(theirs.id));
        expect(existing).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
        expect(await shapeOf(await probe(UNKNOWN_ID))).toEqual(existing);
        expect(await shapeOf(await probe('not-a-uuid'))).toEqual(existing);
        // The operator asking about an unknown one gets that very answer too.
        const operator = await shapeOf(
          await api(at(UNKNOWN_ID), {
            method,
            key: ledger.adminKey,
            ...(body === undefined ? {} : { body }),
          }),
        );
        expect(operator).toEqual(existing);
        expect([await count('api_keys'), await count('admin_actions')]).toEqual(before);
      },
    );

    it("DELETE another organization's key: the same as a key that does not exist; the key lives on", async () => {
      const probe = (keyId: string) =>
        api(`/admin/api-keys/${keyId}`, { method: 'DELETE', key: myAdmin });
      const existing = await shapeOf(await probe(theirs.keyId));
      expect(existing).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      expect(await shapeOf(await probe(UNKNOWN_ID))).toEqual(existing);
      expect(await shapeOf(await probe('nonsense'))).toEqual(existing);
      expect((await captureEvent(theirs.apiKey)).status).toBe(201);
    });

    it('its own organization answers as usual', async () => {
      expect((await api(`/admin/organizations/${mine.id}`, { key: myAdmin })).status).toBe(200);
    });
  });

  describe('key lifecycle', () => {
    let organization: Organization;

    beforeAll(async () => {
      organization = await createOrganization('Lifecycle');
    });

    it('refuses a key that has expired with 401 (waiting past its expiresAt)', async () => {
      const later = await createKey(organization.id, {
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect((await captureEvent(later.apiKey)).status).toBe(201);

      const short = await createKey(organization.id, {
        scopes: ['capture'],
        expiresAt: new Date(Date.now() + 1_500).toISOString(),
      });
      const expiresAt = Date.parse(short.expiresAt ?? '');
      while (Date.now() <= expiresAt + 100) await sleep(expiresAt + 150 - Date.now());
      const problem = await problemOf(await captureEvent(short.apiKey));
      expect(problem).toMatchObject({ status: 401, detail: 'the API key is not valid' });
      expect((await captureEvent(later.apiKey)).status).toBe(201);
    });

    it('refuses a revoked key from its very next request on, every time', async () => {
      const { keyId, apiKey } = await createKey(organization.id);
      expect((await captureEvent(apiKey)).status).toBe(201);
      expect((await admin(`/admin/api-keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
      for (let i = 0; i < 10; i += 1) {
        const response = await captureEvent(apiKey);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe(
          'Bearer realm="traceroot", error="invalid_token"',
        );
      }
      const listed = (await (
        await admin(`/admin/organizations/${organization.id}/api-keys`)
      ).json()) as { keyId: string; revokedAt: string | null }[];
      expect(listed.find((key) => key.keyId === keyId)?.revokedAt).toEqual(expect.any(String));
    });

    it('revokes idempotently (204 again) and records the revocation once', async () => {
      const { keyId } = await createKey(organization.id);
      const revocations = async () =>
        (await allActions(ledger.adminKey)).filter(
          (action) => action.action === 'api-key.revoke' && action.target === keyId,
        ).length;
      expect((await admin(`/admin/api-keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
      expect((await admin(`/admin/api-keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
      expect(
        (await admin(`/admin/api-keys/${keyId.replaceAll('-', '')}`, { method: 'DELETE' })).status,
      ).toBe(204);
      expect(await revocations()).toBe(1);
    });

    it('answers 404 for a key that does not exist', async () => {
      const problem = await problemOf(
        await admin(`/admin/api-keys/${UNKNOWN_ID}`, { method: 'DELETE' }),
      );
      expect(problem).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });
  });

  describe('the record of administrative actions', () => {
    let organization: Organization;
    let orgAdmin: CreatedKey;
    let made: CreatedKey;
    const secrets: string[] = [];

    beforeAll(async () => {
      organization = await createOrganization('Recorded');
      orgAdmin = await createKey(organization.id, { scopes: ['admin', 'query'] });
      made = await createKey(
        organization.id,
        { scopes: ['capture'], expiresAt: '2999-12-31T23:59:59.000Z' },
        orgAdmin.apiKey,
      );
      const revoke = await api(`/admin/api-keys/${made.keyId}`, {
        method: 'DELETE',
        key: orgAdmin.apiKey,
      });
      expect(revoke.status).toBe(204);
      secrets.push(organization.apiKey, orgAdmin.apiKey, made.apiKey);
    });

    it('lists each action with its actor, organization, target and details', async () => {
      const actions = (await allActions(ledger.adminKey)).filter(
        (action) => action.organizationId === organization.id,
      );
      expect(actions.map((action) => action.action)).toEqual([
        'organization.create',
        'api-key.create',
        'api-key.create',
        'api-key.revoke',
      ]);
      const [created, adminKey, key, revoked] = actions;
      expect(created).toMatchObject({
        actorKeyId: null,
        actorOrganizationId: OPERATOR_ORGANIZATION_ID,
        target: null,
        details: { gln: null, keyId: organization.keyId, scopes: ['capture', 'query'] },
      });
      expect(adminKey).toMatchObject({
        actorKeyId: null,
        target: orgAdmin.keyId,
        details: { scopes: ['admin', 'query'], expiresAt: null },
      });
      expect(key).toMatchObject({
        actorKeyId: orgAdmin.keyId,
        actorOrganizationId: organization.id,
        target: made.keyId,
        details: { scopes: ['capture'], expiresAt: '2999-12-31T23:59:59.000Z' },
      });
      expect(revoked).toMatchObject({
        actorKeyId: orgAdmin.keyId,
        actorOrganizationId: organization.id,
        target: made.keyId,
        details: {},
      });
      const leaves = actions.map((action) => action.leafIndex);
      expect([...leaves].sort((a, b) => a - b)).toEqual(leaves);
    });

    it('never holds a secret: neither the API keys nor their secrets appear', async () => {
      const text = JSON.stringify(await allActions(ledger.adminKey));
      const stored = JSON.stringify(
        await ledger.sql('SELECT * FROM admin_actions a JOIN events e USING (event_id)'),
      );
      for (const secret of secrets) {
        expect(text).not.toContain(secret.slice(-43));
        expect(stored).not.toContain(secret.slice(-43));
      }
    });

    it('appends each action to the log: the event, its leaf, and an audit that passes', async () => {
      const actions = (await allActions(ledger.adminKey)).filter(
        (action) => action.organizationId === organization.id,
      );
      await ledger.seal();
      for (const action of actions) {
        expect(action.eventId).toBe(`urn:uuid:${action.id}`);
        const response = await api(`/events/${encodeURIComponent(action.eventId)}`, {
          key: ledger.adminKey,
        });
        expect(response.status).toBe(200);
        const event = (await response.json()) as Record<string, unknown> & {
          ledger: { leafIndex: number; sealed: boolean };
        };
        expect(event).toMatchObject({
          type: 'ObjectEvent',
          eventID: action.eventId,
          action: 'OBSERVE',
          epcList: [],
          eventTimeZoneOffset: '+00:00',
          ledger: { leafIndex: action.leafIndex, sealed: true },
        });
        expect(event.bizStep).toBeUndefined();
        // The operator reads the record in full (what others see is the operator organization's
        // visibility policy: docs/specs/privacy.md).
        expect(event[ADMIN_EXTENSION]).toEqual({
          action: action.action,
          organization: action.organizationId,
          target: action.target,
          actorKeyId: action.actorKeyId,
          actorOrganization: action.actorOrganizationId,
          details: action.details,
        });
        const leaves = await api(
          `/log/leaves?start=${action.leafIndex}&end=${action.leafIndex + 1}`,
        );
        const page = (await leaves.json()) as { leaves: { leafIndex: number; eventID: string }[] };
        expect(page.leaves).toEqual([
          expect.objectContaining({ leafIndex: action.leafIndex, eventID: action.eventId }),
        ]);
      }
      const recordedBy = await ledger.sql<{ organization_id: string }>(
        'SELECT DISTINCT e.organization_id FROM events e JOIN admin_actions a USING (event_id)',
      );
      expect(recordedBy).toEqual([{ organization_id: OPERATOR_ORGANIZATION_ID }]);
      const [operator] = await ledger.sql<{ name: string; gln: string | null }>(
        'SELECT name, gln FROM organizations WHERE id = $1',
        [OPERATOR_ORGANIZATION_ID],
      );
      expect(operator).toEqual({ name: 'Traceroot operator', gln: null });

      const audit = await auditDatabase(ledger.app.get(LedgerRepository), {
        trustedKeys: [ledger.verifierKey],
      });
      expect(audit).toMatchObject({ ok: true, leaves: await count('log_leaves') });
    });

    it("shows an organization's admin its own organization's actions only", async () => {
      const own = await allActions(orgAdmin.apiKey);
      expect(own.length).toBe(4);
      expect(new Set(own.map((action) => action.organizationId))).toEqual(
        new Set([organization.id]),
      );
      expect(await allActions(orgAdmin.apiKey, `&organizationId=${organization.id}`)).toEqual(own);
      const operatorView = await allActions(ledger.adminKey);
      expect(new Set(operatorView.map((action) => action.organizationId)).size).toBeGreaterThan(1);
      expect(await allActions(ledger.adminKey, `&organizationId=${organization.id}`)).toEqual(own);
    });

    it('pages by leaf index: after= skips what came before', async () => {
      const every = await allActions(ledger.adminKey);
      const middle = every[Math.floor(every.length / 2)]!;
      const response = await admin(`/admin/actions?after=${middle.leafIndex}&perPage=1000`);
      expect((await response.json()) as Action[]).toEqual(
        every.filter((action) => action.leafIndex > middle.leafIndex),
      );
      const bad = await problemOf(await admin('/admin/actions?after=-1'));
      expect(bad).toMatchObject({ status: 400 });
      expect(bad.detail).toContain('after');
    });

    it('keeps the record append-only', async () => {
      await expect(ledger.sql("UPDATE admin_actions SET target = 'x'")).rejects.toThrow(
        /append-only/,
      );
      await expect(ledger.sql('DELETE FROM admin_actions')).rejects.toThrow(/append-only/);
    });
  });

  describe('AdminRecordsService.record (the hook for policies, rule modes, erasure, key rotation)', () => {
    it('records an action with no organization, attributed to the operator organization', async () => {
      const records = ledger.app.get(AdminRecordsService);
      const recorded = await records.record(BOOTSTRAP_PRINCIPAL, 'keys.rotate', {
        details: { kekId: 'kek-2' },
      });
      expect(recorded.eventId).toMatch(/^urn:uuid:/);
      const [row] = await ledger.sql<Record<string, unknown>>(
        'SELECT action, organization_id, actor_organization_id, actor_key_id, target, details FROM admin_actions WHERE event_id = $1',
        [recorded.eventId],
      );
      expect(row).toEqual({
        action: 'keys.rotate',
        organization_id: null,
        actor_organization_id: OPERATOR_ORGANIZATION_ID,
        actor_key_id: null,
        target: null,
        details: { kekId: 'kek-2' },
      });
      const [event] = await ledger.sql<{ leaf_index: string }>(
        'SELECT leaf_index FROM events WHERE event_id = $1',
        [recorded.eventId],
      );
      expect(Number(event?.leaf_index)).toBe(recorded.leafIndex);
    });

    it('runs the action in the same transaction: what it does and its record commit together', async () => {
      const records = ledger.app.get(AdminRecordsService);
      const { id } = await createOrganization('Renamed');
      await records.record(BOOTSTRAP_PRINCIPAL, 'policy.update', { organizationId: id }, (tx) =>
        tx
          .$executeRawUnsafe("UPDATE organizations SET name = 'Renamed!' WHERE id = $1::uuid", id)
          .then(() => undefined),
      );
      const [organization] = await ledger.sql<{ name: string }>(
        'SELECT name FROM organizations WHERE id = $1',
        [id],
      );
      expect(organization?.name).toBe('Renamed!');
    });

    it('records nothing and changes nothing when the action fails', async () => {
      const records = ledger.app.get(AdminRecordsService);
      const { id } = await createOrganization('Unchanged');
      const before = [
        await count('admin_actions'),
        await count('events'),
        await count('log_leaves'),
      ];
      await expect(
        records.record(
          BOOTSTRAP_PRINCIPAL,
          'organization.erase',
          { organizationId: id },
          async (tx) => {
            await tx.$executeRawUnsafe(
              "UPDATE organizations SET name = 'Half done' WHERE id = $1::uuid",
              id,
            );
            throw new Error('the erasure failed');
          },
        ),
      ).rejects.toThrow('the erasure failed');
      expect([
        await count('admin_actions'),
        await count('events'),
        await count('log_leaves'),
      ]).toEqual(before);
      const [organization] = await ledger.sql<{ name: string }>(
        'SELECT name FROM organizations WHERE id = $1',
        [id],
      );
      expect(organization?.name).toBe('Unchanged');
    });
  });

  it('documents the admin routes and their bodies in /openapi.json', async () => {
    const document = (await (await api('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown; requestBody?: unknown }>>;
    };
    expect(document.paths['/admin/organizations']?.post?.security).toEqual([{ 'api-key': [] }]);
    const createKeyOperation = document.paths['/admin/organizations/{id}/api-keys'];
    expect(JSON.stringify(createKeyOperation?.post?.requestBody)).toContain('expiresAt');
    expect(createKeyOperation?.get).toBeDefined();
    expect(document.paths['/admin/api-keys/{keyId}']?.delete).toBeDefined();
    expect(document.paths['/admin/actions']?.get).toBeDefined();
  });
});

const KEY_FIELDS = ['createdAt', 'expiresAt', 'keyId', 'revokedAt', 'scopes'];
