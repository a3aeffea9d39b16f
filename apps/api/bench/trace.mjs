#!/usr/bin/env node
// `npm run bench:trace` (issue 5 §2): GET /trace on a 10,000-event multi-tier supply chain. The
// chain is the trace test's generator at scale (bench/lib/trace-chain.mjs: farms → packers →
// processors with splits and merges → pallets, distributors → retailers), captured through POST
// /capture into the built service (dist/main.js) on a fresh database, sealed; then every sampled
// lot is traced over real HTTP (one keep-alive client, one request at a time: latency, not
// throughput), backward, forward, both, and both with bundle=true (the proofs the page verifies).
// Not a test: it prints p50/p95/p99 per kind, the events and nodes per trace, and EXPLAIN ANALYZE
// of the repository's two statements for one walk level; the target is p99 ≤ 200 ms for one lot.
//
// Progress goes to stderr, results to stdout. Settings (environment):
//   BENCH_TRACE_EVENTS (10000) at least this many events in the chain
//   BENCH_TRACE_SEED (1)       the generator's seed
//   BENCH_TRACE_LOTS (60)      lots traced (spread over farm, packer and processor lots)
//   BENCH_TRACE_ROUNDS (5)     times each lot is traced per kind (after one warm-up pass)
//   BENCH_TRACE_KINDS (all)    which kinds to time: backward,forward,both,bundle
//   BENCH_SERVICE_ENV          extra service settings, e.g. "LOG_LEVEL=warn API_WORKERS=2"
//   BENCH_CPU_PROF=dir         run the service under --cpu-prof (summarise the profile with
//                              bench/cpu-profile-summary.mjs)
//   BENCH_TRACE_KEEP_DB=1      keep the database (its URL is printed) for EXPLAIN by hand
//   TEST_DATABASE_URL          the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres)
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

import { createTestDatabase } from '@traceroot/db/testing';
import { epcUriToDigitalLink, generateNoteKeys } from '@traceroot/trace';
import pg from 'pg';

