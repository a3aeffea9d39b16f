#!/usr/bin/env node
// `npm run bench:query` (issue 5 §1): the EPCIS query interface's speed with 1,000,000 events in
// the database. Not a test: it prints figures, and compares them with the issue's target
// (a MATCH_epc or lot query answers in p99 ≤ 50 ms).
//
//   1. load: a seeded, realistic supply chain (bench/lib/supply-chain.mjs: 30 organizations,
//      brand owners' serialised and lot-level lots, pallets, distribution centres, stores,
//      purchase orders, despatch advices, sensor reports) POSTed to /capture of the built service
//      (dist/main.js, as `npm start` runs it) in large documents by a few concurrent clients, so
//      the rows and indexes are exactly what production writes; then sealed, and VACUUM ANALYZE
//      (what autovacuum does to a table in service);
//   2. queries over HTTP (GET /events) against the running service, with targets drawn (seeded)
//      from what was generated: warm-up, then BENCH_REQUESTS requests per kind one after another,
//      then the same at BENCH_CONCURRENCY clients; latency quantiles, result sizes, and a check
//      of every answer (right count for an item or pallet, right bizStep/location/type/time).
//
// Options: --events N (default 1,000,000), --seed S, --reuse (keep the loaded database,
// traceroot_bench_query_<size>, and reuse it when it holds this seed's N events; otherwise it is
// dropped at the end). Progress goes to stderr, results to stdout. Settings (environment):
//   BENCH_REQUESTS (1000) measured requests per query kind and table; BENCH_WARMUP (100) per kind
//   BENCH_CONCURRENCY (4) clients of the second table
//   BENCH_DOC_EVENTS (2500) events per capture document; BENCH_LOAD_CLIENTS (3) concurrent captures
//   BENCH_AUTO_EXPLAIN_MS=n  log the plans of the service's statements slower than n ms to the
//                     PostgreSQL server log (auto_explain, on the benchmark database only)
//   BENCH_SERVICE_ENV extra service settings, e.g. "LOG_LEVEL=warn"; the service runs with
//                     API_WORKERS=auto unless this sets API_WORKERS
//   BENCH_CPU_PROF=dir  run the service under --cpu-prof (summarise with bench/cpu-profile-summary.mjs)
//   TEST_DATABASE_URL   the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres)
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { TEST_SERVER_URL } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';
import pg from 'pg';

import { keepAliveAgent, request } from './lib/http.mjs';
import { queryKinds } from './lib/query-kinds.mjs';
import { startService } from './lib/service.mjs';
import { fmt, load, ms, processCpuSeconds, progress, quantile } from './lib/stats.mjs';
import { GENERATOR_VERSION, pickTargets, seededRandom, supplyChain } from './lib/supply-chain.mjs';

const { values: options } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '20261127' },
    reuse: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(options.events);
