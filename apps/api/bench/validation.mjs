#!/usr/bin/env node
// `node apps/api/bench/validation.mjs`: how many events per second the capture validation
// (src/capture/validation: EPCIS 2.0 JSON schema, identifier and CBV checks, CBV 2.0 event hash
// ID) gets through, on documents of 100 typical events. The TypeScript source is bundled with
// esbuild into a temporary file first (libs/trace must be built: `npm run build -w
// @traceroot/trace`). Nothing is asserted: the figures are printed for the issue note.
//
// BENCH_DOCS (default 400: 40,000 events, every identifier distinct, so that no cache flatters
// the result), BENCH_RUNS (default 5) and BENCH_EPCS (EPCs per ObjectEvent, default 5; an
// AggregationEvent has twice as many children) override the defaults.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';
import { buildDocument as buildCaptureDocument, EVENTS_PER_DOC } from './lib/documents.mjs';

const DOCS = Number(process.env.BENCH_DOCS ?? 400);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EPCS = Number(process.env.BENCH_EPCS ?? 5);

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bundle = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'traceroot-bench-'));
  const outfile = join(dir, 'validation.mjs');
  const source = new URL('../src/capture/validation/', import.meta.url);
  await build({
    // The service, plus its stages one by one for the breakdown.
    stdin: {
      contents: [
        "export { validateCaptureDocument } from './validate-capture.ts';",
        "export { compileSchemaValidators } from './schema-validators.ts';",
        "export { checkEventFields } from './event-checks.ts';",
        "export { computeEventHashId } from '@traceroot/trace';",
        "export { nodeSha256 } from '@traceroot/trace/node';",
      ].join('\n'),
      resolveDir: fileURLToPath(source),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    // ajv is CommonJS: give the ESM bundle a require() for Node's built-ins it asks for.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return { dir, module: await import(pathToFileURL(outfile).href) };
};

// The same 100-event documents the ingest benchmark posts (lib/documents.mjs).
const buildDocument = (d) => buildCaptureDocument('validation', d, EPCS);

// Events per second of `stage` over fresh documents (new serials each run, parsed from JSON text
// as a request body is), median of RUNS runs: per second of wall-clock time, and per second of
// this process's CPU time, which other processes competing for the machine do not inflate.
let round = 0;
const measure = (stage) => {
  const wall = [];
  const cpu = [];
  for (let run = 0; run < RUNS; run += 1) {
    round += 1;
    const docs = Array.from({ length: DOCS }, (_, i) =>
      JSON.parse(JSON.stringify(buildDocument(round * DOCS + i))),
    );
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (const doc of docs) stage(doc);
    const seconds = (performance.now() - start) / 1000;
    const { user, system } = process.cpuUsage(cpuStart);
    wall.push((DOCS * EVENTS_PER_DOC) / seconds);
    cpu.push((DOCS * EVENTS_PER_DOC) / ((user + system) / 1e6));
  }
  return { wall: median(wall), cpu: median(cpu) };
};

const { dir, module } = await bundle();
try {
  const { validateCaptureDocument, compileSchemaValidators, checkEventFields } = module;
  const { computeEventHashId, nodeSha256 } = module;
  const check = validateCaptureDocument(buildDocument(0));
  if (!check.valid) throw new Error(`the bench document is invalid: ${check.failures[0].message}`);

  const validators = compileSchemaValidators();
  const eventsOf = (doc) => doc.epcisBody.eventList;
  const stages = [
    [
      'validateCaptureDocument (everything)',
      (doc) => {
        if (!validateCaptureDocument(doc).valid) throw new Error('a bench document is invalid');
      },
    ],
    [
      '  stage: EPCIS 2.0 JSON schema (Ajv)',
      (doc) => {
        if (!validators.document(doc)) throw new Error('invalid');
        for (const event of eventsOf(doc)) if (!validators.event(event)) throw new Error('invalid');
      },
    ],
    [
      '  stage: identifier and CBV checks',
      (doc) => {
        for (const event of eventsOf(doc)) {
          if (checkEventFields(event, '').length > 0) throw new Error('invalid');
        }
      },
    ],
    [
      '  stage: CBV 2.0 event hash ID (computeEventHashId)',
      (doc) => {
        for (const event of eventsOf(doc)) {
          computeEventHashId(event, { context: doc['@context'], sha: nodeSha256 });
        }
      },
    ],
  ];
  const row = (label, value) => console.log(`${label.padEnd(52)} ${value}`);
  const [load] = loadavg();
  row(
    `${DOCS} documents × ${EVENTS_PER_DOC} events, ${EPCS} EPCs per ObjectEvent, median of ${RUNS}`,
    `(load average ${load.toFixed(1)} on ${availableParallelism()} CPUs)`,
  );
  row('', '  events/s (wall)   events/CPU-s    µs/event (CPU)');
  for (const [label, stage] of stages) {
    const { wall, cpu } = measure(stage);
    row(
      label,
      `${fmt(wall).padStart(16)} ${fmt(cpu).padStart(15)} ${(1e6 / cpu).toFixed(1).padStart(17)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