import { keepAliveAgent, request } from './lib/http.mjs';
import { startService } from './lib/service.mjs';
import { fmt, load, ms, progress, quantile } from './lib/stats.mjs';
import { generateSupplyChain, kindOf } from './lib/trace-chain.mjs';
// The service's own statement, from its build (the root script builds first).
const { TRACE_HITS_SQL } = await import('../dist/trace/trace.repository.js');

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const TARGET_EVENTS = num('BENCH_TRACE_EVENTS', 10_000);
const SEED = num('BENCH_TRACE_SEED', 1);
const LOTS = num('BENCH_TRACE_LOTS', 60);
const ROUNDS = num('BENCH_TRACE_ROUNDS', 5);
const KIND_NAMES = new Set(
  (process.env.BENCH_TRACE_KINDS ?? 'backward,forward,both,bundle').split(',').map((k) => k.trim()),
);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const DOC_EVENTS = 1000;
const TARGET_P99_MS = 200;
const SERVICE_ENV = Object.fromEntries(
  (process.env.BENCH_SERVICE_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);

const keys = generateNoteKeys('bench.traceroot.dev/log', new Uint8Array(randomBytes(32)));
const adminKey = randomBytes(32).toString('base64url');

// ─── The chain ───────────────────────────────────────────────────────────────────────────────
let scale = 1;
let chain = generateSupplyChain({ seed: SEED, scale });
while (chain.events.length < TARGET_EVENTS) {
  scale += 1;
  chain = generateSupplyChain({ seed: SEED, scale });
}
const counts = {};
for (const id of new Set(chain.model.events.flatMap((e) => e.names))) {
  counts[kindOf(id)] = (counts[kindOf(id)] ?? 0) + 1;
}
const lots = [...new Set(chain.model.events.flatMap((e) => e.names))]
  .filter((id) => kindOf(id).endsWith('lot'))
  .sort();
const step = Math.max(1, lots.length / LOTS);
const sampled = Array.from(
  { length: Math.min(LOTS, lots.length) },
  (_, i) => lots[Math.floor(i * step)],
);

const db = await createTestDatabase('bench_trace');
let service;
const cleanUp = async () => {
  await service?.stop();
  service = undefined;
  if (process.env.BENCH_TRACE_KEEP_DB === '1') progress(`kept the database: ${db.url}`);
  else await db.drop();
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    progress(`${signal}: stopping the service and dropping the database`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const agent = keepAliveAgent(1);
const call = async (method, path, { body, key, type = 'application/json' } = {}) => {
  const response = await request(agent, service.baseUrl, method, path, {
    ...(body === undefined ? {} : { body }),
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': type }),
    },
  });
  return response;
};

const lines = [];
const out = (line = '') => lines.push(line);

try {
  const server = await (async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const version = (await client.query('SHOW server_version')).rows[0].server_version;
    await client.end();
    return version;
  })();
  progress(
    `Traceroot trace benchmark: ${availableParallelism()} CPUs, Node ${process.version}, PostgreSQL ${server}; load ${load()}`,
  );
  progress(
    `chain: seed ${SEED}, scale ${scale}: ${fmt(chain.events.length)} events, ${Object.entries(
      counts,
    )
      .map(([k, v]) => `${v} ${k}s`)
      .join(', ')}`,
  );
  service = await startService({
    databaseUrl: db.url,
    signingKey: keys.signerKey,
    adminKey,
    env: SERVICE_ENV,
    cpuProfileDir: CPU_PROF,
  });

  // ── Capture through the real API, then wait for a checkpoint covering everything ───────────
  const org = await call('POST', '/admin/organizations', {
    key: adminKey,
    body: JSON.stringify({ name: 'Trace benchmark' }),
  });
  if (org.status !== 201) throw new Error(`POST /admin/organizations: ${org.status} ${org.body}`);
  const { apiKey } = JSON.parse(org.body);
  const captureStarted = performance.now();
  for (let i = 0; i < chain.events.length; i += DOC_EVENTS) {
    const document = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: chain.events.slice(i, i + DOC_EVENTS) },
    };
    const response = await call('POST', '/capture', {
      key: apiKey,
      body: JSON.stringify(document),
      type: 'application/ld+json',
    });
    if (response.status !== 202) {
      throw new Error(`POST /capture: ${response.status} ${response.body}`);
    }
    for (;;) {
      const job = JSON.parse((await call('GET', response.headers.location, { key: apiKey })).body);
      if (!job.running) {
        if (!job.success) throw new Error(`capture job failed: ${JSON.stringify(job.errors)}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  for (;;) {
    const checkpoint = await call('GET', '/log/checkpoint');
    const size = checkpoint.status === 200 ? Number(checkpoint.body.split('\n')[1]) : 0;
    if (size >= chain.events.length) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  progress(
    `captured and sealed ${fmt(chain.events.length)} events in ${((performance.now() - captureStarted) / 1000).toFixed(1)} s`,
  );
  // A fresh database has no planner statistics yet; autovacuum gathers them within a minute of a
  // load this size (autovacuum_naptime). Without them the planner misjudges every index lookup.
  {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('ANALYZE');
    await client.end();
  }

  // ── Traces ────────────────────────────────────────────────────────────────────────────────
  const KINDS = [
    ['backward', '?direction=backward', 'backward'],
    ['forward', '?direction=forward', 'forward'],
    ['both', '?direction=both', 'both'],
    ['both, bundle=true', '?direction=both&bundle=true', 'bundle'],
  ].filter(([, , name]) => KIND_NAMES.has(name));
  const traceOf = async (lot, query) => {
    const response = await call('GET', `/trace/${encodeURIComponent(lot)}${query}`);
    if (response.status !== 200) throw new Error(`GET /trace: ${response.status} ${response.body}`);
    return response;
  };
  progress(`warm-up: ${sampled.length} lots × ${KINDS.length} kinds`);
  for (const lot of sampled) for (const [, query] of KINDS) await traceOf(lot, query);

  out(
    `GET /trace/{lot} on a ${fmt(chain.events.length)}-event chain (seed ${SEED}): ${sampled.length} lots × ${ROUNDS} rounds per kind, one keep-alive client, sequential`,
  );
  out('');
  out(
    '| kind | p50 | p95 | p99 | max | events / trace (mean, max) | nodes / trace (mean, max) | truncated | p99 ≤ 200 ms |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  let allMet = true;
  for (const [label, query] of KINDS) {
    const times = [];
    const sizes = [];
    let truncated = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const lot of sampled) {
        const response = await traceOf(lot, query);
        times.push(response.ms);
        if (round === 0) {
          const view = JSON.parse(response.body);
          sizes.push({ events: view.events.length, nodes: view.nodes.length });
          if (view.truncated) truncated += 1;
        }
      }
    }
    const mean = (key) => sizes.reduce((sum, s) => sum + s[key], 0) / sizes.length;
    const max = (key) => Math.max(...sizes.map((s) => s[key]));
    const p99 = quantile(times, 0.99);
    const met = p99 <= TARGET_P99_MS;
    allMet &&= met;
    out(
      `| ${label} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.95))} | ${ms(p99)} | ${ms(Math.max(...times))} | ${fmt(mean('events'), 1)}, ${max('events')} | ${fmt(mean('nodes'), 1)}, ${max('nodes')} | ${truncated} | ${met ? 'met' : 'NOT met'} |`,
    );
    progress(`${label}: p99 ${ms(p99)}`);
  }

  // ── EXPLAIN ANALYZE of the repository's statements, for the lot with the largest trace ─────
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const lot = epcUriToDigitalLink(sampled[0]);
    const explain = async (label, sql, values) => {
      const rows = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values)).rows;
      out('');
      out(`EXPLAIN ANALYZE, ${label}:`);
      for (const row of rows) out(`    ${row['QUERY PLAN']}`);
    };
    // The walk's statement (trace.repository.ts `hits`), for the first level of a lot's walk.
    await explain(
      `hits (the events naming ${lot}, with what the walk reads of them)`,
      TRACE_HITS_SQL,
      [[lot], 2001],
    );
  } finally {
    await client.end();
  }
  out('');
  out(
    `target (issue 5 §2): the trace of one lot on a 10,000-event chain answers in p99 ≤ ${TARGET_P99_MS} ms: ${allMet ? 'met' : 'NOT met'}`,
  );
  const errors = service.errors();
  if (errors.length > 0) out(`the service logged ${errors.length} error(s), e.g. ${errors[0]}`);
} finally {
  agent.destroy();
  await cleanUp();
}
process.stdout.write(`${lines.join('\n')}\n`);
