#!/usr/bin/env node
// `npm run bench:ingest` (issue 3 §8): a load generator on loopback against the built ledger
// service (dist/main.js, as `npm start` runs it) on the local PostgreSQL, on fresh databases it
// creates and drops. Not a test: it prints figures, and compares them with the issue's targets.
//
//   1. raw PostgreSQL ceiling: the rows a capture stores (events, log_leaves, identifiers) bulk
//      inserted by the service's statements from plain connections (bench/lib/raw-ceiling.mjs);
//   2. ingest through the service: 100-event documents POSTed to /capture by concurrent keep-alive
//      clients; a poller reads GET /log/checkpoint every 20 ms to see when each acknowledged
//      document is covered by a signed checkpoint. First 10,000 events (warm-up, then inclusion
//      proofs on that 10k log), then a sustained run;
//   3. inclusion proofs on a log of 1,000,000 leaves filled directly with SQL
//      (bench/lib/fill-log.mjs), served by a service started on that database.
//
// Progress goes to stderr, results to stdout. Settings (environment):
//   BENCH_SECONDS (30) sustained ingest; BENCH_WARMUP_SECONDS (5) of it left out of the steady rate
//   BENCH_CLIENTS (8) concurrent capture clients; BENCH_PROOF_CLIENTS (8); BENCH_PROOF_SECONDS (5)
//   BENCH_RAW_SECONDS (10) per raw variant; BENCH_RAW_CONNECTIONS (4)
//   BENCH_BIG_LOG (1000000) leaves of the filled log
//   BENCH_PHASES (raw,ingest,proofs) which phases to run
//   BENCH_SERVICE_ENV extra service settings, e.g. "SEAL_INTERVAL_MS=500 LOG_LEVEL=warn"; the
//                     service runs with API_WORKERS=auto unless this sets API_WORKERS
//   BENCH_CPU_PROF=dir  run the service under --cpu-prof (one profile per service run, into dir;
//                       summarise with bench/cpu-profile-summary.mjs)
//   BENCH_COMPARE=privacy (or `npm run bench:ingest -- --compare`): instead of the phases above,
//                     the cost of field encryption and the published rules (issue 6 §6,
//                     docs/specs/privacy-benchmark.md) with the privacy documents
//                     (lib/documents.mjs buildPrivacyDocument): one warm service per mode, each
//                     on its own fresh database — OFF (TRACEROOT_RULES=off, an all-public
//                     policy: nothing encrypted) and ON (rules on, the default policy) — measured
//                     in alternating windows: BENCH_WARMUP_SECONDS (10) of warm-up each, then
//                     BENCH_COMPARE_PAIRS (6) rounds of one window per mode, in an order rotated
//                     every round, each BENCH_SETTLE_SECONDS (3) not counted and BENCH_SECONDS
//                     (here 15) measured. Prints each window, the medians and PASS/FAIL against
//                     ≤ 15 % slower; exits 1 on FAIL or when ON did not encrypt or check the
//                     rules. BENCH_COMPARE_SPLIT=1 adds SEAL (encryption alone) and RULES (rules
//                     alone).
//   TEST_DATABASE_URL   the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres)
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

import { createTestDatabase } from '@traceroot/db/testing';
import {
  base64ToBytes,
  bytesToHex,
  generateNoteKeys,
  openCheckpoint,
  parseSignerKey,
  utf8ToBytes,
  verifyInclusion,
} from '@traceroot/trace';
import { nodeRfc6962 } from '@traceroot/trace/node';
import pg from 'pg';

