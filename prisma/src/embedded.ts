// The embedded default: PostgreSQL compiled to WebAssembly (PGlite, PostgreSQL 18), kept in a
// data directory and served over the PostgreSQL wire protocol on 127.0.0.1 by pglite-socket, in
// this process. Everything else — the Prisma client, migrations, psql — connects to it with an
// ordinary postgresql:// URL, exactly as to a real server (STACK-NOTES §2, option A).
// Limits: one backend, so transactions run one at a time; no COPY FROM STDIN; only this process
// may open the data directory (a lock file beside it enforces that).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type EmbeddedPostgres = {
  /** `postgresql://postgres:postgres@127.0.0.1:<port>/postgres?sslmode=disable` */
  url: string;
  /** Stops the server and closes the database (idempotent). */
  stop(): Promise<void>;
};

/**
 * Starts PGlite on `dataDir` (created and initialised on first use, which takes seconds; an
 * existing directory opens in about a second) and serves it on a free port of 127.0.0.1.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const releaseLock = await lockDataDir(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create(dir);
    // Not 1: the migrator's idle pool connection would block the app's pool.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
    try {
      await server.start();
    } catch (error) {
      await db.close();
      throw error;
    }
    const port = server.getServerConn().split(':').pop();
    let stopping: Promise<void> | undefined;
    return {
      url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      stop: () =>
        (stopping ??= (async () => {
          try {
            await server.stop();
            await db.close();
          } finally {
            await releaseLock();
          }
        })()),
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

/**
 * Takes `<dataDir>.lock` (holding our pid), or throws when a live process holds it. A lock left
 * by a process that died is taken over.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = `${dir}.lock`;
  const release = () => rm(lockPath, { force: true });
  try {
    await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
    return release;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
    throw new Error(
      `The embedded database ${dir} is in use by process ${holder} (lock file ${lockPath}).`,
    );
  }
  await writeFile(lockPath, `${process.pid}\n`);
  return release;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