const SEED = Number(options.seed);
if (!Number.isInteger(EVENTS) || EVENTS < 1000) {
  throw new Error('--events must be an integer ≥ 1000');
}
if (!Number.isInteger(SEED)) throw new Error('--seed must be an integer');
const num = (name, fallback) => Number(process.env[name] ?? fallback);
const REQUESTS = num('BENCH_REQUESTS', 1000);
const WARMUP = num('BENCH_WARMUP', 100);
const CONCURRENCY = num('BENCH_CONCURRENCY', 4);
const DOC_EVENTS = num('BENCH_DOC_EVENTS', 2500);
const LOAD_CLIENTS = num('BENCH_LOAD_CLIENTS', 3);
const TARGET_P99_MS = 50;
const SERVICE_ENV = Object.fromEntries(
  `API_WORKERS=auto ${process.env.BENCH_SERVICE_ENV ?? ''}`
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const CORES = availableParallelism();

const sizeName =
  EVENTS % 1_000_000 === 0
    ? `${EVENTS / 1_000_000}m`
    : EVENTS % 1000 === 0
      ? `${EVENTS / 1000}k`
      : String(EVENTS);
const DB_NAME = `traceroot_bench_query_${sizeName}`;
const databaseUrl = (() => {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
})();
// What the database must have been loaded with to be reused: the generator, the seed, the size.
// Migrations added since the load are applied by the service at start, as on a production
// database (an index built on the rows already there); a change of what capture writes needs a
// fresh load (run without --reuse once).
const MIGRATIONS = readdirSync(new URL('../../../prisma/migrations/', import.meta.url))
  .filter((name) => /^\d/.test(name))
  .sort();
const FINGERPRINT = { generator: GENERATOR_VERSION, seed: SEED, events: EVENTS };
const sameLoad = (saved) =>
  ['generator', 'seed', 'events'].every((key) => saved?.[key] === FINGERPRINT[key]);
// Diagnosis: log the plans (EXPLAIN ANALYZE, BUFFERS) of the service's statements that take at
// least this many ms to the PostgreSQL server log, by auto_explain on the benchmark database.
const AUTO_EXPLAIN_MS = process.env.BENCH_AUTO_EXPLAIN_MS;

// The log's key, from the seed: a reused database's checkpoints stay signed by the same key.
const ORIGIN = 'bench.traceroot.dev/query-log';
const keys = generateNoteKeys(
  ORIGIN,
  new Uint8Array(createHash('sha256').update(`traceroot bench:query ${SEED}`).digest()),
);
const adminKey = createHash('sha256').update(`admin ${SEED} ${process.pid}`).digest('base64url');

const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
await admin.connect();
let service;
let keepDatabase = options.reuse;
const cleanUp = async () => {
  if (service) await service.stop().catch(() => {});
  service = undefined;
  if (!keepDatabase) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => {});
  }
  await admin.end().catch(() => {});
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    progress(`${signal}: stopping the service${keepDatabase ? '' : ' and dropping the database'}`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ─── The database: reuse or load ─────────────────────────────────────────────────────────────

/** The fingerprint and targets of a loaded database (its comment), or null. */
const loadedDatabase = async () => {
  const { rows } = await admin.query(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [DB_NAME],
  );
  if (rows.length === 0) return null;
  try {
    const saved = JSON.parse(rows[0].comment ?? 'null');
    return saved && sameLoad(saved.fingerprint) ? saved : null;
  } catch {
    return null;
  }
};

const countEvents = async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
  } finally {
    await client.end();
  }
};

const boot = async () => {
  service = await startService({
    databaseUrl,
    signingKey: keys.signerKey,
    adminKey,
    env: SERVICE_ENV,
    cpuProfileDir: process.env.BENCH_CPU_PROF,
  });
  return service;
};

const createOrganizations = async (baseUrl, organizations) => {
  const agent = keepAliveAgent(1);
  const apiKeys = [];
  for (const org of organizations) {
    const response = await request(agent, baseUrl, 'POST', '/admin/organizations', {
      body: JSON.stringify({ name: org.name }),
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    });
    if (response.status !== 201) {
      throw new Error(`POST /admin/organizations: ${response.status} ${response.body}`);
    }
    apiKeys.push(JSON.parse(response.body).apiKey);
  }
  agent.destroy();
  return apiKeys;
};

const checkpointSize = async (agent, baseUrl) => {
  const response = await request(agent, baseUrl, 'GET', '/log/checkpoint');
  return response.status === 200 ? Number(response.body.split('\n')[1]) : 0;
};

