#!/usr/bin/env node
// Diagnosis for `npm run bench:query`: the plan of the first-page SQL that GET /events runs for a
// query string, with EXPLAIN (ANALYZE, BUFFERS), on a benchmark database. The SQL is built by the
// service's own code (dist/query: parseEventQuery, orderOf, pageSql), with the SELECT of
// QueryRepository.page, so the plan is the one the service gets.
//
//   node bench/explain-query.mjs [--db traceroot_bench_query_1m] [--per-page 30] 'MATCH_epc=…' …
//
// BENCH_SERVICE_MAIN: another build of the service (its directory's query/ modules are used).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { TEST_SERVER_URL } from '@traceroot/db/testing';
import pg from 'pg';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'traceroot_bench_query_1m' },
    'per-page': { type: 'string', default: '30' },
  },
});
const dist = dirname(
  process.env.BENCH_SERVICE_MAIN ?? fileURLToPath(new URL('../dist/main.js', import.meta.url)),
);
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { parseEventQuery } = await load('query/event-query.js');
const { orderOf, pageSql, Parameters } = await load('query/query-sql.js');

// QueryRepository.page's SELECT.
const SELECT = `SELECT e.seq, e.event_id, e.event_hash_id, e.disclosures, e.leaf_index, e.event_time, e.record_time
  FROM events e`;

const url = new URL(TEST_SERVER_URL);
url.pathname = `/${values.db}`;
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
try {
  for (const queryString of positionals) {
    const parameters = Object.fromEntries(new URLSearchParams(queryString));
    const query = parseEventQuery(parameters);
    const p = new Parameters();
    const order = orderOf(query.orderBy, query.filters);
    const text = pageSql(SELECT, query.filters, order, null, Number(values['per-page']) + 1, p);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, p.values);
    console.log(`── ${queryString}\n${text}\n${JSON.stringify(p.values)}\n`);
    console.log(rows.map((row) => row['QUERY PLAN']).join('\n'), '\n');
  }
} finally {
  await client.end();
}
