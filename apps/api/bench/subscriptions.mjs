#!/usr/bin/env node
// `node apps/api/bench/subscriptions.mjs` (after `npm run build`): how fast webhook subscriptions
// deliver (docs/specs/subscriptions.md). Not a test: it prints figures.
//
//   1. latency: BENCH_LATENCY_EVENTS single events (POST /events) one after another, each
//      captured only after the previous one reached the receiver; the time from the capture's
//      201 to the callback carrying the event (a stream subscription, SUBSCRIPTION_POLL_MS
//      default 100 — the poll interval bounds it);
//   2. catch-up: one POST /capture document of BENCH_EVENTS events (half of them shipping),
//      then two stream subscriptions created with an initialRecordTime before it (all events;
//      shipping only); the time until the receiver has every event of both, in events/s.
//
// The built service (dist/main.js, or BENCH_SERVICE_MAIN) runs on a fresh database of the test
// server (TEST_DATABASE_URL, default the local PostgreSQL), dropped at the end; the receiver is a
// node:http server on loopback. BENCH_SERVICE_ENV adds service settings ("API_WORKERS=2 …").
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

import { createTestDatabase } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';

import { keepAliveAgent, request } from './lib/http.mjs';
import { startService } from './lib/service.mjs';

const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const ADMIN_KEY = 'bench-subscriptions-admin-key-0123456789abcdef';
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const log = (line) => process.stderr.write(`${line}\n`);

const event = (n, bizStep) => ({
  type: 'ObjectEvent',
  eventTime: new Date(Date.UTC(2026, 2, 1, 8) + n * 1000).toISOString(),
  eventTimeZoneOffset: '+01:00',
  epcList: [`urn:epc:id:sgtin:9520123.045678.${n}`],
  action: 'OBSERVE',
  bizStep,
  readPoint: { id: 'urn:epc:id:sgln:9520123.00001.0' },
});

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// The receiver: when each eventID arrived, per path.
const arrivals = new Map(); // path → Map(eventID → ms)
const waiters = [];
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const now = performance.now();
    const document = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const seen = arrivals.get(req.url) ?? new Map();
    arrivals.set(req.url, seen);
    for (const e of document.epcisBody.queryResults.resultsBody.eventList) {
      if (!seen.has(e.eventID)) seen.set(e.eventID, now);
    }
    res.writeHead(200).end();
    for (const waiter of [...waiters]) waiter();
  });
});
const until = (condition) =>
  new Promise((resolve) => {
    const check = () => {
      if (!condition()) return;
      waiters.splice(waiters.indexOf(check), 1);
      resolve();
    };
    waiters.push(check);
    check();
  });

await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hook = (path) => `http://127.0.0.1:${receiver.address().port}${path}`;
const db = await createTestDatabase('bench_subscriptions');
const extra = Object.fromEntries(
  (process.env.BENCH_SERVICE_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => pair.split('=', 2)),
);
const service = await startService({
  databaseUrl: db.url,
  signingKey: generateNoteKeys('bench.traceroot.test/log', new Uint8Array(32).fill(5)).signerKey,
  adminKey: ADMIN_KEY,
  env: { LOG_LEVEL: 'warn', SUBSCRIPTION_ALLOW_PRIVATE_DEST: '1', ...extra },
});
const agent = keepAliveAgent(4);
const json = async (method, path, key, body) => {
  const response = await request(agent, service.baseUrl, method, path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
  if (response.status >= 300) {
    throw new Error(`${method} ${path}: ${response.status} ${response.body}`);
  }
  return JSON.parse(response.body || 'null');
};
try {
  const { apiKey } = await json('POST', '/admin/organizations', ADMIN_KEY, { name: 'Bench' });
  await json('POST', '/queries', apiKey, { name: 'all', query: {} });
  await json('POST', '/queries', apiKey, { name: 'shipping', query: { EQ_bizStep: ['shipping'] } });
  await json('POST', '/queries/all/subscriptions', apiKey, {
    dest: hook('/all'),
    signatureToken: 'bench-token',
    stream: true,
  });

  log(`latency: ${LATENCY_EVENTS} events, one at a time`);
  const latencies = [];
  for (let n = 0; n < LATENCY_EVENTS; n += 1) {
    const recorded = await json('POST', '/events', apiKey, {
      '@context': [CONTEXT],
      ...event(n, 'shipping'),
    });
    const at = performance.now();
    await until(() => arrivals.get('/all')?.has(recorded.eventID) === true);
    latencies.push(arrivals.get('/all').get(recorded.eventID) - at);
  }
  latencies.sort((a, b) => a - b);

  log(`throughput: one capture of ${EVENTS} events, then two subscriptions that catch up`);
  const since = new Date(Date.now() - 1000).toISOString();
  const job = await request(agent, service.baseUrl, 'POST', '/capture', {
    body: JSON.stringify({
      '@context': [CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        eventList: Array.from({ length: EVENTS }, (_, i) =>
          event(LATENCY_EVENTS + i, i % 2 === 0 ? 'shipping' : 'receiving'),
        ),
      },
    }),
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  });
  const location = job.headers.location;
  for (;;) {
    const state = await json('GET', location, apiKey);
    if (!state.running) {
      if (!state.success) throw new Error(`the capture failed: ${JSON.stringify(state.errors)}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const started = performance.now();
  for (const name of ['all', 'shipping']) {
    await json('POST', `/queries/${name}/subscriptions`, apiKey, {
      dest: hook(`/catch-up-${name}`),
      signatureToken: 'bench-token',
      stream: true,
      initialRecordTime: since,
    });
  }
  await until(
    () =>
      (arrivals.get('/catch-up-all')?.size ?? 0) >= EVENTS &&
      (arrivals.get('/catch-up-shipping')?.size ?? 0) >= EVENTS / 2,
  );
  const seconds = (performance.now() - started) / 1000;
  const f = (ms) => `${ms.toFixed(1)} ms`;
  process.stdout.write(
    [
      `capture → callback latency (stream, ${LATENCY_EVENTS} events): p50 ${f(quantile(latencies, 0.5))}, p90 ${f(quantile(latencies, 0.9))}, p99 ${f(quantile(latencies, 0.99))}, max ${f(latencies.at(-1))}`,
      `catch-up: ${EVENTS} recorded events delivered to 2 new subscriptions at once (all: ${EVENTS}, shipping: ${EVENTS / 2}, batches of SUBSCRIPTION_BATCH_SIZE) in ${seconds.toFixed(2)} s: ${Math.round((EVENTS * 1.5) / seconds)} events/s`,
      '',
    ].join('\n'),
  );
  const errors = service.errors();
  if (errors.length > 0) log(`service errors:\n${errors.join('\n')}`);
} finally {
  await service.stop();
  agent.destroy();
  receiver.closeAllConnections();
  receiver.close();
  await db.drop();
}