const loadDatabase = async () => {
  progress(`creating ${DB_NAME} and starting the service on it`);
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await boot();
  const chain = supplyChain({ seed: SEED, events: EVENTS, docEvents: DOC_EVENTS });
  const apiKeys = await createOrganizations(service.baseUrl, chain.organizations);
  progress(
    `loading ${fmt(EVENTS)} events: documents of up to ${fmt(DOC_EVENTS)} events from ${chain.organizations.length} organizations, ${LOAD_CLIENTS} concurrent POST /capture`,
  );
  const agent = keepAliveAgent(LOAD_CLIENTS);
  const started = performance.now();
  let acknowledged = 0;
  let documents = 0;
  let captureMs = 0;
  let last = { t: started, n: 0 };
  const ticker = setInterval(() => {
    const now = performance.now();
    const rate = (acknowledged - last.n) / ((now - last.t) / 1000);
    const overall = acknowledged / ((now - started) / 1000);
    const eta = overall > 0 ? (EVENTS - acknowledged) / overall : NaN;
    last = { t: now, n: acknowledged };
    progress(
      `  ${fmt(acknowledged)} / ${fmt(EVENTS)} events (${fmt((100 * acknowledged) / EVENTS, 1)} %), ${fmt(rate)} events/s now, ${fmt(overall)} overall; ETA ${fmt(eta / 60, 1)} min; load average ${load()}`,
    );
  }, 10_000);
  const client = async () => {
    for (;;) {
      const next = chain.documents.next();
      if (next.done) return;
      const { organization, document, events } = next.value;
      const response = await request(agent, service.baseUrl, 'POST', '/capture', {
        body: JSON.stringify(document),
        headers: {
          authorization: `Bearer ${apiKeys[organization]}`,
          'content-type': 'application/json',
        },
      });
      if (response.status !== 202) {
        throw new Error(
          `POST /capture (${events} events): ${response.status} ${response.body.slice(0, 2000)}`,
        );
      }
      acknowledged += events;
      documents += 1;
      captureMs += response.ms;
    }
  };
  try {
    await Promise.all(Array.from({ length: LOAD_CLIENTS }, client));
  } finally {
    clearInterval(ticker);
  }
  const captureSeconds = (performance.now() - started) / 1000;
  progress(
    `  ${fmt(acknowledged)} events acknowledged in ${fmt(captureSeconds, 1)} s (${fmt(acknowledged / captureSeconds)} events/s); waiting for the sealer`,
  );
  const poll = keepAliveAgent(1);
  while ((await checkpointSize(poll, service.baseUrl)) < acknowledged) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  poll.destroy();
  agent.destroy();
  const sealedSeconds = (performance.now() - started) / 1000;
  progress(`  all sealed at ${fmt(sealedSeconds, 1)} s; VACUUM ANALYZE`);
  const client2 = new pg.Client({ connectionString: databaseUrl });
  await client2.connect();
  const vacuumStarted = performance.now();
  await client2.query('VACUUM ANALYZE');
  await client2.end();
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  const targets = pickTargets(chain.catalogue, SEED);
  const loaded = {
    fingerprint: { ...FINGERPRINT, migrations: MIGRATIONS },
    load: {
      events: acknowledged,
      documents,
      captureSeconds,
      sealedSeconds,
      vacuumSeconds,
      meanCaptureMs: captureMs / documents,
      loadClients: LOAD_CLIENTS,
      docEvents: DOC_EVENTS,
      at: new Date().toISOString(),
    },
    targets,
  };
  await admin.query(
    `COMMENT ON DATABASE ${DB_NAME} IS ${admin.escapeLiteral(JSON.stringify(loaded))}`,
  );
  return loaded;
};

// ─── Measurement ─────────────────────────────────────────────────────────────────────────────

/** CPU seconds used so far by the PostgreSQL backends serving the benchmark database. */
const backendCpu = async () => {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    DB_NAME,
  ]);
  return new Map(rows.map(({ pid }) => [pid, processCpuSeconds(pid)]));
};
const backendSecondsBetween = (before, after) => {
  let seconds = 0;
  for (const [pid, cpu] of after) {
    if (Number.isFinite(cpu)) seconds += cpu - (before.get(pid) ?? 0);
  }
  return seconds;
};

const measure = async (kind, { requests, clients, warmup, random }) => {
  const agent = keepAliveAgent(clients);
  const latencies = [];
  const sizes = [];
  let failures = [];
  let wrong = [];
  let morePages = 0;
  let issued = 0;
  const one = async (record) => {
    const q = kind.next(random);
    const response = await request(agent, service.baseUrl, 'GET', q.path);
    if (!record) return;
    latencies.push(response.ms);
    if (response.status !== 200) {
      failures.push(`${q.path}: ${response.status} ${response.body.slice(0, 300)}`);
      return;
    }
    const events = JSON.parse(response.body).epcisBody.queryResults.resultsBody.eventList;
    sizes.push(events.length);
    if (response.headers.link) morePages += 1;
    const fault = q.check(events, Boolean(response.headers.link));
    if (fault) wrong.push(`${q.path}: ${fault}`);
  };
  const run = async (count, record) => {
    const worker = async () => {
      while (issued < count) {
        issued += 1;
        await one(record);
      }
    };
    issued = 0;
    await Promise.all(Array.from({ length: clients }, worker));
  };
  await run(warmup, false);
  // CPU time per request of the service (all its processes) and of its database backends: what a
  // query costs, whatever else runs on the machine meanwhile.
  const cpuBefore = { service: processCpuSeconds(service.pid), pg: await backendCpu() };
  const started = performance.now();
  await run(requests, true);
  const seconds = (performance.now() - started) / 1000;
  const serviceCpuMs = ((processCpuSeconds(service.pid) - cpuBefore.service) * 1000) / requests;
  const pgCpuMs = (backendSecondsBetween(cpuBefore.pg, await backendCpu()) * 1000) / requests;
  agent.destroy();
  return {
    latencies,
    sizes,
    failures,
    wrong,
    morePages,
    perSecond: requests / seconds,
    serviceCpuMs,
    pgCpuMs,
  };
};

