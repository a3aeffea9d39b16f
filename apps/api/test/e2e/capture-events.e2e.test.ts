// POST /events (one event, synchronous) and GET /events (paged) of the full service on real
// PostgreSQL: the duplicate policy of docs/capture.md, paging in log order, and text that
// PostgreSQL cannot store answered as the client's mistake, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { computeEventHashId, hashDisclosure, RULE_SET } from '@traceroot/trace';

import { EventsService } from '../../src/events/events.service.js';
import {
  call,
  epcisDocument,
  eventListOf,
  type LedgerApp,
  objectEvent,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const EXAMPLE_CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { example: 'https://example.com/epcis/' },
];

describe('POST /events and GET /events', () => {
  let ledger: LedgerApp;
  let serial = 5000;
  const freshEvent = (overrides: Record<string, unknown> = {}) => objectEvent(serial++, overrides);
  const path = (eventId: string) => `/events/${encodeURIComponent(eventId)}`;
  const post = (body: unknown, key: string | null = ledger.apiKey) =>
    call(ledger.baseUrl, '/events', { ...(key === null ? {} : { key }), body });

  const counts = async () =>
    (
      await ledger.sql(
        `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM log_leaves)::int AS leaves,
           (SELECT count(*) FROM event_identifiers)::int AS identifiers, (SELECT count(*) FROM capture_jobs)::int AS jobs`,
      )
    )[0];

  /** Runs `request`: no row may have been written, and a seal finds nothing to do. */
  const expectNothingStored = async (request: () => Promise<Response>): Promise<Response> => {
    await ledger.seal();
    const before = await counts();
    const response = await request();
    expect(await counts()).toEqual(before);
    expect(await ledger.seal()).toEqual([]);
    return response;
  };

  beforeAll(async () => {
    ledger = await startLedgerApp();
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  describe('POST /events', () => {
    it('answers 201 with Location; the event reads back with its hash ID as eventID, recordTime and its place', async () => {
      const event = freshEvent();
      const before = Date.now();
      const response = await post(event);
      expect(response.status).toBe(201);
      const eventId = computeEventHashId(event);
      expect(response.headers.get('location')).toBe(path(eventId));
      const created = (await response.json()) as Record<string, unknown>;
      const read = await call(ledger.baseUrl, response.headers.get('location')!);
      expect(read.status).toBe(200);
      const stored = (await read.json()) as Record<string, unknown>;
      expect(stored).toEqual(created);
      expect(stored).toStrictEqual({
        ...event,
        eventID: eventId,
        recordTime: expect.any(String),
        ledger: {
          leafIndex: expect.any(Number),
          sealed: false,
          eventHashId: eventId,
          // Every field public by default: each disclosed, each digest in the leaf.
          digests: expect.any(Array),
          disclosures: expect.any(Array),
          withheld: 0,
          erased: [],
          recordedBy: expect.any(String),
          // Checked against the published rules in force; it broke none.
          rules: { ruleSet: RULE_SET.version, flags: [] },
        },
      });
      const proof = stored.ledger as { digests: string[]; disclosures: string[] };
      // Its own fields, eventID, recordTime and the @ruleSet pseudo-field.
      expect(proof.disclosures).toHaveLength(Object.keys(event).length + 3);
      expect(proof.digests).toEqual(proof.disclosures.map((d) => hashDisclosure(d)).sort());
      expect(Date.parse(stored.recordTime as string)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('keeps an eventID that was given, and reads the event with its own @context', async () => {
      const eventID = 'urn:uuid:7d1f0c2a-5b8e-4c3d-9e6f-0a1b2c3d4e5f';
      const event = freshEvent({ eventID, 'example:batchNote': 'kept as sent' });
      const response = await post({ '@context': EXAMPLE_CONTEXT, ...event });
      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe(path(eventID));
      const stored = (await (await call(ledger.baseUrl, path(eventID))).json()) as Record<
        string,
        unknown
      >;
      expect(stored).toMatchObject({ ...event, eventID });
    });

    it('answers the same event again with 409 DUPLICATE_EVENT and stores nothing (safe to retry)', async () => {
      const event = freshEvent();
      expect((await post(event)).status).toBe(201);
      const again = await expectNothingStored(() => post(event));
      expect(again.status).toBe(409);
      expect(await problemOf(again)).toMatchObject({
        code: 'DUPLICATE_EVENT',
        type: 'epcisException:ResourceAlreadyExistsException',
        errors: [{ pointer: '', detail: expect.stringContaining(computeEventHashId(event)) }],
      });
    });

    it('answers the same event with its key order changed as the same event', async () => {
      const event = freshEvent();
      expect((await post(event)).status).toBe(201);
      const reordered = Object.fromEntries(Object.entries(event).reverse());
      const again = await expectNothingStored(() => post(reordered));
      expect(again.status).toBe(409);
      expect(await problemOf(again)).toMatchObject({ code: 'DUPLICATE_EVENT' });
    });

    it('answers the same eventID with other content with 409 CONFLICTING_EVENT; the first event stays', async () => {
      const eventID = 'urn:uuid:1c0ffee0-0000-4000-8000-00000000abcd';
      const first = freshEvent({ eventID });
      expect((await post(first)).status).toBe(201);
      const second = { ...first, bizStep: 'receiving' };
      const conflict = await expectNothingStored(() => post(second));
      expect(conflict.status).toBe(409);
      expect(await problemOf(conflict)).toMatchObject({
        code: 'CONFLICTING_EVENT',
        type: 'epcisException:ResourceAlreadyExistsException',
      });
      expect(await (await call(ledger.baseUrl, path(eventID))).json()).toMatchObject({
        bizStep: 'shipping',
      });
    });

    it('applies the same policy to /capture: an event first posted to /events is a duplicate there', async () => {
      const event = freshEvent();
      expect((await post(event)).status).toBe(201);
      const response = await expectNothingStored(() =>
        call(ledger.baseUrl, '/capture', {
          key: ledger.apiKey,
          body: epcisDocument([freshEvent(), event]),
        }),
      );
      expect(response.status).toBe(409);
      expect(await problemOf(response)).toMatchObject({
        code: 'DUPLICATE_EVENT',
        errors: [{ pointer: '/epcisBody/eventList/1', detail: expect.any(String) }],
      });
    });

    it('stores one of many concurrent posts of one new event and answers the others 409, never 5xx', async () => {
      const event = freshEvent();
      const before = await counts();
      const statuses = (await Promise.all(Array.from({ length: 8 }, () => post(event)))).map(
        (r) => r.status,
      );
      expect(statuses.sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect((await counts())!.events).toBe((before!.events as number) + 1);
    });

    it('sequences one of many concurrent transactions storing one event; the others get DUPLICATE_EVENT', async () => {
      // Below HTTP, so that the transactions really overlap (no validation time between them).
      const events = ledger.app.get(EventsService);
      const [organization] = await ledger.sql<{ id: string }>(
        "SELECT id FROM organizations WHERE name = 'E2E farm'",
      );
      const organizationId = organization!.id;
      const event = freshEvent();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, async () =>
          events.sequence(await events.prepare([event], undefined, { organizationId }), {
            organizationId,
            captureJobId: null,
            behaviour: 'rollback',
            pointerOf: () => '',
          }),
        ),
      );
      const codes = outcomes.map((outcome) =>
        outcome.status === 'fulfilled'
          ? 'stored'
          : ((outcome.reason as { code?: string }).code ?? String(outcome.reason)),
      );
      expect(codes.sort()).toEqual([
        'DUPLICATE_EVENT',
        'DUPLICATE_EVENT',
        'DUPLICATE_EVENT',
        'DUPLICATE_EVENT',
        'DUPLICATE_EVENT',
        'stored',
      ]);
    });

    it('refuses concurrent captures that share an eventID with 409, never 5xx, and stores one', async () => {
      const eventID = 'urn:uuid:2d0ffee0-0000-4000-8000-00000000abcd';
      const documents = Array.from({ length: 6 }, () =>
        epcisDocument([freshEvent(), freshEvent({ eventID })]),
      );
      const before = await counts();
      const responses = await Promise.all(
        documents.map((body) => call(ledger.baseUrl, '/capture', { key: ledger.apiKey, body })),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([202, 409, 409, 409, 409, 409]);
      expect((await counts())!.events).toBe((before!.events as number) + 2);
    });

    it('answers an invalid event with 400 naming the field, and stores nothing', async () => {
      const response = await expectNothingStored(() => post(freshEvent({ action: 'SHOUT' })));
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ pointer: '/action' }],
      });
    });

    it('answers a capture document posted to /events with 400', async () => {
      const response = await expectNothingStored(() => post(epcisDocument([freshEvent()])));
      expect(response.status).toBe(400);
      await problemOf(response);
    });

    it.each([
      ['U+0000 in an extension field', { 'example:note': 'nul \u0000 here' }, '/example:note'],
      [
        'an unpaired surrogate in an extension field',
        { 'example:note': 'half \ud800 a pair' },
        '/example:note',
      ],
      [
        'U+0000 in a nested extension field',
        { 'example:batch': { lines: ['ok', 'no\u0000'] } },
        '/example:batch/lines/1',
      ],
    ])(
      'answers %s (valid JSON that PostgreSQL cannot store) with 400 naming it, and stores nothing',
      async (_, extra, pointer) => {
        const response = await expectNothingStored(() =>
          post({ '@context': EXAMPLE_CONTEXT, ...freshEvent(extra) }),
        );
        expect(response.status).toBe(400);
        expect(await problemOf(response)).toMatchObject({
          code: 'VALIDATION_FAILED',
          errors: [{ pointer }],
        });
      },
    );

    it('answers such text in /capture with 400 (rollback) or lists it in the job (proceed)', async () => {
      const bad = freshEvent({ 'example:note': 'nul \u0000 here' });
      const good = freshEvent();
      const body = epcisDocument([good, bad], { '@context': EXAMPLE_CONTEXT });
      const refused = await expectNothingStored(() =>
        call(ledger.baseUrl, '/capture', { key: ledger.apiKey, body }),
      );
      expect(refused.status).toBe(400);
      expect(await problemOf(refused)).toMatchObject({
        errors: [{ pointer: '/epcisBody/eventList/1/example:note' }],
      });

      const proceeded = await call(ledger.baseUrl, '/capture', {
        key: ledger.apiKey,
        body,
        headers: { 'gs1-capture-error-behaviour': 'proceed' },
      });
      expect(proceeded.status).toBe(202);
      expect(await proceeded.json()).toMatchObject({
        success: false,
        eventCount: 1,
        errors: [
          { pointer: '/epcisBody/eventList/1/example:note', exception: 'ValidationException' },
        ],
      });
      const goodId = computeEventHashId(good, { context: EXAMPLE_CONTEXT });
      expect((await call(ledger.baseUrl, path(goodId))).status).toBe(200);
    });

    it('answers proceed with a member name PostgreSQL cannot store by listing it in the job', async () => {
      const good = freshEvent();
      const body = epcisDocument([{ ...freshEvent(), 'example:n\u0000': 1 }, good], {
        '@context': EXAMPLE_CONTEXT,
      });
      const response = await call(ledger.baseUrl, '/capture', {
        key: ledger.apiKey,
        body,
        headers: { 'gs1-capture-error-behaviour': 'proceed' },
      });
      expect(response.status).toBe(202);
      const job = (await response.json()) as { errors: { pointer: string }[]; eventCount: number };
      expect(job.eventCount).toBe(1);
      const stored = (await (
        await call(ledger.baseUrl, response.headers.get('location')!, { key: ledger.apiKey })
      ).json()) as typeof job;
      expect(stored.errors).toHaveLength(1);
      expect(stored.errors[0]!.pointer).toMatch(/^\/epcisBody\/eventList\/0/);
    });

    it('answers without a key 401 and with an admin key of no organization 403, storing nothing', async () => {
      const event = freshEvent();
      const anonymous = await expectNothingStored(() => post(event, null));
      expect(anonymous.status).toBe(401);
      expect(await problemOf(anonymous)).toMatchObject({ code: 'UNAUTHENTICATED' });
      const admin = await expectNothingStored(() => post(event, ledger.adminKey));
      expect(admin.status).toBe(403);
      expect(await problemOf(admin)).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('GET /events/{eventID}', () => {
    it('answers an unknown eventID, and one that is not URL-decodable, with 4xx problem details', async () => {
      const unknown = await call(
        ledger.baseUrl,
        path('urn:uuid:00000000-0000-4000-8000-000000000000'),
      );
      expect(unknown.status).toBe(404);
      expect(await problemOf(unknown)).toMatchObject({
        code: 'NOT_FOUND',
        type: 'epcisException:NoSuchResourceException',
      });
      const undecodable = await call(ledger.baseUrl, '/events/%E0%A4%A');
      expect(undecodable.status).toBe(400);
      await problemOf(undecodable);
    });

    it('shows the event sealed, with the checkpoint that sealed it, also once the log has grown', async () => {
      const event = freshEvent();
      const response = await post(event);
      const { ledger: place } = (await response.json()) as { ledger: { leafIndex: number } };
      const [sealed] = (await ledger.seal()).slice(-1);
      expect(sealed!.treeSize).toBe(place.leafIndex + 1);
      const expected = {
        ledger: { leafIndex: place.leafIndex, sealed: true, treeSize: sealed!.treeSize },
      };
      expect(
        await (await call(ledger.baseUrl, response.headers.get('location')!)).json(),
      ).toMatchObject(expected);
      expect((await post(freshEvent())).status).toBe(201);
      expect(await ledger.seal()).toEqual([{ treeSize: sealed!.treeSize + 1, leaves: 1 }]);
      expect(
        await (await call(ledger.baseUrl, response.headers.get('location')!)).json(),
      ).toMatchObject(expected);
    });
  });

  describe('GET /events paging', () => {
    /** Every event in log order, read straight from the database. */
    const logOrder = async () =>
      (
        await ledger.sql<{ event_id: string }>(
          'SELECT e.event_id FROM events e JOIN log_leaves l ON l.event_seq = e.seq ORDER BY l.leaf_index',
        )
      ).map((row) => row.event_id);

    /** Follows Link rel="next" from `first`; every page's events and links. */
    const walk = async (first: string) => {
      const pages: { ids: string[]; link: string | null }[] = [];
      let next: string | null = first;
      while (next !== null) {
        const response: Response = await call(ledger.baseUrl, next);
        expect(response.status).toBe(200);
        const link = response.headers.get('link');
        pages.push({
          ids: (await eventListOf(response)).map((event) => String(event.eventID)),
          link,
        });
        if (link === null) break;
        const match = /^<([^>]+)>; rel="next"$/.exec(link);
        expect(match).not.toBeNull();
        next = match![1]!;
        expect(pages.length).toBeLessThan(1000);
      }
      return pages;
    };

    beforeAll(async () => {
      // Enough events for several pages, some by /capture and some by /events.
      const response = await call(ledger.baseUrl, '/capture', {
        key: ledger.apiKey,
        body: epcisDocument(Array.from({ length: 10 }, () => freshEvent())),
      });
      expect(response.status).toBe(202);
      for (let i = 0; i < 4; i++) expect((await post(freshEvent())).status).toBe(201);
    });

    it.each([1, 3, 7, 1000])(
      'walks every event exactly once, in log order, with perPage=%i',
      async (perPage) => {
        const all = await logOrder();
        expect(all.length).toBeGreaterThan(20);
        const pages = await walk(`/events?perPage=${perPage}`);
        expect(pages.flatMap((page) => page.ids)).toEqual(all);
        expect(pages).toHaveLength(Math.ceil(all.length / perPage));
        for (const page of pages.slice(0, -1)) expect(page.ids).toHaveLength(perPage);
        expect(pages.at(-1)!.link).toBeNull();
        for (const page of pages.slice(0, -1)) {
          expect(page.link).toMatch(/^<\/events\?[^>]*perPage=\d+[^>]*>; rel="next"$/);
        }
      },
    );

    it('answers an EPCISQueryDocument, 30 events per page by default', async () => {
      const response = await call(ledger.baseUrl, '/events');
      expect(response.status).toBe(200);
      const body = (await response.clone().json()) as Record<string, unknown>;
      expect(body).toMatchObject({ type: 'EPCISQueryDocument', schemaVersion: '2.0' });
      const all = await logOrder();
      expect((await eventListOf(response)).map((event) => event.eventID)).toEqual(all.slice(0, 30));
    });

    it('shows events captured after a page was served on the next pages, never twice', async () => {
      const first = await call(ledger.baseUrl, '/events?perPage=2');
      const link = /^<([^>]+)>/.exec(first.headers.get('link') ?? '')![1]!;
      const seen = (await eventListOf(first)).map((event) => String(event.eventID));
      const late = freshEvent();
      expect((await post(late)).status).toBe(201);
      const rest = (await walk(link)).flatMap((page) => page.ids);
      expect([...seen, ...rest]).toEqual(await logOrder());
      expect(rest.at(-1)).toBe(computeEventHashId(late));
    });

    it.each(['0', '-1', 'abc', '1.5', '', '1e3', '9'.repeat(30)])(
      'answers perPage=%p with 400 naming perPage',
      async (perPage) => {
        const response = await call(
          ledger.baseUrl,
          `/events?perPage=${encodeURIComponent(perPage)}`,
        );
        expect(response.status).toBe(400);
        expect(await problemOf(response)).toMatchObject({
          code: 'QUERY_PARAMETER_INVALID',
          detail: expect.stringContaining('perPage'),
        });
      },
    );

    it.each([
      ['garbage', 'not-a-token'],
      ['a token of another shape', Buffer.from('x:12').toString('base64url')],
      ['a position past any bigint', Buffer.from('s:99999999999999999999').toString('base64url')],
      ['a position of 400 digits', Buffer.from(`s:${'9'.repeat(400)}`).toString('base64url')],
    ])('answers nextPageToken of %s with 400, never 5xx', async (_, token) => {
      const response = await call(
        ledger.baseUrl,
        `/events?perPage=2&nextPageToken=${encodeURIComponent(token)}`,
      );
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({
        code: 'QUERY_PARAMETER_INVALID',
        detail: expect.stringContaining('nextPageToken'),
      });
    });
  });
});
