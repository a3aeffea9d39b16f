// Starts the built ledger service (dist/main.js) as a child process for the benchmark, on the
// port the system picks (PORT=0, read back from the banner), and stops it. With `cpuProfileDir`
// it runs under --cpu-prof through profile-main.mjs, which exits cleanly on SIGUSR2 so that the
// profile is written. Its stdout (the banner, then one access-log line per request at the
// default LOG_LEVEL) goes to a temporary file, which costs the service what a log file would and
// the generator nothing.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// BENCH_SERVICE_MAIN: another build of the service (e.g. a copy of dist/ with a change undone,
// for an A/B comparison).
const MAIN_JS =
  process.env.BENCH_SERVICE_MAIN ?? fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const PROFILE_MAIN = fileURLToPath(new URL('../profile-main.mjs', import.meta.url));

export const startService = async ({
  databaseUrl,
  signingKey,
  adminKey,
  env = {},
  cpuProfileDir,
}) => {
  if (!existsSync(MAIN_JS)) {
    throw new Error(`${MAIN_JS} is missing: build first (npm run build -w @traceroot/api)`);
  }
  const args = cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, PROFILE_MAIN, MAIN_JS]
    : [MAIN_JS];
  const logDir = mkdtempSync(join(tmpdir(), 'traceroot-bench-log-'));
  const logFile = join(logDir, 'service.log');
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      LOG_SIGNING_KEY: signingKey,
      TRACEROOT_BOOTSTRAP_API_KEY: adminKey,
      ...env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)),
  );
  let ended = null;
  void exited.then((how) => (ended = how));
  const text = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const deadline = Date.now() + 120_000;
  let baseUrl;
  for (;;) {
    const match = /running at (http:\/\/\S+)/.exec(text());
    if (match) {
      baseUrl = match[1].replace('localhost', '127.0.0.1');
      break;
    }
    if (ended !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = text();
      rmSync(logDir, { recursive: true, force: true });
      throw new Error(
        `the service ${ended ? `ended (${ended})` : 'did not start in 120 s'} during boot:\n${log.slice(-4000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tail = () =>
    text()
      .split('\n')
      .filter((line) => !line.includes('"context":"HTTP"'))
      .slice(-30)
      .join('\n');
  return {
    baseUrl,
    pid: child.pid,
    /** The last lines it logged other than access-log lines (its errors, if any). */
    tail,
    /** Lines of its log that record errors. */
    errors: () =>
      text()
        .split('\n')
        .filter((line) => /"level":"(error|fatal)"/.test(line)),
    stop: async () => {
      if (ended === null) child.kill(cpuProfileDir ? 'SIGUSR2' : 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      rmSync(logDir, { recursive: true, force: true });
    },
    kill: () => child.kill('SIGKILL'),
  };
};
