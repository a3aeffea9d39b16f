import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

import type { Env } from '../config/env.js';

/** How many API processes API_WORKERS asks for (`auto`: one per CPU the system offers). */
export const workerCount = (env: Pick<Env, 'API_WORKERS'>): number =>
  env.API_WORKERS === undefined
    ? 1
    : env.API_WORKERS === 'auto'
      ? availableParallelism()
      : Number(env.API_WORKERS);

/** Why the settings cannot run `count` processes, or null. */
export const workersProblem = (env: Pick<Env, 'API_WORKERS' | 'DATABASE_URL'>): string | null =>
  workerCount(env) > 1 && env.DATABASE_URL === undefined
    ? 'API_WORKERS above 1 needs DATABASE_URL: the embedded PGlite serves one process (unset API_WORKERS, or set DATABASE_URL)'
    : null;

/** Whether this process is a worker forked by runPrimary (it then serves HTTP like a single process). */
export const isWorker = (): boolean => cluster.isWorker;

/** Whether this worker should print the start-up banner: one of them does. */
export const printsBanner = (): boolean => !cluster.isWorker || cluster.worker?.id === 1;

/** Delay before replacing a worker after `failures` consecutive short-lived ones: 0, 1 s, 2 s, 4 s … 30 s. */
export const restartDelayMs = (failures: number): number =>
  failures <= 0 ? 0 : Math.min(30_000, 1000 * 2 ** (failures - 1));

/** A worker that served at least this long before it died counts as healthy (no back-off). */
const HEALTHY_LIFETIME_MS = 10_000;

/**
 * The primary of a multi-process service (ADR 0007): forks `count` workers, each a whole API
 * process on the shared port (the sealer's per-seal lock keeps one sealer at a time, ADR 0006),
 * replaces a worker that dies, and stops them all on SIGINT/SIGTERM. A worker of the first set
 * that dies before it ever listened stops the service (a bad setting would otherwise restart
 * forever); replacements that die young (e.g. while the database is down) are re-forked with an
 * exponential back-off. Resolves when every worker has exited, with the exit code to use.
 */
export const runPrimary = (count: number, log: (line: string) => void): Promise<number> =>
  new Promise((resolve) => {
    let stopping = false;
    let exitCode = 0;
    let started = 0; // workers of the first set that have listened
    let failures = 0; // consecutive workers that died young
    let pending = 0; // replacements waiting for their back-off
    const listenedAt = new WeakMap<Worker, number>();
    const live = (): number => Object.keys(cluster.workers ?? {}).length;
    const stopAll = (signal: NodeJS.Signals): void => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (live() === 0 && pending === 0) resolve(exitCode);
    };
    const replace = (): void => {
      const delay = restartDelayMs(failures);
      pending += 1;
      setTimeout(() => {
        pending -= 1;
        if (stopping) {
          if (live() === 0 && pending === 0) resolve(exitCode);
          return;
        }
        cluster.fork();
      }, delay).unref();
    };
    cluster.on('listening', (worker) => {
      if (!listenedAt.has(worker)) started += 1;
      listenedAt.set(worker, Date.now());
    });
    cluster.on('exit', (worker, code, signal) => {
      const how = signal ?? `exit code ${code}`;
      const since = listenedAt.get(worker);
      if (!stopping && since === undefined && started < count) {
        log(`API worker ${worker.process.pid} failed to start (${how}); stopping`);
        exitCode = code || 1;
        stopAll('SIGTERM');
        return;
      }
      if (!stopping) {
        failures =
          since !== undefined && Date.now() - since >= HEALTHY_LIFETIME_MS ? 0 : failures + 1;
        const delay = restartDelayMs(failures);
        log(
          `API worker ${worker.process.pid} stopped (${how}); starting another${delay > 0 ? ` in ${delay / 1000} s` : ''}`,
        );
        replace();
        return;
      }
      if (live() === 0 && pending === 0) resolve(exitCode);
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => stopAll(signal));
    }
    // Workers accept connections themselves from the shared socket (not handed over by the
    // primary, Node's default on Linux): a connection is then either accepted by a live worker or
    // still queued for one, never held in transit to a worker that has just died.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    for (let i = 0; i < count; i += 1) cluster.fork();
  });