const summary = (values) => {
  if (values.length === 0) return '–';
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0]}/${quantile(sorted, 0.5)}/${sorted.at(-1)}`;
};

const table = (title, rows) => {
  const header = [
    'query',
    'p50',
    'p95',
    'p99',
    'max',
    'req/s',
    'CPU/req service+db',
    'results min/median/max',
    'checks',
  ];
  const lines = rows.map(({ kind, result }) => [
    kind.label,
    ms(quantile(result.latencies, 0.5)),
    ms(quantile(result.latencies, 0.95)),
    ms(quantile(result.latencies, 0.99)),
    ms(Math.max(...result.latencies)),
    fmt(result.perSecond),
    `${ms(result.serviceCpuMs)} + ${ms(result.pgCpuMs)}`,
    `${summary(result.sizes)}${result.morePages ? ` (${fmt((100 * result.morePages) / result.sizes.length)} % more pages)` : ''}`,
    result.failures.length + result.wrong.length === 0
      ? 'ok'
      : `${result.failures.length} failed, ${result.wrong.length} wrong`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [title, format(header), widths.map((w) => '─'.repeat(w)).join('  '), ...lines.map(format)];
};

// ─── Main ────────────────────────────────────────────────────────────────────────────────────

const server = (await admin.query('SHOW server_version')).rows[0].server_version;
const started = performance.now();
let loaded = options.reuse ? await loadedDatabase() : null;
let reused = false;
const output = [];
try {
  if (loaded) {
    const count = await countEvents().catch(() => -1);
    if (count === EVENTS) {
      progress(`reusing ${DB_NAME}: ${fmt(count)} events (loaded ${loaded.load.at})`);
      reused = true;
      await boot();
    } else {
      progress(`${DB_NAME} holds ${fmt(count)} events, not ${fmt(EVENTS)}: loading it again`);
      loaded = null;
    }
  }
  if (!loaded) loaded = await loadDatabase();
  const { targets } = loaded;
  const autoExplain = async (on) => {
    const settings = {
      session_preload_libraries: 'auto_explain',
      'auto_explain.log_min_duration': AUTO_EXPLAIN_MS,
      'auto_explain.log_analyze': 'on',
      'auto_explain.log_buffers': 'on',
    };
    for (const [name, value] of Object.entries(settings)) {
      await admin.query(
        on
          ? `ALTER DATABASE ${DB_NAME} SET ${name} = ${admin.escapeLiteral(value)}`
          : `ALTER DATABASE ${DB_NAME} RESET ${name}`,
      );
    }
  };
  if (AUTO_EXPLAIN_MS !== undefined) {
    progress(`auto_explain: plans of statements ≥ ${AUTO_EXPLAIN_MS} ms go to the server log`);
    await autoExplain(true);
    await service.stop();
    await boot();
  }

  // The full query interface refuses unknown parameters; the first one ignored them and knew
  // MATCH_anyEPC and MATCH_anyEPCClass only.
  const probe = await request(
    keepAliveAgent(1),
    service.baseUrl,
    'GET',
    '/events?NO_SUCH_PARAMETER=1',
  );
  const full = probe.status === 400;
  const kinds = queryKinds(targets, { full });
  progress(
    full
      ? 'the service has the full query interface'
      : `the service ignores unknown query parameters (${probe.status}): only MATCH_anyEPC / MATCH_anyEPCClass kinds`,
  );

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const sizes = (
    await db.query(`SELECT pg_database_size(current_database()) AS db,
      pg_total_relation_size('events') AS events, pg_relation_size('events') AS events_heap,
      pg_indexes_size('events') AS events_indexes,
      pg_total_relation_size('event_identifiers') AS identifiers,
      (SELECT count(*) FROM event_identifiers) AS identifier_rows,
      coalesce(pg_total_relation_size(to_regclass('event_terms')), 0) AS terms,
      (SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('event_terms')) AS term_rows,
      pg_total_relation_size('log_leaves') + pg_total_relation_size('log_nodes') AS log,
      (SELECT count(*) FROM events) AS events_count`)
  ).rows[0];
  await db.end();

  const random = seededRandom(SEED ^ 0x9e37);
  const sequential = [];
  for (const kind of kinds) {
    progress(`${kind.label}: ${WARMUP} warm-up, ${REQUESTS} requests, 1 client`);
    const result = await measure(kind, { requests: REQUESTS, clients: 1, warmup: WARMUP, random });
    progress(
      `  p50 ${ms(quantile(result.latencies, 0.5))}, p99 ${ms(quantile(result.latencies, 0.99))}`,
    );
    sequential.push({ kind, result });
  }
  const concurrent = [];
  for (const kind of kinds) {
    progress(`${kind.label}: ${REQUESTS} requests, ${CONCURRENCY} clients`);
    const result = await measure(kind, {
      requests: REQUESTS,
      clients: CONCURRENCY,
      warmup: WARMUP,
      random,
    });
    progress(
      `  p50 ${ms(quantile(result.latencies, 0.5))}, p99 ${ms(quantile(result.latencies, 0.99))}`,
    );
    concurrent.push({ kind, result });
  }
  const errors = service.errors();
  if (AUTO_EXPLAIN_MS !== undefined) await autoExplain(false);

  const l = loaded.load;
  output.push(
    '',
    `Traceroot query benchmark: ${CORES} CPUs, Node ${process.version}, PostgreSQL ${server} (same machine, loopback)`,
    `service env ${Object.entries(SERVICE_ENV)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}; seed ${SEED}; load average at end ${load()}`,
    `database ${DB_NAME}${reused ? ' (reused)' : ''}: ${fmt(Number(sizes.events_count))} events, ${fmt(Number(sizes.identifier_rows))} identifier rows; ${fmt(Number(sizes.db) / 2 ** 20)} MiB in all (events ${fmt(Number(sizes.events) / 2 ** 20)} MiB: heap ${fmt(Number(sizes.events_heap) / 2 ** 20)}, indexes ${fmt(Number(sizes.events_indexes) / 2 ** 20)}; event_identifiers ${fmt(Number(sizes.identifiers) / 2 ** 20)} MiB, event_terms ${fmt(Number(sizes.terms) / 2 ** 20)} MiB (≈ ${fmt(Number(sizes.term_rows ?? 0))} rows); log ${fmt(Number(sizes.log) / 2 ** 20)} MiB)`,
    `loaded${reused ? ` ${l.at}` : ''} through POST /capture: ${fmt(l.events)} events in ${fmt(l.documents)} documents of ≤ ${fmt(l.docEvents)} events, ${l.loadClients} clients: ${fmt(l.captureSeconds, 1)} s (${fmt(l.events / l.captureSeconds)} events/s, ${fmt(l.meanCaptureMs)} ms per document), all sealed at ${fmt(l.sealedSeconds, 1)} s; VACUUM ANALYZE ${fmt(l.vacuumSeconds, 1)} s`,
    ...(() => {
      const later = MIGRATIONS.filter((m) => !(loaded.fingerprint.migrations ?? []).includes(m));
      return later.length > 0 ? [`migrations applied after the load: ${later.join(', ')}`] : [];
    })(),
    `per kind: ${WARMUP} warm-up requests, then ${REQUESTS} measured; targets drawn (seeded) from the generated items, lots, pallets and locations; default page size (30)`,
    '',
    ...table('1 client (sequential requests)', sequential),
    '',
    ...table(`${CONCURRENCY} concurrent clients`, concurrent),
    '',
  );
  for (const { kind, result } of sequential.filter((r) => r.kind.target)) {
    const p99 = quantile(result.latencies, 0.99);
    const c = concurrent.find((r) => r.kind === kind).result;
    const p99c = quantile(c.latencies, 0.99);
    const correct = result.failures.length + result.wrong.length === 0;
    output.push(
      `${p99 <= TARGET_P99_MS && correct ? 'MEETS ' : 'MISSES'} target p99 ≤ ${TARGET_P99_MS} ms: ${kind.label}: p99 ${ms(p99)} (1 client), ${ms(p99c)} (${CONCURRENCY} clients)${correct ? '' : ' — with failed or wrong answers'}`,
    );
  }
  if (!full) {
    output.push(
      'note: this build of the service has only MATCH_anyEPC / MATCH_anyEPCClass; the other kinds were not measured',
    );
  }
  if (errors.length > 0) {
    output.push(`the service logged ${errors.length} error(s), e.g. ${errors[0]}`);
  }
  for (const { kind, result } of [...sequential, ...concurrent]) {
    for (const line of [...result.failures, ...result.wrong].slice(0, 3)) {
      output.push(`  ${kind.label}: ${line}`);
    }
  }
  output.push(`(whole run ${fmt((performance.now() - started) / 1000)} s)`);
} finally {
  keepDatabase = options.reuse;
  await cleanUp();
  if (!options.reuse) progress(`dropped ${DB_NAME} (keep it with --reuse)`);
}
console.log(output.join('\n'));
