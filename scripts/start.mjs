#!/usr/bin/env node
// `npm start` (issue 4): builds the ledger API and the web app, starts both as child processes
// with prefixed output, and wires them together: the web app reaches the API at API_URL, builds
// Digital Links on PUBLIC_BASE_URL, and verifies proofs against LOG_VERIFIER_KEY (read from the
// API's GET /log/key once it answers, unless configured). On the first start of an empty embedded
// database the API loads the demo data (TRACEROOT_DEMO=1 unless --no-demo or TRACEROOT_DEMO=0)
// and its banner prints a product page's URL. SIGINT/SIGTERM are passed on to both; when either
// process ends on its own, the other is stopped and this exits non-zero.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HELP = `Usage: npm start [-- --no-demo] [-- --no-build]

Builds and starts Traceroot: the ledger API on PORT (default 3000) and the web app (the consumer
pages and QR codes) on WEB_PORT (default 3001). Without DATABASE_URL the API keeps an embedded
database under DATA_DIR (default .data); on its first start it loads the demo data and prints the
URL of a product page.

  --no-demo    do not load the demo data on a first start (or set TRACEROOT_DEMO=0)
  --no-build   start what was built before, without building
  -h, --help   this text

Environment: PORT, WEB_PORT, PUBLIC_BASE_URL (default http://localhost:$WEB_PORT), API_URL (how
the web app reaches the API, default http://127.0.0.1:$PORT), API_PUBLIC_URL (default
http://localhost:$PORT), LOG_VERIFIER_KEY (default: the API's GET /log/key), and the API's own
settings (README, Configuration).
`;

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (line) => process.stdout.write(`[start] ${line}\n`);

let args;
try {
  args = parseArgs({
    options: {
      'no-demo': { type: 'boolean' },
      'no-build': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  process.stderr.write(`${error.message}\n\n${HELP}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const port = (name, fallback) => {
  const raw = process.env[name]?.trim() || String(fallback);
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    process.stderr.write(`${name} must be a TCP port, 1–65535 (npm start needs to know it)\n`);
    process.exit(2);
  }
  return raw;
};
const PORT = port('PORT', 3000);
const WEB_PORT = port('WEB_PORT', 3001);
const env = {
  ...process.env,
  PORT,
  WEB_PORT,
  PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL?.trim() || `http://localhost:${WEB_PORT}`,
  API_URL: process.env.API_URL?.trim() || `http://127.0.0.1:${PORT}`,
  API_PUBLIC_URL: process.env.API_PUBLIC_URL?.trim() || `http://localhost:${PORT}`,
  TRACEROOT_DEMO: args['no-demo'] ? '0' : process.env.TRACEROOT_DEMO?.trim() || '1',
  // A request log line per request buries the banner and the demo's progress on a terminal;
  // LOG_LEVEL=info brings it back.
  LOG_LEVEL: process.env.LOG_LEVEL?.trim() || 'warn',
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
};

if (!args['no-build']) {
  say('building the API and the web app (the first build takes a minute or two)…');
  const build = spawnSync(
    join(root, 'node_modules/.bin/turbo'),
    [
      'run',
      'build',
      '--filter=@traceroot/api...',
      '--filter=@traceroot/web...',
      '--output-logs=errors-only',
    ],
    { cwd: root, stdio: 'inherit', env },
  );
  if (build.status !== 0) {
    process.stderr.write('[start] the build failed: see the messages above.\n');
    process.exit(build.status ?? 1);
  }
}
const API_MAIN = join(root, 'apps/api/dist/main.js');
const WEB_DIR = join(root, 'apps/web');
for (const built of [API_MAIN, join(WEB_DIR, '.next/BUILD_ID')]) {
  if (!existsSync(built)) {
    process.stderr.write(`[start] ${built} is missing: run npm start without --no-build\n`);
    process.exit(1);
  }
}

const children = new Map(); // name → child process
let stopping = false;
let exitCode = 0;

const pipe = (name, stream, out) => {
  createInterface({ input: stream }).on('line', (line) => out.write(`[${name}] ${line}\n`));
};

const start = (name, command, commandArgs, options) => {
  // Own process group: a Ctrl-C in the terminal reaches this script only, which passes it on once.
  const child = spawn(command, commandArgs, {
    ...options,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  say(`${name}: process ${child.pid}`);
  pipe(name, child.stdout, process.stdout);
  pipe(name, child.stderr, process.stderr);
  child.once('close', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`the ${name} process ended (${signal ?? `exit code ${code}`}); stopping the rest`);
      exitCode = code || 1;
      stop('SIGTERM');
    }
    if (children.size === 0) process.exit(exitCode);
  });
  child.once('error', (error) => {
    say(`could not start the ${name} process: ${error.message}`);
  });
  return child;
};

const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  if (children.size > 0) say(`stopping (${signal})…`);
  for (const child of children.values()) child.kill(signal);
  if (children.size === 0) process.exit(exitCode);
};

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
// Last resort (an exception in this script): leave no server behind.
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGTERM');
});

start('api', process.execPath, [API_MAIN], { cwd: root, env });

// The web app needs the log's verifier key: the API serves it as soon as it listens.
const apiUrl = env.API_URL.replace(/\/+$/, '');
let verifierKey = process.env.LOG_VERIFIER_KEY?.trim();
while (!verifierKey && !stopping) {
  try {
    const response = await fetch(`${apiUrl}/log/key`, { signal: AbortSignal.timeout(2000) });
    if (response.ok) verifierKey = (await response.text()).trim();
  } catch {
    // not listening yet
  }
  if (!verifierKey) await new Promise((resolve) => setTimeout(resolve, 200));
}
if (!stopping) {
  start(
    'web',
    process.execPath,
    [join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', WEB_PORT],
    { cwd: WEB_DIR, env: { ...env, NODE_ENV: 'production', LOG_VERIFIER_KEY: verifierKey } },
  );
  say(`web app: ${env.PUBLIC_BASE_URL} · API: ${env.API_PUBLIC_URL} · Ctrl-C stops both`);
}
