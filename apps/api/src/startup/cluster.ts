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

/**
 * The primary of a multi-process service (ADR 0007): forks `count` workers, each a whole API
 * process on the shared port (the sealer's per-seal lock keeps one sealer at a time, ADR 0006),
 * replaces a worker that dies after it started serving, and stops them all on SIGINT/SIGTERM.
 * A worker that dies before it ever listened stops the service: a bad setting would otherwise
 * restart forever. Resolves when every worker has exited, with the exit code to use.
 */
export const runPrimary = (count: number, log: (line: string) => void): Promise<number> =>
  new Promise((resolve) => {
    let stopping = false;
    let exitCode = 0;
    const listened = new WeakSet<Worker>();
    const live = (): number => Object.keys(cluster.workers ?? {}).length;
    const stopAll = (signal: NodeJS.Signals): void => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    };
    cluster.on('listening', (worker) => listened.add(worker));
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping && listened.has(worker)) {
        log(
          `API worker ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another`,
        );
        cluster.fork();
        return;
      }
      if (!stopping) {
        log(
          `API worker ${worker.process.pid} failed to start (${signal ?? `exit code ${code}`}); stopping`,
        );
        exitCode = code || 1;
        stopAll('SIGTERM');
      }
      if (live() === 0) resolve(exitCode);
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => stopAll(signal));
    }
    for (let i = 0; i < count; i += 1) cluster.fork();
  });
