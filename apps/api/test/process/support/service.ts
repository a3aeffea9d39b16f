// Runs the built ledger service (apps/api/dist/main.js, as `npm start` does) as child processes
// for the process-level tests: start on a database, find the port it bound, wait until ready,
// SIGKILL. Every child is tracked so that a failing test still leaves none behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN_JS = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

export type ServiceOptions = {
  /** A name for messages and log lines, e.g. "a" or "after-crash-1". */
  name: string;
  databaseUrl: string;
  signingKey: string;
  bootstrapApiKey: string;
  /** More environment variables (e.g. SEAL_INTERVAL_MS, LOG_LEVEL). */
  env?: Record<string, string>;
  /** How long boot may take (module loading and migrations; slow on a busy 2-core machine). */
  bootTimeoutMs?: number;
};

export type Service = {
  name: string;
  pid: number;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** Everything the process wrote, as lines (stdout and stderr). */
  lines: string[];
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  /** SIGKILL, then wait until the process is gone. */
  kill: () => Promise<string>;
};

const children = new Set<ChildProcess>();

/** SIGKILLs every child still running (afterAll, and on exit as a last resort). */
export const killAllServices = async (): Promise<void> => {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
};

process.once('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

const BANNER = /running at (http:\/\/\S+)/;

export const startService = async (options: ServiceOptions): Promise<Service> => {
  if (!existsSync(MAIN_JS)) {
    throw new Error(`${MAIN_JS} is missing: run \`npm run build -w @traceroot/api\` first`);
  }
  const child = spawn(process.execPath, [MAIN_JS], {
    // Only what the service needs: nothing from the test runner's environment leaks in.
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: options.databaseUrl,
      LOG_SIGNING_KEY: options.signingKey,
      TRACEROOT_BOOTSTRAP_API_KEY: options.bootstrapApiKey,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(signal ?? `exit ${code}`);
    });
  });
  let banner: (url: string) => void = () => undefined;
  const announced = new Promise<string>((resolve) => (banner = resolve));
  const collect = (stream: NodeJS.ReadableStream): void => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const match = BANNER.exec(line);
        if (match) banner(match[1]!.replace('localhost', '127.0.0.1'));
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);

  const kill = async (): Promise<string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  };
  const timeoutMs = options.bootTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const baseUrl = await Promise.race([
      announced,
      exited.then((how) =>
        Promise.reject(
          new Error(`service ${options.name} ended during boot (${how}):\n${lines.join('\n')}`),
        ),
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `service ${options.name} did not boot in ${timeoutMs} ms:\n${lines.join('\n')}`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
    await waitUntil(
      async () => (await fetch(`${baseUrl}/readyz`).catch(() => null))?.ok === true,
      10_000,
      `${options.name} ready`,
    );
    return { name: options.name, pid: child.pid!, baseUrl, lines, exited, kill };
  } catch (error) {
    await kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
};

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it holds; throws after `timeoutMs`. */
export const waitUntil = async (
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  const timedOut = (): Error => new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  for (;;) {
    // A check that never settles (e.g. a request on a connection a killed process had accepted)
    // must not outlive the deadline.
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timedOut()), Math.max(0, deadline - Date.now()) + 50);
    });
    try {
      if (await Promise.race([check(), expired])) return;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() > deadline) throw timedOut();
    await sleep(50);
  }
};

/** Creates an organization through the admin API; returns its API key. */
export const createOrganization = async (
  baseUrl: string,
  adminKey: string,
  name: string,
): Promise<string> => {
  const response = await fetch(`${baseUrl}/admin/organizations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /admin/organizations: ${response.status} ${await response.text()}`);
  }
  return ((await response.json()) as { apiKey: string }).apiKey;
};

/** The JSON log records a service wrote (LOG_FORMAT json), e.g. to find its seals. */
export const jsonRecords = (service: Pick<Service, 'lines'>): Record<string, unknown>[] =>
  service.lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
