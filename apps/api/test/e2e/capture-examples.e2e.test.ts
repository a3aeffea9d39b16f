// Every official GS1 EPCIS 2.0 example (the workplace's conformance set, gs1/EPCIS `JSON/`) goes
// through POST /capture of the full service on real PostgreSQL, and every event reads back through
// GET /events/{eventID} as it was sent.
//
// Some examples share eventIDs (they are variants of one event), so they cannot all live in one
// log: the examples are split into rounds whose eventIDs are disjoint, each on a fresh database.
// Before an example moves to a later round, the round that holds its twin is asked to capture it
// too, and must refuse it whole with the duplicate policy's 409 (docs/capture.md).
import { readdirSync, readFileSync } from 'node:fs';

import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import {
  computeEventHashId,
  eventsOfDocument,
  type TraceBundle,
  verifyTraceBundle,
} from '@traceroot/trace';

import {
  call,
  type LedgerApp,
  omit,
  problemOf,
  startLedgerApp,
  publishEverything,
} from '../support/ledger-app.js';

const EXAMPLES = new URL('../../../../conformance/epcis/gs1-examples/', import.meta.url);

type Example = {
  file: string;
  doc: Record<string, unknown>;
  events: Record<string, unknown>[];
  /** Per event: its eventID as given, else its CBV 2.0 event hash ID (what the service assigns). */
  ids: string[];
  hashIds: string[];
};

const examples: Example[] = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.jsonld') || file.endsWith('.json'))
  .sort()
  .map((file) => {
    const doc = JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Record<
      string,
      unknown
    >;
    const { events, context } = eventsOfDocument(doc);
    const hashIds = events.map((event) => computeEventHashId(event, { context }));
    const ids = events.map((event, i) =>
      typeof event.eventID === 'string' ? event.eventID : hashIds[i]!,
    );
    return { file, doc, events: events as Record<string, unknown>[], ids, hashIds };
  });

/** Greedy rounds: each example goes to the first round that holds none of its eventIDs. */
const rounds: { examples: Example[]; ids: Map<string, string> }[] = [];
for (const example of examples) {
  let round = rounds.find((r) => example.ids.every((id) => !r.ids.has(id)));
  if (!round) rounds.push((round = { examples: [], ids: new Map() }));
  round.examples.push(example);
  example.ids.forEach((id, i) => round.ids.set(id, example.hashIds[i]!));
}

