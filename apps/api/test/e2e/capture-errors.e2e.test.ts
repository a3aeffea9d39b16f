// POST /capture of the full service on real PostgreSQL when something is wrong: every refusal is a
// 4xx problem document naming the field (501 for valid EPCIS that Traceroot does not implement),
// and leaves NOTHING behind (no event, no leaf, no job, no checkpoint). Also
// GS1-Capture-Error-Behaviour: proceed, and the discovery of the capture limits.
import { readdirSync, readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { computeEventHashId } from '@traceroot/trace';

import {
  call,
  epcisDocument,
  eventListOf,
  type LedgerApp,
  objectEvent,
  omit,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const CAPTURE_LIMIT = 4;
const CAPTURE_MAX_BYTES = 8192;
const EPCIS_CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];

type Expected = {
  rule: string;
  pointer: string;
  exception: string;
  message: string;
  eventsValid?: boolean[];
};

// One invalid document per rule, written by the validation engineer (see its README).
const FIXTURES = new URL('../fixtures/invalid-documents/', import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
  .sort()
  .map((file) => ({
    name: file.slice(0, -'.json'.length),
    doc: JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as unknown,
    expected: JSON.parse(
      readFileSync(new URL(file.replace(/\.json$/, '.expected.json'), FIXTURES), 'utf8'),
    ) as Expected,
  }));

describe('POST /capture: refusals store nothing; proceed keeps the valid events', () => {
  let ledger: LedgerApp;
  let seeded: string[];
  let serial = 1000;
  /** A new valid ObjectEvent every call. */
  const freshEvent = (overrides: Record<string, unknown> = {}) => objectEvent(serial++, overrides);
  const idOf = (event: Record<string, unknown>) =>
    computeEventHashId(event, { context: EPCIS_CONTEXT });

  /** Everything a capture could leave behind, counted in the database and seen over HTTP. */
  const state = async () => {
    const [counts] = await ledger.sql(
      `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM log_leaves)::int AS leaves,
         (SELECT count(*) FROM event_identifiers)::int AS identifiers, (SELECT count(*) FROM capture_jobs)::int AS jobs,
         (SELECT count(*) FROM checkpoints)::int AS checkpoints`,
    );
    const listed = await eventListOf(await call(ledger.baseUrl, '/events?perPage=1000'));
    const checkpoint = await (await call(ledger.baseUrl, '/log/checkpoint')).text();
    const jobs = (await (
      await call(ledger.baseUrl, '/capture', { key: ledger.apiKey })
    ).json()) as unknown[];
    return { counts, listed: listed.length, checkpoint, jobs: jobs.length };
  };

  /** Seals what earlier tests left pending, runs `request`, seals: nothing may have been sequenced, stored or signed. */
  const expectNothingStored = async (request: () => Promise<Response>): Promise<Response> => {
    await ledger.seal();
    const before = await state();
    const response = await request();
    expect(await ledger.seal()).toEqual([]);
    expect(await state()).toEqual(before);
    return response;
  };

  /** POST /capture with the organization's key, or with `key` (null: none). */
  const capture = (
    body: unknown,
    headers: Record<string, string> = {},
    key: string | null = ledger.apiKey,
  ) => call(ledger.baseUrl, '/capture', { ...(key === null ? {} : { key }), body, headers });

  beforeAll(async () => {
    ledger = await startLedgerApp({
      env: { CAPTURE_LIMIT: String(CAPTURE_LIMIT), CAPTURE_MAX_BYTES: String(CAPTURE_MAX_BYTES) },
    });
    // A log with two sealed events, so "the checkpoint is unchanged" means something.
    const events = [freshEvent(), freshEvent()];
    expect((await capture(epcisDocument(events))).status).toBe(202);
    expect(await ledger.seal()).toEqual([{ treeSize: 2, leaves: 2 }]);
    seeded = events.map(idOf);
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  describe('invalid documents, one per rule (rollback, the default)', () => {
    it('has the fixtures', () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(50);
    });

    // A client's mistake is a 400; valid EPCIS that Traceroot does not implement (an extension
    // event type) is the binding's 501 ImplementationException.
    const ANSWER: Record<string, { status: number; code: string }> = {
      ValidationException: { status: 400, code: 'VALIDATION_FAILED' },
      ImplementationException: { status: 501, code: 'NOT_IMPLEMENTED' },
    };

    it('has a fixture of each answer', () => {
      expect(new Set(fixtures.map(({ expected }) => expected.exception))).toEqual(
        new Set(Object.keys(ANSWER)),
      );
    });

    it.each(fixtures)(
      '$name → $expected.exception naming $expected.pointer, nothing stored',
      async ({ doc, expected }) => {
        const answer = ANSWER[expected.exception]!;
        const response = await expectNothingStored(() => capture(doc));
        expect(response.status).toBe(answer.status);
        const problem = await problemOf(response);
        expect(problem).toMatchObject({
          code: answer.code,
          type: `epcisException:${expected.exception}`,
        });
        expect(problem.errors).toEqual([
          { pointer: expected.pointer, detail: expect.stringContaining(expected.message) },
        ]);
      },
    );

    it('refuses a document whose first event is valid and whose second is not, storing neither', async () => {
      const first = freshEvent();
      const second = omit(freshEvent(), 'action');
      const response = await expectNothingStored(() => capture(epcisDocument([first, second])));
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual([
        { pointer: '/epcisBody/eventList/1/action', detail: expect.stringContaining('action') },
      ]);
      expect(
        (await call(ledger.baseUrl, `/events/${encodeURIComponent(idOf(first))}`)).status,
      ).toBe(404);
    });

    it('refuses a document that repeats one eventID with other content (CONFLICTING_EVENT), storing neither', async () => {
      const eventID = 'urn:uuid:0b7d0a3e-4f6a-4c1e-9a51-3a1b2c3d4e5f';
      const response = await expectNothingStored(() =>
        capture(epcisDocument([freshEvent({ eventID }), freshEvent({ eventID })])),
      );
      expect(response.status).toBe(409);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({
        code: 'CONFLICTING_EVENT',
        type: 'epcisException:ResourceAlreadyExistsException',
      });
      expect(problem.errors).toEqual([
        { pointer: '/epcisBody/eventList/1', detail: expect.stringContaining(eventID) },
      ]);
    });

    it('refuses a document with a new event and an already recorded one (DUPLICATE_EVENT), storing neither', async () => {
      const seededAgain = (await (
        await call(ledger.baseUrl, `/events/${encodeURIComponent(seeded[1]!)}`)
      ).json()) as Record<string, unknown>;
      const again = omit(seededAgain, 'ledger', 'recordTime', 'eventID');
      const response = await expectNothingStored(() =>
        capture(epcisDocument([freshEvent(), again])),
      );
      expect(response.status).toBe(409);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ code: 'DUPLICATE_EVENT' });
      expect(problem.errors).toEqual([
        { pointer: '/epcisBody/eventList/1', detail: expect.stringContaining(seeded[1]!) },
      ]);
    });
  });

  describe('extension event types: valid EPCIS that Traceroot does not implement (501)', () => {
    const EXTENSION_TYPE = 'https://ns.example.com/epcis/InspectionEvent';
    /** A schema-valid Extended-Event: its type is a URI. */
    const extensionEvent = () => freshEvent({ type: EXTENSION_TYPE });
    const unsupported = (pointer: string) => ({
      pointer,
      detail: expect.stringMatching(
        new RegExp(
          `^${pointer} "${EXTENSION_TYPE}" is an extension event type, which Traceroot does not capture: .*CBV 2\\.0 event hash ID, defined for ObjectEvent, .* only$`,
        ),
      ),
    });

    it('POST /capture (rollback) → 501 ImplementationException naming the type, nothing stored', async () => {
      const events = [freshEvent(), freshEvent(), freshEvent(), extensionEvent()];
      const response = await expectNothingStored(() => capture(epcisDocument(events)));
      expect(response.status).toBe(501);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({
        type: 'epcisException:ImplementationException',
        title: 'Functionality not supported by server',
        status: 501,
        code: 'NOT_IMPLEMENTED',
        detail: unsupported('/epcisBody/eventList/3/type').detail,
      });
      expect(problem.errors).toEqual([unsupported('/epcisBody/eventList/3/type')]);
      for (const event of events.slice(0, 3)) {
        expect(
          (await call(ledger.baseUrl, `/events/${encodeURIComponent(idOf(event))}`)).status,
        ).toBe(404);
      }
    });

    it('POST /events → 501 ImplementationException naming /type, nothing stored', async () => {
      const response = await expectNothingStored(() =>
        call(ledger.baseUrl, '/events', {
          key: ledger.apiKey,
          body: { '@context': EPCIS_CONTEXT, ...extensionEvent() },
        }),
      );
      expect(response.status).toBe(501);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({
        type: 'epcisException:ImplementationException',
        code: 'NOT_IMPLEMENTED',
      });
      expect(problem.errors).toEqual([unsupported('/type')]);
    });

    it('a document that also has a fault is a 400 first, listing both', async () => {
      const response = await expectNothingStored(() =>
        capture(epcisDocument([extensionEvent(), freshEvent({ action: 'SHOUT' })])),
      );
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({
        type: 'epcisException:ValidationException',
        code: 'VALIDATION_FAILED',
        detail: expect.stringContaining('/epcisBody/eventList/1/action'),
      });
      expect(problem.errors).toEqual([
        unsupported('/epcisBody/eventList/0/type'),
        { pointer: '/epcisBody/eventList/1/action', detail: expect.any(String) },
      ]);
    });

    it('proceed stores the other events and lists the extension event with ImplementationException', async () => {
      const valid = [freshEvent(), freshEvent()];
      const extension = extensionEvent();
      await ledger.seal();
      const before = await state();
      const response = await capture(epcisDocument([valid[0], extension, valid[1]]), {
        'gs1-capture-error-behaviour': 'proceed',
      });
      expect(response.status).toBe(202);
      const job = (await (
        await call(ledger.baseUrl, response.headers.get('location')!, { key: ledger.apiKey })
      ).json()) as Record<string, unknown>;
      expect(job).toMatchObject({
        success: false,
        captureErrorBehaviour: 'proceed',
        eventCount: 2,
        errors: [
          {
            pointer: '/epcisBody/eventList/1/type',
            message: unsupported('/epcisBody/eventList/1/type').detail,
            exception: 'ImplementationException',
          },
        ],
      });
      for (const event of valid) {
        expect(
          (await call(ledger.baseUrl, `/events/${encodeURIComponent(idOf(event))}`)).status,
        ).toBe(200);
      }
      expect(await ledger.seal()).toEqual([
        { treeSize: (before.counts!.leaves as number) + 2, leaves: 2 },
      ]);
      expect((await state()).counts).toMatchObject({
        events: (before.counts!.events as number) + 2,
      });
    });
  });

  describe('requests that are not EPCIS documents', () => {
    it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
      const response = await expectNothingStored(() =>
        capture('{"type": "EPCISDocument", "epcisBody": {'),
      );
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ code: 'MALFORMED_JSON' });
    });

    it('answers a body that is not JSON with 415 and the media types it reads', async () => {
      const response = await expectNothingStored(() =>
        capture(JSON.stringify(epcisDocument([freshEvent()])), {
          'content-type': 'application/xml',
        }),
      );
      expect(response.status).toBe(415);
      expect(response.headers.get('accept')).toBe('application/json, application/ld+json');
      expect(await problemOf(response)).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        type: 'epcisException:UnsupportedMediaTypeException',
      });
    });

    it('answers an empty body with 400 naming the document', async () => {
      const response = await expectNothingStored(() =>
        call(ledger.baseUrl, '/capture', { method: 'POST', key: ledger.apiKey }),
      );
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual([
        { pointer: '', detail: expect.any(String) },
      ]);
    });

    it(`answers a body over CAPTURE_MAX_BYTES (${CAPTURE_MAX_BYTES}) with 413 and the limit`, async () => {
      const big = epcisDocument([freshEvent({ 'example:note': 'x'.repeat(CAPTURE_MAX_BYTES) })], {
        '@context': [...EPCIS_CONTEXT, { example: 'https://example.com/epcis/' }],
      });
      const response = await expectNothingStored(() => capture(big));
      expect(response.status).toBe(413);
      expect(response.headers.get('gs1-epcis-capture-file-size-limit')).toBe(
        String(CAPTURE_MAX_BYTES),
      );
      expect(await problemOf(response)).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        type: 'epcisException:CaptureLimitExceededException',
      });
    });

    it(`answers more events than CAPTURE_LIMIT (${CAPTURE_LIMIT}) with 413 CaptureLimitExceededException`, async () => {
      const events = Array.from({ length: CAPTURE_LIMIT + 1 }, () => freshEvent());
      for (const behaviour of ['rollback', 'proceed']) {
        const response = await expectNothingStored(() =>
          capture(epcisDocument(events), { 'gs1-capture-error-behaviour': behaviour }),
        );
        expect(response.status).toBe(413);
        const problem = await problemOf(response);
        expect(problem).toMatchObject({
          code: 'CAPTURE_LIMIT_EXCEEDED',
          type: 'epcisException:CaptureLimitExceededException',
        });
        expect(problem.errors).toEqual([
          {
            pointer: '/epcisBody/eventList',
            detail: expect.stringContaining(String(CAPTURE_LIMIT)),
          },
        ]);
      }
      // Exactly the limit is fine.
      expect((await capture(epcisDocument(events.slice(0, CAPTURE_LIMIT)))).status).toBe(202);
    });
  });

  describe('who may capture', () => {
    it('answers a request without an API key with 401 and a Bearer challenge', async () => {
      const response = await expectNothingStored(() =>
        capture(epcisDocument([freshEvent()]), {}, null),
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="traceroot"');
      expect(await problemOf(response)).toMatchObject({
        code: 'UNAUTHENTICATED',
        type: 'epcisException:SecurityException',
      });
    });

    it('answers a key that is not valid with 401', async () => {
      const response = await expectNothingStored(() =>
        capture(epcisDocument([freshEvent()]), {}, `${ledger.apiKey.slice(0, -2)}AA`),
      );
      expect(response.status).toBe(401);
      expect(await problemOf(response)).toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('answers an admin key of no organization with 403: every write belongs to an organization', async () => {
      const response = await expectNothingStored(() =>
        capture(epcisDocument([freshEvent()]), {}, ledger.adminKey),
      );
      expect(response.status).toBe(403);
      expect(await problemOf(response)).toMatchObject({
        code: 'FORBIDDEN',
        type: 'epcisException:SecurityException',
      });
    });

    it('shows a capture job only to its own organization', async () => {
      const created = await call(ledger.baseUrl, '/admin/organizations', {
        key: ledger.adminKey,
        body: { name: 'Other packer' },
      });
      expect(created.status).toBe(201);
      const { apiKey: otherKey } = (await created.json()) as { apiKey: string };
      const response = await capture(epcisDocument([freshEvent()]));
      const location = response.headers.get('location')!;
      expect((await call(ledger.baseUrl, location, { key: ledger.apiKey })).status).toBe(200);
      expect((await call(ledger.baseUrl, location, { key: otherKey })).status).toBe(404);
      expect(await (await call(ledger.baseUrl, '/capture', { key: otherKey })).json()).toEqual([]);
      expect((await call(ledger.baseUrl, location)).status).toBe(401);
    });

    it('answers an unknown capture job with 404 problem details', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const response = await call(ledger.baseUrl, `/capture/${id}`, { key: ledger.apiKey });
        expect(response.status).toBe(404);
        expect(await problemOf(response)).toMatchObject({
          code: 'NOT_FOUND',
          type: 'epcisException:NoSuchResourceException',
        });
      }
    });
  });

  describe('GS1-Capture-Error-Behaviour: proceed', () => {
    it('stores the valid events and lists the invalid ones in the job (success: false)', async () => {
      const valid = [freshEvent(), freshEvent()];
      const invalid = freshEvent({ action: 'SHOUT' });
      const before = await state();
      const response = await capture(epcisDocument([valid[0], invalid, valid[1]]), {
        'gs1-capture-error-behaviour': 'proceed',
      });
      expect(response.status).toBe(202);
      const job = (await (
        await call(ledger.baseUrl, response.headers.get('location')!, { key: ledger.apiKey })
      ).json()) as Record<string, unknown>;
      expect(job).toMatchObject({
        running: false,
        success: false,
        captureErrorBehaviour: 'proceed',
        eventCount: 2,
        errors: [
          {
            pointer: '/epcisBody/eventList/1/action',
            message: expect.any(String),
            exception: 'ValidationException',
          },
        ],
      });
      for (const event of valid) {
        expect(
          (await call(ledger.baseUrl, `/events/${encodeURIComponent(idOf(event))}`)).status,
        ).toBe(200);
      }
      expect(
        (await call(ledger.baseUrl, `/events/${encodeURIComponent(idOf(invalid))}`)).status,
      ).toBe(404);
      const after = await state();
      expect(after.listed).toBe(before.listed + 2);
      expect(after.counts).toMatchObject({
        events: (before.counts!.events as number) + 2,
        jobs: (before.counts!.jobs as number) + 1,
      });
    });

    it('keeps the valid events when another entry of the list is not an event at all', async () => {
      const valid = freshEvent();
      const response = await capture(epcisDocument([42, valid]), {
        'gs1-capture-error-behaviour': 'proceed',
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        success: false,
        eventCount: 1,
        errors: [{ pointer: '/epcisBody/eventList/0' }],
      });
      expect(
        (await call(ledger.baseUrl, `/events/${encodeURIComponent(idOf(valid))}`)).status,
      ).toBe(200);
    });

    it('leaves duplicates out and lists each with its pointer', async () => {
      const fresh = freshEvent();
      const response = await capture(
        epcisDocument([fresh, { ...freshEvent(), eventID: seeded[0] }]),
        { 'gs1-capture-error-behaviour': 'proceed' },
      );
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        success: false,
        eventCount: 1,
        errors: [
          {
            pointer: '/epcisBody/eventList/1',
            message: expect.stringContaining(seeded[0]!),
            exception: 'ResourceAlreadyExistsException',
          },
        ],
      });
      expect(
        (await call(ledger.baseUrl, `/events/${encodeURIComponent(idOf(fresh))}`)).status,
      ).toBe(200);
    });

    it('still refuses a document that is not an EPCIS document at all, storing nothing', async () => {
      const response = await expectNothingStored(() =>
        capture(epcisDocument([freshEvent()], { type: 'EPCISMasterDataDocument' }), {
          'gs1-capture-error-behaviour': 'proceed',
        }),
      );
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual([
        { pointer: '/type', detail: expect.any(String) },
      ]);
    });

    it('answers any other header value with 400, storing nothing', async () => {
      const response = await expectNothingStored(() =>
        capture(epcisDocument([freshEvent()]), { 'gs1-capture-error-behaviour': 'continue' }),
      );
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: expect.stringContaining('GS1-Capture-Error-Behaviour'),
      });
    });
  });

  describe('discovery', () => {
    it('OPTIONS /capture advertises the capture limits, the error behaviours and the EPCIS versions', async () => {
      const response = await call(ledger.baseUrl, '/capture', {
        method: 'OPTIONS',
        key: ledger.apiKey,
      });
      expect(response.status).toBe(204);
      expect(
        Object.fromEntries(
          [
            'gs1-epcis-capture-limit',
            'gs1-epcis-capture-file-size-limit',
            'gs1-capture-error-behaviour',
            'gs1-epcis-version',
            'gs1-cbv-version',
          ].map((name) => [name, response.headers.get(name)]),
        ),
      ).toEqual({
        'gs1-epcis-capture-limit': String(CAPTURE_LIMIT),
        'gs1-epcis-capture-file-size-limit': String(CAPTURE_MAX_BYTES),
        'gs1-capture-error-behaviour': 'rollback, proceed',
        'gs1-epcis-version': '2.0.0',
        'gs1-cbv-version': '2.0.0',
      });
      expect(response.headers.get('allow')).toBe('OPTIONS, GET, POST');
    });

    it('GET / answers the EPCIS discovery headers and names the capture and events resources', async () => {
      const response = await call(ledger.baseUrl, '/');
      expect(response.status).toBe(200);
      expect(response.headers.get('gs1-epcis-version')).toBe('2.0.0');
      expect(response.headers.get('gs1-cbv-version')).toBe('2.0.0');
      expect(await response.json()).toMatchObject({
        type: 'Collection',
        member: ['capture', 'events'],
      });
      const options = await call(ledger.baseUrl, '/', { method: 'OPTIONS' });
      expect(options.status).toBe(204);
      expect(options.headers.get('gs1-epcis-version')).toBe('2.0.0');
    });
  });
});
