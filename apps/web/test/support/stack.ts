// The whole product for the browser tests: the built ledger API (apps/api/dist/main.js, as
// `npm start` runs it) on a fresh PostgreSQL database, and the built web app (`next start`),
// wired together exactly as in production: API_URL, PUBLIC_BASE_URL, LOG_VERIFIER_KEY.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { createTestDatabase, type TestDatabase } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const API_MAIN = `${REPO_ROOT}apps/api/dist/main.js`;
const WEB_DIR = `${REPO_ROOT}apps/web`;
const NEXT_BIN = `${REPO_ROOT}node_modules/next/dist/bin/next`;

export const ADMIN_KEY = 'web-e2e-admin-0123456789abcdef0123456789abcdef';
const ORIGIN = 'web-e2e.traceroot.test/log';

export type Stack = {
  apiUrl: string;
  webUrl: string;
  verifierKey: string;
  db: TestDatabase;
  /** Everything the two processes printed (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Polls `url` until it answers (any status below 500) or `timeoutMs` passes. */
const waitFor = async (url: string, timeoutMs: number, output: () => string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last}):\n${output()}`);
};

export const startStack = async (): Promise<Stack> => {
  for (const built of [API_MAIN, `${WEB_DIR}/.next/BUILD_ID`]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (npm test does)`);
  }
  const db = await createTestDatabase('web');
  const keys = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(7));
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const lines: string[] = [];
  const children: ChildProcess[] = [];
  const output = () => lines.slice(-80).join('\n');
  const run = (name: string, args: string[], cwd: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) lines.push(`[${name}] ${line}`);
      });
    }
    children.push(child);
  };
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    await db.drop();
  };
  try {
    run('api', [API_MAIN], REPO_ROOT, {
      DATABASE_URL: db.url,
      PORT: String(apiPort),
      LOG_SIGNING_KEY: keys.signerKey,
      TRACEROOT_BOOTSTRAP_API_KEY: ADMIN_KEY,
      SEAL_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: webUrl,
      API_WORKERS: '1',
      SCAN_WARN_COUNT: '3',
    });
    run('web', [NEXT_BIN, 'start', '-p', String(webPort), '-H', '127.0.0.1'], WEB_DIR, {
      API_URL: apiUrl,
      API_PUBLIC_URL: apiUrl,
      PUBLIC_BASE_URL: webUrl,
      LOG_VERIFIER_KEY: keys.verifierKey,
      WEB_PORT: String(webPort),
    });
    await waitFor(`${apiUrl}/healthz`, 60_000, output);
    await waitFor(`${webUrl}/`, 60_000, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl, webUrl, verifierKey: keys.verifierKey, db, output, stop };
};
