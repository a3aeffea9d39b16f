// API_WORKERS (ADR 0007): one service, several API processes on one port (node:cluster). The
// built service starts with API_WORKERS=2 on an empty database: the primary migrates and forks two
// workers; captures spread over both make one log; a worker SIGKILLed under load is replaced and
// loses no acknowledged event; SIGTERM stops them all. API_WORKERS above 1 without DATABASE_URL
// (the embedded PGlite serves one process) is refused at start with a message saying why.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_SERVER_URL } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';

import { checkLog, logState, withClient } from './support/log-check.js';
import { type CaptureLoad, startCaptureLoad } from './support/load.js';
import {
  createOrganization,
  killAllServices,
  MAIN_JS,
  type Service,
  startService,
  waitUntil,
} from './support/service.js';

const ORIGIN = 'workers.traceroot.dev/log';
const keys = generateNoteKeys(ORIGIN, new Uint8Array(randomBytes(32)));
const adminKey = randomBytes(32).toString('base64url');

/** The live child processes of `pid` (the cluster's workers). */
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `promise`, or a failure after `ms` that shows what the service and the load saw. */
const within = async <T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  service: Service,
  load: CaptureLoad,
): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const refused = load.refused.slice(-3).map((doc) => `${doc.status} ${doc.body}`);
          reject(
            new Error(
              `${what}: not within ${ms} ms; acknowledged ${load.acknowledged.length}, unknown ${load.unknown.length}, refused ${load.refused.length} ${JSON.stringify(refused)}\n${service.lines.slice(-30).join('\n')}`,
            ),
          );
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

describe('API_WORKERS: several API processes behind one port (process test)', () => {
  const dbName = `workers_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.href;
  let service: Service;
  let apiKey = '';
  const loads: CaptureLoad[] = [];

  beforeAll(async () => {
    await withClient(TEST_SERVER_URL, (admin) => admin.query(`CREATE DATABASE "${dbName}"`));
    service = await startService({
      name: 'workers',
      databaseUrl,
      signingKey: keys.signerKey,
      bootstrapApiKey: adminKey,
      env: { API_WORKERS: '2', SEAL_INTERVAL_MS: '100' },
    });
    apiKey = await createOrganization(service.baseUrl, adminKey, 'Workers farm');
  }, 90_000);

  afterAll(async () => {
    await Promise.all(loads.map((load) => load.stop()));
    const workers = service ? childrenOf(service.pid) : [];
    await killAllServices();
    for (const pid of workers) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await withClient(TEST_SERVER_URL, (admin) =>
      admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`),
    );
  }, 30_000);

  it('forks two workers that both serve, and replaces one that is killed without losing an acknowledged event', async () => {
    const workers = childrenOf(service.pid);
    expect(workers).toHaveLength(2);
    expect(service.lines.some((line) => line.includes('processes:     2 (API_WORKERS)'))).toBe(
      true,
    );

    const load = startCaptureLoad({
      targets: [service.baseUrl],
      apiKey,
      clients: 6,
      eventsPerDocument: 20,
    });
    loads.push(load);
    await within(load.acknowledgedMore(30), 40_000, '30 documents before the kill', service, load);
    const victim = workers[0]!;
    process.kill(victim, 'SIGKILL');
    await waitUntil(
      () =>
        Promise.resolve(
          childrenOf(service.pid).length === 2 && !childrenOf(service.pid).includes(victim),
        ),
      30_000,
      'a replacement worker',
    );
    await waitUntil(
      async () =>
        (
          await fetch(`${service.baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(
            () => null,
          )
        )?.ok === true,
      10_000,
      'the service ready again',
    );
    await within(load.acknowledgedMore(30), 40_000, '30 documents after the kill', service, load);
    await within(load.stop(), 30_000, 'the load to stop', service, load);
    expect(
      service.lines.some((line) =>
        line.includes(`API worker ${victim} stopped (SIGKILL); starting another`),
      ),
    ).toBe(true);
    await waitUntil(
      async () => {
        const state = await logState(databaseUrl);
        return state.sealed === state.leaves;
      },
      20_000,
      'everything sealed',
    );
    expect(load.refused.map((doc) => `${doc.status} ${doc.body}`)).toEqual([]);
    const facts = await checkLog({
      databaseUrl,
      baseUrl: service.baseUrl,
      verifierKey: keys.verifierKey,
      origin: ORIGIN,
      acknowledged: load.acknowledged,
      unknown: load.unknown,
    });
    expect(facts.leaves).toBeGreaterThanOrEqual(60 * 20);
  }, 120_000);

  it('stops every worker on SIGTERM', async () => {
    const workers = childrenOf(service.pid);
    expect(workers).toHaveLength(2);
    process.kill(service.pid, 'SIGTERM');
    expect(await service.exited).toBe('exit 0');
    await waitUntil(
      () => Promise.resolve(workers.every((pid) => !alive(pid))),
      10_000,
      'the workers to exit',
    );
  }, 30_000);

  it('refuses API_WORKERS above 1 on the embedded database, saying why', async () => {
    const child = spawn(process.execPath, [MAIN_JS], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        API_WORKERS: '2',
        DATA_DIR: `/tmp/traceroot-workers-${dbName}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('API_WORKERS above 1 needs DATABASE_URL');
  }, 30_000);
});