import {
  buildDocument,
  buildPrivacyDocument,
  EVENTS_PER_DOC,
  PRIVACY_OWNER_GLN,
} from './lib/documents.mjs';
import { fillLog } from './lib/fill-log.mjs';
import { keepAliveAgent, request } from './lib/http.mjs';
import { rawCeiling } from './lib/raw-ceiling.mjs';
import { startService } from './lib/service.mjs';
import {
  busyBetween,
  fmt,
  load,
  machineCpu,
  ms,
  postgresCoresBetween,
  postgresCpu,
  processCpuSeconds,
  progress,
  quantile,
} from './lib/stats.mjs';

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const SECONDS = num('BENCH_SECONDS', 30);
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 5);
// The comparison's runs start cold (a fresh service each): a longer warm-up by default.
const COMPARE_WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 10);
const CLIENTS = num('BENCH_CLIENTS', 8);
const PROOF_CLIENTS = num('BENCH_PROOF_CLIENTS', 8);
const PROOF_SECONDS = num('BENCH_PROOF_SECONDS', 5);
const RAW_SECONDS = num('BENCH_RAW_SECONDS', 10);
const RAW_CONNECTIONS = num('BENCH_RAW_CONNECTIONS', 4);
const BIG_LOG = num('BENCH_BIG_LOG', 1_000_000);
const SMALL_LOG = 10_000;
const PHASES = new Set(
  (process.env.BENCH_PHASES ?? 'raw,ingest,proofs').split(',').map((p) => p.trim()),
);
// One API process per CPU, as this machine should run it in production (ADR 0007).
const SERVICE_ENV = Object.fromEntries(
  `API_WORKERS=auto ${process.env.BENCH_SERVICE_ENV ?? ''}`
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const COMPARE =
  process.env.BENCH_COMPARE ?? (process.argv.includes('--compare') ? 'privacy' : undefined);
const COMPARE_PAIRS = num('BENCH_COMPARE_PAIRS', 6);
const COMPARE_SECONDS = num('BENCH_SECONDS', 15);
const COMPARE_SETTLE_SECONDS = num('BENCH_SETTLE_SECONDS', 3);
const COMPARE_SPLIT = process.env.BENCH_COMPARE_SPLIT === '1';
const SLOWDOWN_TARGET = 15;
const POLL_MS = 20;
const CORES = availableParallelism();

const ORIGIN = 'bench.traceroot.dev/log';
const keys = generateNoteKeys(ORIGIN, new Uint8Array(randomBytes(32)));
const signer = parseSignerKey(keys.signerKey);
const adminKey = randomBytes(32).toString('base64url');
const tag = `b${Date.now().toString(36)}`;

const databases = [];
const services = [];
const results = [];
const row = (label, value, target = '') => results.push([label, value, target]);

const newDatabase = async (prefix) => {
  const db = await createTestDatabase(prefix);
  databases.push(db);
  return db;
};

const cleanUp = async () => {
  await Promise.allSettled(services.splice(0).map((service) => service.stop()));
  await Promise.allSettled(databases.splice(0).map((db) => db.drop()));
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    progress(`${signal}: stopping the service and dropping the databases`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const boot = async (databaseUrl, options = {}) => {
  const service = await startService({
    databaseUrl,
    signingKey: keys.signerKey,
    adminKey,
    env: SERVICE_ENV,
    cpuProfileDir: CPU_PROF,
    ...options,
  });
  services.push(service);
  return service;
};

const stopService = async (service) => {
  const errors = service.errors();
  services.splice(services.indexOf(service), 1);
  await service.stop();
  if (errors.length > 0) {
    progress(
      `the service logged ${errors.length} error(s), e.g.:\n${errors.slice(0, 3).join('\n')}`,
    );
  }
  return errors.length;
};

// ─── The ingest phase ────────────────────────────────────────────────────────────────────────

/** POST /admin/organizations with the bootstrap key: the new organization's id and API key. */
const createOrganization = async (baseUrl, body = { name: 'Benchmark farm' }) => {
  const agent = keepAliveAgent(1);
  const response = await request(agent, baseUrl, 'POST', '/admin/organizations', {
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
  });
  agent.destroy();
  if (response.status !== 201) {
    throw new Error(`POST /admin/organizations: ${response.status} ${response.body}`);
  }
  const { id, apiKey } = JSON.parse(response.body);
  return { id, apiKey };
};

/** Watches GET /log/checkpoint: the moments the signed tree size changed. */
const watchCheckpoints = (baseUrl) => {
  const agent = keepAliveAgent(1);
  const timeline = [{ t: performance.now(), size: 0 }];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = performance.now();
      const response = await request(agent, baseUrl, 'GET', '/log/checkpoint').catch(() => null);
      if (response?.status === 200) {
        const size = Number(response.body.split('\n')[1]);
        if (size !== timeline.at(-1).size) timeline.push({ t: performance.now(), size });
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, POLL_MS - (performance.now() - started))),
      );
    }
    agent.destroy();
  })();
  return {
    timeline,
    size: () => timeline.at(-1).size,
    /** When the signed tree first covered leaf `index` (its size passed it), or undefined. */
    coveredAt: (index) => timeline.find((entry) => entry.size > index)?.t,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
};