/** HTTP status of POST /capture per example file, as the rounds below saw it. */
const captureStatus = new Map<string, number>();

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('POST /capture of the GS1 EPCIS 2.0 examples', () => {
  let ledger: LedgerApp | undefined;

  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
  });

  afterAll(async () => {
    await ledger?.close();
  });

  it('reads all 47 examples, whose events have unique eventIDs within each document', () => {
    expect(examples).toHaveLength(47);
    for (const example of examples) expect(new Set(example.ids).size).toBe(example.ids.length);
    // The examples do share eventIDs across files: that is why there are rounds.
    expect(rounds.length).toBeGreaterThan(1);
  });

  it.each(
    rounds.map((round, i) => ({ round: i + 1, count: round.examples.length, round_: round })),
  )(
    'round $round: captures $count examples; every event reads back as sent, then seals and verifies',
    async ({ round_: round }) => {
      ledger = await startLedgerApp();
      // EPCIS conformance: every field public, so events read back (and hash) exactly as sent.
      await publishEverything(ledger);
      const { baseUrl, apiKey } = ledger;
      let stored = 0;
      for (const example of round.examples) {
        const before = Date.now();
        const response = await call(baseUrl, '/capture', {
          key: apiKey,
          body: example.doc,
          headers: { 'content-type': 'application/ld+json' },
        });
        const after = Date.now();
        captureStatus.set(example.file, response.status);
        expect({ file: example.file, status: response.status }).toEqual({
          file: example.file,
          status: 202,
        });
        const location = response.headers.get('location');
        expect(location).toMatch(new RegExp(`^/capture/${UUID}$`));
        const job = (await (await call(baseUrl, location!, { key: apiKey })).json()) as Record<
          string,
          unknown
        >;
        expect(job).toMatchObject({
          captureID: location!.slice('/capture/'.length),
          running: false,
          success: true,
          eventCount: example.events.length,
          errors: [],
        });
        stored += example.events.length;

        for (const [i, sent] of example.events.entries()) {
          const read = await call(baseUrl, `/events/${encodeURIComponent(example.ids[i]!)}`);
          expect({ file: example.file, event: i, status: read.status }).toEqual({
            file: example.file,
            event: i,
            status: 200,
          });
          const {
            ledger: place,
            recordTime,
            eventID,
            '@context': context,
            ...rest
          } = (await read.json()) as Record<string, unknown>;
          // Served as committed to the log: with the capturing document's @context (JSON-LD:
          // it defines the prefixes of extension fields), absent when the document had none.
          const sentContext = (example.doc as { '@context'?: unknown })['@context'];
          expect(context).toEqual(
            Array.isArray(sentContext) && sentContext.length === 0 ? undefined : sentContext,
          );
          // The log position is added; the event is not sealed yet.
          expect(place).toMatchObject({
            leafIndex: expect.any(Number),
            sealed: false,
            withheld: 0,
            erased: [],
          });
          // recordTime is the repository's (EPCIS 2.0 §7.4.1): set at capture, whatever was sent.
          expect(Date.parse(String(recordTime))).toBeGreaterThanOrEqual(before - 1000);
          expect(Date.parse(String(recordTime))).toBeLessThanOrEqual(after + 1000);
          // An event without eventID gets its CBV 2.0 event hash ID.
          expect(eventID).toBe(
            typeof sent.eventID === 'string' ? sent.eventID : example.hashIds[i],
          );
          expect({ file: example.file, event: i, body: rest }).toStrictEqual({
            file: example.file,
            event: i,
            body: omit(sent, 'recordTime', 'eventID'),
          });
        }
      }

      // Examples of later rounds share an eventID with this round: capturing them here is a
      // duplicate (same content: same hash ID) or a conflict, refused whole.
      const laterExamples = rounds.slice(rounds.indexOf(round) + 1).flatMap((r) => r.examples);
      for (const example of laterExamples) {
        const first = example.ids.findIndex((id) => round.ids.has(id));
        if (first < 0) continue;
        const code =
          round.ids.get(example.ids[first]!) === example.hashIds[first]
            ? 'DUPLICATE_EVENT'
            : 'CONFLICTING_EVENT';
        const response = await call(baseUrl, '/capture', { key: apiKey, body: example.doc });
        expect({ file: example.file, status: response.status }).toEqual({
          file: example.file,
          status: 409,
        });
        expect(await problemOf(response)).toMatchObject({
          code,
          type: 'epcisException:ResourceAlreadyExistsException',
        });
      }

      const page = (await (await call(baseUrl, '/events?perPage=1000')).json()) as {
        epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
      };
      const listed = page.epcisBody.queryResults.resultsBody.eventList.map(
        (event) => event.eventID,
      );
      expect(listed).toEqual(round.examples.flatMap((example) => example.ids));
      expect(listed).toHaveLength(stored);

      // Sealed, every event's bundle verifies, with its event hash ID recomputed from its fields.
      const sealed = await ledger.seal();
      expect(sealed.at(-1)?.treeSize).toBe(stored);
      for (const example of round.examples) {
        for (const [i, id] of example.ids.entries()) {
          const bundle = (await (
            await call(baseUrl, `/events/${encodeURIComponent(id)}/bundle`)
          ).json()) as TraceBundle;
          const verdict = verifyTraceBundle(bundle, [ledger.verifierKey], {
            origin: ledger.origin,
          });
          expect({ file: example.file, event: i, verdict }).toMatchObject({
            file: example.file,
            event: i,
            verdict: {
              ok: true,
              treeSize: stored,
              entries: [{ eventHashId: example.hashIds[i], eventHashIdChecked: true }],
            },
          });
        }
      }
    },
    60_000,
  );

  // The REST binding: POST /capture "should support both EPCISDocument and EPCISQueryDocument as
  // input"; a query document's events are at epcisBody.queryResults.resultsBody.eventList.
  it('accepted the EPCISQueryDocument example (202, its events read back, in the rounds above)', () => {
    const query = examples.filter((example) => example.doc.type === 'EPCISQueryDocument');
    expect(query.map((example) => example.file)).toEqual(['EPCISQueryDocument.jsonld']);
    expect(query[0]!.events).toHaveLength(2);
    expect(captureStatus.get('EPCISQueryDocument.jsonld')).toBe(202);
    expect(captureStatus.size).toBe(examples.length);
  });
});
