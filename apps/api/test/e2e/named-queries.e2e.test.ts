// Named queries end to end (EPCIS 2.0 REST binding: /queries, /queries/{queryName},
// /queries/{queryName}/events) on the full service and a real PostgreSQL: who may use them, the
// binding's status codes, and that a named query answers exactly what GET /events answers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  call,
  eventListOf,
  type LedgerApp,
  objectEvent,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

type NamedQuery = { name: string; query: Record<string, unknown> };

describe('named queries: /queries', () => {
  let ledger: LedgerApp;
  /** A key of a second organization. */
  let otherKey: string;

  const api = (path: string, options: Parameters<typeof call>[2] = {}) =>
    call(ledger.baseUrl, path, { key: ledger.apiKey, ...options });

  const create = (name: string, query: Record<string, unknown>, key = ledger.apiKey) =>
    call(ledger.baseUrl, '/queries', { key, body: { name, query } });

  /** Every event of a paged resource, following Link rel="next" with perPage=1. */
  const allPages = async (path: string): Promise<string[]> => {
    const ids: string[] = [];
    let next: string | null = `${path}${path.includes('?') ? '&' : '?'}perPage=1`;
    while (next !== null) {
      const response = await api(next);
      expect(response.status).toBe(200);
      ids.push(...(await eventListOf(response)).map((e) => String(e.eventID)));
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    return ids;
  };

  beforeAll(async () => {
    ledger = await startLedgerApp();
    const organization = await call(ledger.baseUrl, '/admin/organizations', {
      key: ledger.adminKey,
      body: { name: 'E2E retailer' },
    });
    expect(organization.status).toBe(201);
    otherKey = ((await organization.json()) as { apiKey: string }).apiKey;
    for (let n = 1; n <= 6; n += 1) {
      const event = objectEvent(n, { bizStep: n % 2 === 0 ? 'shipping' : 'receiving' });
      const response = await api('/events', {
        body: {
          '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
          ...event,
        },
      });
      expect(response.status).toBe(201);
    }
  });

  afterAll(async () => {
    await ledger?.close();
  });

  it('creates a query (201, Location) and shows it', async () => {
    const query = { eventType: ['ObjectEvent'], EQ_bizStep: ['shipping', 'receiving'] };
    const created = await create('myQuery', query);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/queries/myQuery');
    expect(await created.json()).toEqual({ name: 'myQuery', query });
    const shown = await api('/queries/myQuery');
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual({ name: 'myQuery', query });
  });

  it('refuses a second query of the same name with 409 ResourceAlreadyExistsException', async () => {
    expect((await create('dup', { EQ_bizStep: ['shipping'] })).status).toBe(201);
    const problem = await problemOf(await create('dup', { EQ_bizStep: ['receiving'] }));
    expect(problem).toMatchObject({
      status: 409,
      type: 'epcisException:ResourceAlreadyExistsException',
    });
    expect(problem.errors.map((e) => e.pointer)).toEqual(['/name']);
    expect(await (await api('/queries/dup')).json()).toMatchObject({
      query: { EQ_bizStep: ['shipping'] },
    });
  });

  it.each([
    [{ EQ_bizStep: 5 }, 'EQ_bizStep'],
    [{ GE_eventTime: 'yesterday' }, 'GE_eventTime'],
    [{ eventType: ['NoSuchEvent'] }, 'eventType'],
    [{ EQ_nonsense: ['x'] }, 'EQ_nonsense'],
    [{ perPage: 5 }, 'perPage'],
  ])('refuses the query %j with 400 QueryParameterException naming %s', async (query, name) => {
    const problem = await problemOf(await create('bad', query));
    expect(problem).toMatchObject({ status: 400, type: 'epcisException:QueryParameterException' });
    expect(problem.detail).toContain(name);
    expect((await api('/queries/bad')).status).toBe(404);
  });

  it.each([
    [{ query: {} }, '/name'],
    [{ name: 'a/b', query: {} }, '/name'],
    [{ name: 'x'.repeat(129), query: {} }, '/name'],
    [{ name: 'SimpleEventQuery', query: {} }, '/name'],
    [{ name: 'noQuery' }, '/query'],
    [{ name: 'listQuery', query: [] }, '/query'],
    [{ name: 'extra', query: {}, extra: 1 }, '/extra'],
    [[], ''],
  ])('refuses the body %j with 400 naming %s', async (body, pointer) => {
    const problem = await problemOf(await api('/queries', { body }));
    expect(problem).toMatchObject({ status: 400, type: 'epcisException:ValidationException' });
    expect(problem.errors.map((e) => e.pointer)).toEqual([pointer]);
  });

  it('answers the same events as GET /events with the same parameters, in pages', async () => {
    expect((await create('shipping', { EQ_bizStep: ['shipping'] })).status).toBe(201);
    const direct = await api('/events?EQ_bizStep=shipping');
    const expected = (await eventListOf(direct)).map((e) => String(e.eventID));
    expect(expected).toHaveLength(3);

    const named = await api('/queries/shipping/events');
    expect(named.status).toBe(200);
    const document = (await named.json()) as {
      type: string;
      epcisBody: { queryResults: { queryName: string; resultsBody: { eventList: unknown[] } } };
    };
    expect(document.type).toBe('EPCISQueryDocument');
    expect(document.epcisBody.queryResults.queryName).toBe('shipping');
    expect(
      document.epcisBody.queryResults.resultsBody.eventList.map((e) =>
        String((e as { eventID: string }).eventID),
      ),
    ).toEqual(expected);
    expect(await allPages('/queries/shipping/events')).toEqual(expected);
  });

  it("refuses other parameters on a named query's events, and WebSocket subscriptions", async () => {
    expect((await create('paramQuery', { EQ_bizStep: ['shipping'] })).status).toBe(201);
    const other = await problemOf(await api('/queries/paramQuery/events?EQ_bizStep=receiving'));
    expect(other).toMatchObject({ status: 400, type: 'epcisException:QueryParameterException' });
    expect(other.detail).toContain('EQ_bizStep');
    const socket = await problemOf(await api('/queries/paramQuery/events?stream=true'));
    expect(socket).toMatchObject({ status: 501, type: 'epcisException:ImplementationException' });
    const token = await problemOf(await api('/queries/paramQuery/events?nextPageToken=xyz'));
    expect(token).toMatchObject({ status: 400 });
    expect(token.detail).toContain('nextPageToken');
  });

  it('lists the organization’s queries in pages (Link rel="next")', async () => {
    const names: string[] = [];
    let next: string | null = '/queries?perPage=2';
    while (next !== null) {
      const response = await api(next);
      expect(response.status).toBe(200);
      names.push(...((await response.json()) as NamedQuery[]).map((q) => q.name));
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(names).toEqual(expect.arrayContaining(['myQuery', 'dup', 'shipping']));
    expect(new Set(names).size).toBe(names.length);
  });

  it('deletes a query (204), then it is gone (404 NoSuchNameException)', async () => {
    expect((await create('toDelete', { EQ_bizStep: ['shipping'] })).status).toBe(201);
    expect((await api('/queries/toDelete', { method: 'DELETE' })).status).toBe(204);
    for (const response of [
      await api('/queries/toDelete'),
      await api('/queries/toDelete/events'),
      await api('/queries/toDelete', { method: 'DELETE' }),
    ]) {
      expect(await problemOf(response)).toMatchObject({
        status: 404,
        type: 'epcisException:NoSuchNameException',
      });
    }
  });

  it("keeps each organization's queries its own", async () => {
    expect((await create('mine', { EQ_bizStep: ['shipping'] })).status).toBe(201);
    const theirs = (path: string, method = 'GET') =>
      call(ledger.baseUrl, path, { key: otherKey, method });
    expect((await theirs('/queries/mine')).status).toBe(404);
    expect((await theirs('/queries/mine/events')).status).toBe(404);
    expect((await theirs('/queries/mine', 'DELETE')).status).toBe(404);
    expect(await (await theirs('/queries')).json()).toEqual([]);
    // The same name is free for them, and theirs is another query.
    expect((await create('mine', { EQ_bizStep: ['receiving'] }, otherKey)).status).toBe(201);
    expect(await (await api('/queries/mine')).json()).toMatchObject({
      query: { EQ_bizStep: ['shipping'] },
    });
  });

  it('needs an organization key with the query scope', async () => {
    const anonymous = await call(ledger.baseUrl, '/queries');
    expect(await problemOf(anonymous)).toMatchObject({
      status: 401,
      type: 'epcisException:SecurityException',
    });
    const admin = await call(ledger.baseUrl, '/queries', { key: ledger.adminKey });
    expect((await problemOf(admin)).status).toBe(403);
    // A key whose scopes lack `query` (keys are made with both; narrowed here in the database).
    const keyId = /^trk_([0-9a-f]{32})_/.exec(otherKey)?.[1] ?? '';
    await ledger.sql(
      "UPDATE api_keys SET scopes = ARRAY['capture'] WHERE replace(id::text, '-', '') = $1",
      [keyId],
    );
    const capturer = await call(ledger.baseUrl, '/queries', { key: otherKey });
    const problem = await problemOf(capturer);
    expect(problem.status).toBe(403);
    expect(problem.detail).toContain('query scope');
  });

  it('refuses loopback and private callback destinations unless the setting allows them', async () => {
    expect((await create('hooks', { EQ_bizStep: ['shipping'] })).status).toBe(201);
    for (const dest of [
      'http://127.0.0.1:9/hook',
      'http://localhost/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/hook',
      'http://10.0.0.8/hook',
    ]) {
      const problem = await problemOf(
        await api('/queries/hooks/subscriptions', { body: { dest, stream: true } }),
      );
      expect(problem).toMatchObject({
        status: 400,
        type: 'epcisException:SubscriptionControlsException',
      });
      expect(problem.errors.map((e) => e.pointer)).toEqual(['/dest']);
      expect(problem.detail).toContain('SUBSCRIPTION_ALLOW_PRIVATE_DEST');
    }
  });

  it('answers OPTIONS with Allow and the discovery headers', async () => {
    const collection = await api('/queries', { method: 'OPTIONS' });
    expect(collection.status).toBe(204);
    expect(collection.headers.get('allow')).toBe('OPTIONS, GET, POST');
    expect(collection.headers.get('gs1-epcis-version')).toBe('2.0.0');
    const one = await api('/queries/myQuery', { method: 'OPTIONS' });
    expect(one.status).toBe(204);
    expect(one.headers.get('allow')).toBe('OPTIONS, GET, DELETE');
  });
});