/** Concurrent capture clients posting fresh 100-event documents until stopped or `maxDocs`. */
const captureLoad = ({
  baseUrl,
  apiKey,
  clients,
  maxDocs = Infinity,
  firstDoc,
  build = (d) => buildDocument(tag, d),
}) => {
  const agent = keepAliveAgent(clients);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/ld+json' };
  const acked = [];
  const failed = [];
  let next = firstDoc;
  let stopped = false;
  const client = async () => {
    while (!stopped && next < firstDoc + maxDocs) {
      const body = JSON.stringify(build(next++));
      try {
        const response = await request(agent, baseUrl, 'POST', '/capture', { body, headers });
        if (response.status === 202) {
          acked.push({
            id: response.headers.location.split('/').pop(),
            at: performance.now(),
            ms: response.ms,
          });
        } else {
          failed.push(`${response.status} ${response.body.slice(0, 300)}`);
        }
      } catch (error) {
        failed.push(String(error));
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client));
  return {
    acked,
    failed,
    nextDoc: () => next,
    stop: async () => {
      stopped = true;
      await done;
      agent.destroy();
    },
    done,
  };
};

const leafCount = async (client) =>
  Number((await client.query('SELECT count(*) AS n FROM log_leaves')).rows[0].n);

const waitSealed = async (watcher, client, timeoutMs = 120_000) => {
  const target = await leafCount(client);
  const deadline = performance.now() + timeoutMs;
  while (watcher.size() < target) {
    if (performance.now() > deadline) {
      throw new Error(`not sealed after ${timeoutMs} ms: ${watcher.size()} of ${target}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return target;
};

// ─── Inclusion proofs ────────────────────────────────────────────────────────────────────────

/** The root of the checkpoint of `treeSize`, from the service, verified with the log's key. */
const signedRoot = async (baseUrl, treeSize) => {
  const agent = keepAliveAgent(1);
  const response = await request(agent, baseUrl, 'GET', `/log/checkpoints/${treeSize}`);
  agent.destroy();
  if (response.status !== 200) {
    throw new Error(`GET /log/checkpoints/${treeSize}: ${response.status} ${response.body}`);
  }
  return openCheckpoint(response.body, [keys.verifierKey], { origin: ORIGIN }).checkpoint.rootHash;
};

/**
 * GET /log/proof/inclusion?leafIndex=…&treeSize=… for random leaves from `clients` keep-alive
 * clients for `seconds` (after a 1 s warm-up); every 50th proof is verified against the signed
 * root (and `expectedLeaf`, when given).
 */
const proofRun = async ({ baseUrl, servicePid, treeSize, clients, seconds, expectedLeaf }) => {
  const root = await signedRoot(baseUrl, treeSize);
  const agent = keepAliveAgent(clients);
  const latencies = [];
  let failures = 0;
  let verified = 0;
  const run = async (until, record) => {
    let n = 0;
    while (performance.now() < until) {
      const leafIndex = Math.floor(Math.random() * treeSize);
      const response = await request(
        agent,
        baseUrl,
        'GET',
        `/log/proof/inclusion?leafIndex=${leafIndex}&treeSize=${treeSize}`,
      );
      if (response.status !== 200) {
        failures += 1;
        continue;
      }
      if (!record) continue;
      latencies.push(response.ms);
      if ((n += 1) % 50 === 0) {
        const proof = JSON.parse(response.body);
        const leafHash = base64ToBytes(proof.leafHash);
        const expected = expectedLeaf?.(leafIndex);
        if (expected && bytesToHex(expected) !== bytesToHex(leafHash)) {
          throw new Error(`leaf ${leafIndex}: unexpected leaf hash`);
        }
        verifyInclusion(
          leafHash,
          { leafIndex, treeSize, path: proof.path.map(base64ToBytes) },
          root,
          nodeRfc6962,
        );
        verified += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, () => run(performance.now() + 1000, false)));
  const cpuBefore = processCpuSeconds(servicePid);
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, () => run(started + seconds * 1000, true)));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = processCpuSeconds(servicePid) - cpuBefore;
  agent.destroy();
  if (failures > 0) progress(`${failures} proof request(s) failed`);
  return {
    perSecond: latencies.length / elapsed,
    cpuPerProofUs: (cpu * 1e6) / Math.max(1, latencies.length),
    serviceCores: cpu / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    verified,
    failures,
  };
};

const proofRows = async (label, service, treeSize, expectedLeaf) => {
  const baseUrl = service.baseUrl;
  const servicePid = service.pid;
  progress(
    `inclusion proofs at ${fmt(treeSize)} leaves: 1 client, then ${PROOF_CLIENTS}, ${PROOF_SECONDS} s each`,
  );
  const one = await proofRun({
    baseUrl,
    servicePid,
    treeSize,
    clients: 1,
    seconds: PROOF_SECONDS,
    expectedLeaf,
  });
  const many = await proofRun({
    baseUrl,
    servicePid,
    treeSize,
    clients: PROOF_CLIENTS,
    seconds: PROOF_SECONDS,
    expectedLeaf,
  });
  row(
    `${label}: 1 client`,
    `${fmt(one.perSecond)}/s, p50 ${ms(one.p50)}, p99 ${ms(one.p99)}; service CPU ${fmt(one.cpuPerProofUs)} µs/proof`,
    treeSize >= 1_000_000 ? 'p99 ≤ 10 ms' : '',
  );
  row(
    `${label}: ${PROOF_CLIENTS} clients`,
    `${fmt(many.perSecond)}/s, p50 ${ms(many.p50)}, p99 ${ms(many.p99)}; service CPU ${fmt(many.cpuPerProofUs)} µs/proof (${fmt(many.serviceCores, 2)} cores)`,
    treeSize >= 1_000_000 ? 'p99 ≤ 10 ms' : '',
  );
  progress(
    `  1 client ${fmt(one.perSecond)}/s p99 ${ms(one.p99)}; ${PROOF_CLIENTS} clients ${fmt(many.perSecond)}/s p99 ${ms(many.p99)}; ${one.verified + many.verified} verified`,
  );
};

// ─── Phases ──────────────────────────────────────────────────────────────────────────────────

const rawPhase = async () => {
  const out = {};
  for (const sequenced of [false, true]) {
    const name = sequenced ? 'sequenced' : 'unsequenced';
    progress(`raw PostgreSQL ceiling (${name}, ${RAW_CONNECTIONS} connections, ${RAW_SECONDS} s)`);
    const db = await newDatabase('bench_raw');
    const result = await rawCeiling({
      databaseUrl: db.url,
      connections: RAW_CONNECTIONS,
      seconds: RAW_SECONDS,
      sequenced,
      onProgress: (n) => n % 20_000 === 0 && progress(`  ${fmt(n)} events`),
    });
    const cpu = `PostgreSQL ${fmt(result.postgresCores, 2)} cores, generator ${fmt(result.generatorCores, 2)}; machine ${fmt(result.machineBusy * 100)} % busy`;
    progress(
      `  ${fmt(result.eventsPerSecond)} events/s (${fmt(result.identifiersPerEvent, 1)} identifier rows per event); ${cpu}`,
    );
    out[name] = result.eventsPerSecond;
    row(
      `raw PostgreSQL ceiling, ${name} (${RAW_CONNECTIONS} connections)`,
      `${fmt(result.eventsPerSecond)} events/s (${cpu})`,
    );
    await db.drop();
    databases.splice(databases.indexOf(db), 1);
  }
  return out;
};

const ingestPhase = async (raw) => {
  const db = await newDatabase('bench_ingest');
  progress(
    `starting the service on ${db.name}${CPU_PROF ? ` under --cpu-prof (into ${CPU_PROF})` : ''}`,
  );
  const service = await boot(db.url);
  const { apiKey } = await createOrganization(service.baseUrl);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const watcher = watchCheckpoints(service.baseUrl);
  try {
    // Warm-up: exactly 10,000 events, all sealed: the 10k log of the proof measurement.
    progress(`warm-up: ${fmt(SMALL_LOG)} events in ${SMALL_LOG / EVENTS_PER_DOC} documents`);
    const warm = captureLoad({
      baseUrl: service.baseUrl,
      apiKey,
      clients: CLIENTS,
      maxDocs: SMALL_LOG / EVENTS_PER_DOC,
      firstDoc: 0,
    });
    await warm.done;
    await warm.stop();
    if (warm.failed.length > 0) {
      throw new Error(`warm-up captures failed: ${warm.failed.slice(0, 3).join('\n')}`);
    }
    await waitSealed(watcher, sql);
    // The log also holds the administrative records (the organization's creation): ≈ 10k leaves.
    const smallLog = watcher.size();
    await proofRows(`inclusion proofs at ${fmt(smallLog)} leaves`, service, smallLog);

    // Sustained ingest.
    progress(
      `sustained ingest: ${CLIENTS} clients × 100-event documents for ${SECONDS} s (load average ${load()})`,
    );
    const before = {
      service: processCpuSeconds(service.pid),
      pg: postgresCpu(),
      machine: machineCpu(),
      self: process.cpuUsage(),
    };
    const t0 = performance.now();
    const sustained = captureLoad({
      baseUrl: service.baseUrl,
      apiKey,
      clients: CLIENTS,
      firstDoc: SMALL_LOG / EVENTS_PER_DOC,
    });
    const ticker = setInterval(() => {
      const elapsed = (performance.now() - t0) / 1000;
      progress(
        `  ${elapsed.toFixed(0)} s: ${fmt(sustained.acked.length * EVENTS_PER_DOC)} events acknowledged, signed tree size ${fmt(watcher.size())}`,
      );
    }, 5000);
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const tEnd = performance.now();
    const after = {
      service: processCpuSeconds(service.pid),
      pg: postgresCpu(),
      machine: machineCpu(),
      self: process.cpuUsage(before.self),
    };
    const loadAtEnd = load();
    await sustained.stop();
    clearInterval(ticker);
    const sizeAtEnd = watcher.size();
    const total = await waitSealed(watcher, sql);
    const tAllSealed = watcher.timeline.at(-1).t;
    progress(
      `  stopped; all ${fmt(total)} leaves sealed ${((tAllSealed - tEnd) / 1000).toFixed(2)} s after the end`,
    );

    // Seal latency: acknowledged → the first signed checkpoint whose size covers the document's last leaf.
    const lastLeaf = new Map(
      (
        await sql.query(
          'SELECT capture_job_id::text AS id, max(leaf_index) AS last FROM events WHERE capture_job_id = ANY($1::uuid[]) GROUP BY capture_job_id',
          [sustained.acked.map((a) => a.id)],
        )
      ).rows.map((r) => [r.id, Number(r.last)]),
    );
    const sealLatencies = sustained.acked.map((a) =>
      Math.max(0, watcher.coveredAt(lastLeaf.get(a.id)) - a.at),
    );
    const captureLatencies = sustained.acked.map((a) => a.ms);

    // Events/s counted when sealed, in the steady window [t0 + warm-up, end of sending].
    const at = (t) =>
      [...watcher.timeline].reverse().find((entry) => entry.t <= t) ?? watcher.timeline[0];
    const from = at(t0 + WARMUP_SECONDS * 1000);
    const to = at(tEnd);
    const steady = (to.size - from.size) / ((to.t - from.t) / 1000);
    const ackedEvents = sustained.acked.length * EVENTS_PER_DOC;
    const overall = ackedEvents / ((tAllSealed - t0) / 1000);
    const acceptRate =
      (sustained.acked.filter((a) => a.at <= tEnd).length * EVENTS_PER_DOC) / ((tEnd - t0) / 1000);
    const window = (tEnd - t0) / 1000;
    const serviceCores = (after.service - before.service) / window;
    const pgCores = postgresCoresBetween(before.pg, after.pg);
    const selfCores = (after.self.user + after.self.system) / 1e6 / window;
    const busy = busyBetween(before.machine, after.machine, CORES);
    const ceiling = Math.max(raw?.unsequenced ?? 0, raw?.sequenced ?? 0);

    row(
      'end-to-end events/s, counted when sealed (steady)',
      `${fmt(steady)}  (whole run incl. drain: ${fmt(overall)}; acknowledged: ${fmt(acceptRate)})`,
      '≥ 10,000',
    );
    if (ceiling > 0) {
      row(
        '  share of the raw ceiling',
        `${fmt((100 * steady) / ceiling)} % of ${fmt(ceiling)} (sequenced ceiling ${fmt(raw.sequenced)}: ${fmt((100 * steady) / raw.sequenced)} %)`,
        '≥ 50 %',
      );
    }
    row(
      'capture latency (POST /capture, 100 events)',
      `p50 ${ms(quantile(captureLatencies, 0.5))}, p99 ${ms(quantile(captureLatencies, 0.99))}`,
    );
    row(
      'seal latency (202 → signed checkpoint covers it)',
      `p50 ${ms(quantile(sealLatencies, 0.5))}, p99 ${ms(quantile(sealLatencies, 0.99))}, max ${ms(Math.max(...sealLatencies))}`,
      'p99 ≤ 2,000 ms',
    );
    row(
      '  during the sustained run',
      `${fmt(ackedEvents)} events in ${fmt(sustained.acked.length)} documents, ${sustained.failed.length} refused; ${watcher.timeline.length - 1} checkpoint sizes seen; tree ${fmt(sizeAtEnd)} at the end`,
    );
    row(
      '  CPU (cores busy)',
      `service ${fmt(serviceCores, 2)}, PostgreSQL ${fmt(pgCores, 2)}, generator ${fmt(selfCores, 2)}; machine ${fmt(busy.share * 100)} % busy; load average at end ${loadAtEnd}`,
    );
    if (serviceCores > 0) {
      row('  service CPU per event', `${fmt((serviceCores * 1e6) / Math.max(1, acceptRate))} µs`);
    }
    if (sustained.failed.length > 0) {
      progress(`refused captures, e.g.:\n${sustained.failed.slice(0, 3).join('\n')}`);
    }
  } finally {
    await watcher.stop();
    await sql.end();
    const errors = await stopService(service);
    if (errors > 0) row('  service errors logged', String(errors));
    await db.drop();
    databases.splice(databases.indexOf(db), 1);
  }
};

const bigLogPhase = async () => {
  const db = await newDatabase('bench_proofs');
  progress(
    `filling a log of ${fmt(BIG_LOG)} leaves with SQL (leaves, nodes from appendLeaves, one checkpoint)`,
  );
  const started = performance.now();
  await fillLog({
    databaseUrl: db.url,
    size: BIG_LOG,
    origin: ORIGIN,
    signer,
    onProgress: (n) => n % 200_000 === 0 && progress(`  ${fmt(n)} leaves`),
  });
  const fillSeconds = (performance.now() - started) / 1000;
  progress(`  filled in ${fillSeconds.toFixed(1)} s; starting the service on it`);
  const service = await boot(db.url);
  try {
    const expectedLeaf = (i) => nodeRfc6962.hashLeaf(utf8ToBytes(`bench leaf ${i}\n`));
    await proofRows(`inclusion proofs at ${fmt(BIG_LOG)} leaves`, service, BIG_LOG, expectedLeaf);
  } finally {
    await stopService(service);
    await db.drop();
    databases.splice(databases.indexOf(db), 1);
  }
  return fillSeconds;
};

// ─── Privacy and rules: ON against OFF (issue 6 §6) ─────────────────────────────────────────

const ALL_PUBLIC = { sharing: 'restricted', default: 'public', fields: {} };
/** The comparison's service settings: what each mode turns on. */
const MODES = {
  OFF: { rules: false, encrypt: false },
  ON: { rules: true, encrypt: true },
  // BENCH_COMPARE_SPLIT=1: each half alone, to tell which costs what.
  SEAL: { rules: false, encrypt: true },
  RULES: { rules: true, encrypt: false },
};
// One key-encryption key for every run (the service would otherwise make a development key
// under DATA_DIR).
const KEK = randomBytes(32).toString('base64');

const adminCall = async (baseUrl, method, path, body) => {
  const agent = keepAliveAgent(1);
  const response = await request(agent, baseUrl, method, path, {
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
  });
  agent.destroy();
  if (response.status !== 200) {
    throw new Error(`${method} ${path}: ${response.status} ${response.body.slice(0, 500)}`);
  }
  return JSON.parse(response.body);
};

/** The median; of an even number of values, the mean of the middle two. */
const median = (values) => {
  const sorted = Float64Array.from(values).sort();
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** What a run stored: the proof that OFF did neither and ON did both. */
const storedCounts = async (sql) => {
  const one = async (text) => (await sql.query(text)).rows[0];
  const events = await one(`SELECT
      count(*) FILTER (WHERE capture_job_id IS NOT NULL)::int AS captured,
      count(*) FILTER (WHERE sealed IS NOT NULL)::int AS sealed,
      count(*) FILTER (WHERE rule_set IS NOT NULL)::int AS checked,
      count(*) FILTER (WHERE rule_violations IS NOT NULL)::int AS flagged,
      coalesce(sum((SELECT count(*) FROM jsonb_object_keys(sealed->'fields'))), 0)::int AS fields,
      count(*) FILTER (WHERE capture_job_id IS NOT NULL
        AND (document::text LIKE '%:PO-%' OR document::text LIKE '%pickerName%'))::int AS plaintext
    FROM events`);
  const keys = await one('SELECT count(*)::int AS n FROM event_keys');
  const state = await one('SELECT count(*)::int AS n FROM rule_state');
  const byRule = (
    await sql.query(
      `SELECT v->>'rule' AS rule, count(*)::int AS n FROM events, jsonb_array_elements(rule_violations) v
       GROUP BY 1 ORDER BY 2 DESC`,
    )
  ).rows;
  return { ...events, eventKeys: keys.n, ruleState: state.n, byRule };
};

/**
 * One service of the comparison, on its own fresh database, started once and kept warm: OFF =
 * TRACEROOT_RULES=off and an all-public policy (nothing encrypted); ON = rules on (flag mode) and
 * the default policy. It idles while the other modes are measured.
 */
const startModeService = async (mode) => {
  const { rules, encrypt } = MODES[mode];
  const db = await newDatabase('bench_privacy');
  progress(`${mode}: starting the service on ${db.name}`);
  const service = await boot(db.url, {
    env: { ...SERVICE_ENV, TRACEROOT_KEK: KEK, TRACEROOT_RULES: rules ? 'on' : 'off' },
  });
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const org = await createOrganization(service.baseUrl, {
    name: 'Benchmark packer',
    gln: PRIVACY_OWNER_GLN,
  });
  const policyPath = `/admin/organizations/${org.id}/policy`;
  if (!encrypt) await adminCall(service.baseUrl, 'PUT', policyPath, ALL_PUBLIC);
  const policy = await adminCall(service.baseUrl, 'GET', policyPath);
  if (encrypt !== policy.isDefault) {
    throw new Error(`${mode}: unexpected policy ${JSON.stringify(policy)}`);
  }
  return { mode, db, service, sql, org, nextDoc: 0, failed: [] };
};

const sleepUntil = (t) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, t - performance.now())));

/**
 * One measured window of one mode: posts the privacy documents (each service its own next ones:
 * 0, 1, 2, … the same for every mode) from CLIENTS keep-alive clients; the first
 * COMPARE_SETTLE_SECONDS are not counted (the clients' pipeline fills), then COMPARE_SECONDS
 * are: documents acknowledged (202) in them, their capture latency, and the CPU the service and
 * PostgreSQL used. Waits for the captures in flight before it returns, so that windows never
 * overlap. `round` 0 is the warm-up.
 */
const measureWindow = async (svc, round, seconds) => {
  const loadBefore = load();
  const capture = captureLoad({
    baseUrl: svc.service.baseUrl,
    apiKey: svc.org.apiKey,
    clients: CLIENTS,
    firstDoc: svc.nextDoc,
    build: (d) => buildPrivacyDocument(tag, d),
  });
  const from = performance.now() + COMPARE_SETTLE_SECONDS * 1000;
  await sleepUntil(from);
  const before = { service: processCpuSeconds(svc.service.pid), pg: postgresCpu() };
  await sleepUntil(from + seconds * 1000);
  const tEnd = performance.now();
  const after = { service: processCpuSeconds(svc.service.pid), pg: postgresCpu() };
  await capture.stop();
  svc.nextDoc = capture.nextDoc();
  svc.failed.push(...capture.failed);
  const inWindow = capture.acked.filter((a) => a.at > from && a.at <= tEnd);
  const window = (tEnd - from) / 1000;
  const events = inWindow.length * EVENTS_PER_DOC;
  const latencies = inWindow.map((a) => a.ms);
  const serviceSeconds = after.service - before.service;
  const pgCores = postgresCoresBetween(before.pg, after.pg);
  const result = {
    mode: svc.mode,
    round,
    eventsPerSecond: events / window,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    serviceUsPerEvent: (serviceSeconds * 1e6) / Math.max(1, events),
    serviceCores: serviceSeconds / window,
    pgCores,
    pgUsPerEvent: (pgCores * window * 1e6) / Math.max(1, events),
    failed: capture.failed,
    loadBefore,
    loadAfter: load(),
  };
  progress(
    `  ${round === 0 ? 'warm-up' : `round ${round}`} ${svc.mode}: ${fmt(result.eventsPerSecond)} events/s acknowledged, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}; ${capture.failed.length} refused`,
  );
  if (capture.failed.length > 0) {
    progress(`  refused captures, e.g.:\n${capture.failed.slice(0, 3).join('\n')}`);
  }
  return result;
};

/**
 * BENCH_COMPARE=privacy: one warm service per mode (OFF, ON; with BENCH_COMPARE_SPLIT=1 also
 * SEAL and RULES), measured in alternating windows — round r measures every mode once, in an
 * order rotated by r (OFF ON, ON OFF, …), so that the machine's speed, which drifts over tens of
 * seconds on a shared virtual machine, weighs on every mode alike. Returns the exit code.
 */
const comparePrivacy = async () => {
  const modeNames = COMPARE_SPLIT ? ['OFF', 'SEAL', 'RULES', 'ON'] : ['OFF', 'ON'];
  const services = [];
  const runs = [];
  try {
    for (const mode of modeNames) services.push(await startModeService(mode));
    for (const svc of services) await measureWindow(svc, 0, COMPARE_WARMUP_SECONDS);
    for (let round = 1; round <= COMPARE_PAIRS; round += 1) {
      const shift = (round - 1) % services.length;
      for (const svc of [...services.slice(shift), ...services.slice(0, shift)]) {
        runs.push(await measureWindow(svc, round, COMPARE_SECONDS));
      }
    }
    for (const svc of services) svc.counts = await storedCounts(svc.sql);
  } finally {
    for (const svc of services) {
      await svc.sql.end();
      svc.serviceErrors = await stopService(svc.service);
      await svc.db.drop();
      databases.splice(databases.indexOf(svc.db), 1);
    }
  }
  const problems = [];
  const lines = [
    `privacy documents: 100 events each (40 commissioning with ILMD lot + picker name/phone, 20 packing, 40 shipping/inspecting); every event a PO, owning parties, example:unitPrice, example:contact`,
    `OFF = TRACEROOT_RULES=off + policy ${JSON.stringify(ALL_PUBLIC)}; ON = rules on (flag) + the default policy`,
    `one warm service per mode on its own fresh database; ${CLIENTS} capture clients; ${COMPARE_WARMUP_SECONDS} s warm-up each, then ${COMPARE_PAIRS} rounds of one window per mode (order rotated each round): ${COMPARE_SETTLE_SECONDS} s not counted, ${COMPARE_SECONDS} s measured`,
    '',
  ];
  for (const r of runs) {
    lines.push(
      `round ${r.round} ${r.mode.padEnd(5)} ${fmt(r.eventsPerSecond).padStart(6)} events/s acknowledged, capture p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; service ${fmt(r.serviceUsPerEvent)} µs CPU/event (${fmt(r.serviceCores, 2)} cores), PostgreSQL ${fmt(r.pgUsPerEvent)} µs/event (${fmt(r.pgCores, 2)} cores); load average ${r.loadBefore} → ${r.loadAfter}`,
    );
  }
  lines.push('');
  for (const svc of services) {
    const c = svc.counts;
    const refused = svc.failed.length;
    const fivexx = svc.failed.filter((f) => /^5\d\d /.test(f)).length;
    lines.push(
      `sanity ${svc.mode.padEnd(5)} ${fmt(c.captured)} events stored, ${fmt(c.sealed)} with sealed fields (${fmt(c.fields)} fields), ${fmt(c.eventKeys)} event keys, ${fmt(c.plaintext)} with a PO or picker name in the clear; ${fmt(c.checked)} checked by the rules (rule_set), ${fmt(c.ruleState)} rule_state rows, ${fmt(c.flagged)} flagged${c.byRule.length > 0 ? ` (${c.byRule.map((v) => `${v.rule} ${v.n}`).join(', ')})` : ''}; ${refused} refused (${fivexx} 5xx), ${svc.serviceErrors} errors logged by the service`,
    );
    if (svc.serviceErrors > 0) {
      problems.push(`${svc.mode}: the service logged ${svc.serviceErrors} error(s)`);
    }
    if (refused > 0) problems.push(`${svc.mode}: ${refused} capture(s) refused (${fivexx} 5xx)`);
    const { rules, encrypt } = MODES[svc.mode];
    if (encrypt && (c.sealed === 0 || c.eventKeys === 0 || c.plaintext > 0)) {
      problems.push(
        `${svc.mode} DID NOT ENCRYPT: ${c.sealed} sealed events, ${c.eventKeys} event keys, ${c.plaintext} in the clear`,
      );
    }
    if (rules && (c.ruleState === 0 || c.checked < c.captured)) {
      problems.push(
        `${svc.mode} DID NOT CHECK THE RULES: ${c.checked} of ${c.captured} checked, ${c.ruleState} rule_state rows`,
      );
    }
    if (c.flagged > 0) {
      problems.push(`${svc.mode}: ${c.flagged} events flagged (the mix should break no rule)`);
    }
    if ((!encrypt && c.sealed > 0) || (!rules && (c.checked > 0 || c.ruleState > 0))) {
      problems.push(
        `${svc.mode} was not off: ${c.sealed} sealed events, ${c.checked} checked, ${c.ruleState} rule_state rows`,
      );
    }
  }
  const of = (mode, key) => median(runs.filter((r) => r.mode === mode).map((r) => r[key]));
  const off = of('OFF', 'eventsPerSecond');
  const on = of('ON', 'eventsPerSecond');
  const slowdown = 100 * (1 - on / off);
  // Each mode against the OFF window of its round (next to it in time).
  const pairwise = (mode) =>
    runs
      .filter((r) => r.mode === mode)
      .map((r) => {
        const base = runs.find((o) => o.mode === 'OFF' && o.round === r.round);
        return {
          slowdown: 100 * (1 - r.eventsPerSecond / base.eventsPerSecond),
          cpu: 100 * (r.serviceUsPerEvent / base.serviceUsPerEvent - 1),
        };
      });
  const signed = (n) => `${n >= 0 ? '+' : ''}${fmt(n, 1)} %`;
  const modes = Object.keys(MODES).filter((mode) => runs.some((r) => r.mode === mode));
  lines.push('');
  for (const mode of modes) {
    lines.push(
      `median ${mode.padEnd(5)} ${fmt(of(mode, 'eventsPerSecond')).padStart(6)} events/s, capture p50 ${ms(of(mode, 'p50'))}, p99 ${ms(of(mode, 'p99'))}; service ${fmt(of(mode, 'serviceUsPerEvent'))} µs CPU/event, PostgreSQL ${fmt(of(mode, 'pgUsPerEvent'))} µs/event`,
    );
  }
  for (const mode of modes.filter((m) => m !== 'OFF')) {
    const pairs = pairwise(mode);
    lines.push(
      `pairwise ${mode} #n against OFF #n: slowdown ${pairs.map((p) => `${fmt(p.slowdown, 1)} %`).join(', ')} (median ${fmt(median(pairs.map((p) => p.slowdown)), 1)} %); service CPU per event ${pairs.map((p) => signed(p.cpu)).join(', ')} (median ${signed(median(pairs.map((p) => p.cpu)))})`,
    );
  }
  const cpuOff = of('OFF', 'serviceUsPerEvent');
  const cpuOn = of('ON', 'serviceUsPerEvent');
  lines.push(
    `slowdown ON vs OFF (medians): ${fmt(slowdown, 1)} % (service CPU per event ${signed(100 * (cpuOn / cpuOff - 1))})   [target ≤ ${SLOWDOWN_TARGET} %] ${slowdown <= SLOWDOWN_TARGET ? 'PASS' : 'FAIL'}`,
  );
  if (problems.length > 0) lines.push('', ...problems.map((p) => `FAIL: ${p}`));
  console.log(lines.join('\n'));
  return problems.some((p) => /DID NOT|was not off/.test(p)) || slowdown > SLOWDOWN_TARGET ? 1 : 0;
};

// ─── Main ────────────────────────────────────────────────────────────────────────────────────

const server = await (async () => {
  const db = await newDatabase('bench_probe');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const version = (await client.query('SHOW server_version')).rows[0].server_version;
  await client.end();
  await db.drop();
  databases.splice(databases.indexOf(db), 1);
  return version;
})();
const header = [
  `Traceroot ingest benchmark: ${CORES} CPUs, Node ${process.version}, PostgreSQL ${server} (same machine, loopback)`,
  `load average at start ${load()}; ${CLIENTS} capture clients, ${PROOF_CLIENTS} proof clients, ${SECONDS} s sustained` +
    `; service env ${Object.entries(SERVICE_ENV)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
];
for (const line of header) progress(line);
if (COMPARE !== undefined) {
  if (COMPARE !== 'privacy') throw new Error(`BENCH_COMPARE=${COMPARE}: only privacy is known`);
  let code = 1;
  try {
    console.log(['', ...header, ''].join('\n'));
    code = await comparePrivacy();
  } finally {
    await cleanUp();
  }
  console.log(`load average at end ${load()}`);
  process.exit(code);
}
try {
  const raw = PHASES.has('raw') ? await rawPhase() : undefined;
  if (PHASES.has('ingest')) await ingestPhase(raw);
  if (PHASES.has('proofs')) {
    const fill = await bigLogPhase();
    row(`  (${fmt(BIG_LOG)}-leaf log filled by SQL in)`, `${fill.toFixed(1)} s`);
  }
} finally {
  await cleanUp();
}
const width = Math.max(...results.map(([label]) => label.length)) + 2;
console.log(['', ...header, `load average at end ${load()}`, ''].join('\n'));
for (const [label, value, target] of results) {
  console.log(`${label.padEnd(width)}${value}${target ? `   [target ${target}]` : ''}`);
}
