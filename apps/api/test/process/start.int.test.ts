// Issue 4: `npm start` (scripts/start.mjs) starts the API and the web app together. On an empty
// embedded data directory the API loads the demo and its banner prints a real product page's URL
// and its QR code's on the web app's base; both servers answer; SIGTERM stops both. With
// --no-demo nothing is loaded, and when the API dies the web app is stopped and start.mjs fails.
// Run with --no-build: the test task builds the API and the web app first (apps/api/turbo.json).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from '@jest/globals';

import { DEMO_FEATURED } from '../../src/demo/scenarios/index.js';
import { MAIN_JS, waitUntil } from './support/service.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const START = join(ROOT, 'scripts/start.mjs');
const WEB_BUILD = join(ROOT, 'apps/web/.next/BUILD_ID');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

type Started = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  apiUrl: string;
  webUrl: string;
  /** The API's and the web app's process IDs, as start.mjs announced them. */
  pids: () => { api?: number; web?: number };
};

const started: Started[] = [];
const dataDirs: string[] = [];

const start = async (args: string[], via: 'node' | 'npm' = 'node'): Promise<Started> => {
  for (const built of [MAIN_JS, WEB_BUILD]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: build the API and the web app`);
  }
  const [port, webPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'traceroot-start-'));
  dataDirs.push(dataDir);
  // `npm start` as a user (or a process manager) runs it: npm → sh -c → node scripts/start.mjs.
  const [command, commandArgs] =
    via === 'npm'
      ? ['npm', ['start', '--silent', '--', '--no-build', ...args]]
      : [process.execPath, [START, '--no-build', ...args]];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    // Nothing of the test runner's environment (DATABASE_URL…) leaks in.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      PORT: String(port),
      WEB_PORT: String(webPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const pid = (name: string): number | undefined => {
    const match = new RegExp(`\\[start\\] ${name}: process (\\d+)`).exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const run: Started = {
    child,
    output: () => text,
    exited,
    apiUrl: `http://127.0.0.1:${port}`,
    webUrl: `http://localhost:${webPort}`,
    pids: () => ({ api: pid('api'), web: pid('web') }),
  };
  started.push(run);
  return run;
};

const waitForOutput = (run: Started, pattern: RegExp, what: string): Promise<void> =>
  waitUntil(
    () => {
      if (run.child.exitCode !== null) {
        throw new Error(`start.mjs ended while waiting for ${what}:\n${run.output()}`);
      }
      return pattern.test(run.output());
    },
    150_000,
    `${what}:\n${run.output()}`,
  );

/**
 * Waits until `url` answers below 500; returns that status. The deadline is as generous as the
 * start's (150 s): under the full CI's parallel load the web app once took longer than 60 s.
 */
const answers = async (url: string): Promise<number> => {
  let status = 0;
  await waitUntil(
    async () => {
      status = (await fetch(url).catch(() => null))?.status ?? 0;
      return status > 0 && status < 500;
    },
    150_000,
    `${url} to answer`,
  );
  return status;
};

afterAll(async () => {
  for (const run of started) {
    const { api, web } = run.pids();
    for (const pid of [run.child.pid, api, web]) {
      if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start (scripts/start.mjs, process test)', () => {
  it('starts the API and the web app, loads the demo on an empty embedded database, stops both on SIGTERM', async () => {
    const run = await start([]);
    await waitForOutput(run, /\[api\]\s+recalled lot:\s+http\S+/, 'the banner with the demo URLs');
    const { path } = DEMO_FEATURED.teaCake;
    const output = run.output();
    expect(output).toContain(`product page:  ${run.webUrl}${path}`);
    expect(output).toContain(`its QR code:   ${run.webUrl}/qr${path}.png`);
    expect(output).toContain(`running at http://localhost:${new URL(run.apiUrl).port}`);
    expect(output).toMatch(/verifier key:\s+localhost:\d+\/log\+/);
    expect(output).toContain('First run: created the organization');
    expect(output).toMatch(/sealed: the checkpoint of tree size \d+ covers all 65 demo events/);

    expect((await fetch(`${run.apiUrl}/healthz`)).status).toBe(200);
    expect(await answers(`${run.webUrl}/`)).toBeLessThan(500);
    const qr = await fetch(`${run.webUrl}/qr${path}.png`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${run.apiUrl}/trace/${encodeURIComponent(path)}`)).status).toBe(200);

    const { api, web } = run.pids();
    expect(api).toBeDefined();
    expect(web).toBeDefined();
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(api!)).toBe(false);
    expect(isAlive(web!)).toBe(false);
  }, 240_000);

  it('stops both servers when `npm start` itself gets SIGTERM (a process manager stopping it)', async () => {
    const run = await start(['--no-demo'], 'npm');
    await waitForOutput(run, /\[start\] web: process \d+/, 'the web app to start');
    await answers(`${run.webUrl}/`);
    const { api, web } = run.pids();
    run.child.kill('SIGTERM');
    await run.exited;
    await waitUntil(() => !isAlive(api!) && !isAlive(web!), 20_000, 'both servers to stop');
  }, 240_000);

  it('loads nothing with --no-demo, and stops the web app and fails when the API dies', async () => {
    const run = await start(['--no-demo']);
    await waitForOutput(run, /\[start\] web: process \d+/, 'the web app to start');
    await waitForOutput(run, /verifier key:/, 'the banner');
    expect(run.output()).not.toContain('Demo data');
    expect(run.output()).not.toContain('Loading the demo');
    await answers(`${run.webUrl}/`);

    const { api, web } = run.pids();
    process.kill(api!, 'SIGKILL');
    const { code } = await run.exited;
    expect(code).not.toBe(0);
    expect(run.output()).toMatch(/the api process ended \(SIGKILL\); stopping the rest/);
    expect(isAlive(web!)).toBe(false);
  }, 240_000);
});
