// `traceroot audit --database-url`: the ledger service's own audit script reads the tables (with
// the service's repository code and database driver), and this runs it as a child process. The
// CLI needs no database driver, and the tables are read exactly as the service reads them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

import { CliError, type ExitCode } from '../cli-error.js';
import type { CliIo } from '../io.js';

/** Where the service package keeps the built script, relative to its package.json. */
const SCRIPT = 'dist/audit/main.js';

/**
 * The ledger service's audit script (`@traceroot/api`, apps/api in this repository), or null
 * when the service is not installed beside the CLI or not built.
 */
export const findAuditScript = (from: string = import.meta.url): string | null => {
  try {
    const manifest = createRequire(from).resolve('@traceroot/api/package.json');
    const script = join(dirname(manifest), SCRIPT);
    return existsSync(script) ? script : null;
  } catch {
    return null;
  }
};

const EXIT_CODES: readonly ExitCode[] = [0, 1, 2, 3];

/**
 * Runs the audit `script` on the database at `databaseUrl` with `args`, forwarding its stdout
 * and stderr line by line; returns its exit code. The URL travels in the child's environment
 * (DATABASE_URL), never on its command line.
 */
export const runAuditScript = (
  script: string,
  args: readonly string[],
  databaseUrl: string,
  io: CliIo,
): Promise<ExitCode> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forwarded = [
      new Promise<void>((done) =>
        createInterface({ input: child.stdout })
          .on('line', (line) => io.out(line))
          .on('close', done),
      ),
      new Promise<void>((done) =>
        createInterface({ input: child.stderr })
          .on('line', (line) => io.err(line))
          .on('close', done),
      ),
    ];
    child.on('error', (error) =>
      reject(new CliError('IO', `cannot run the audit script ${script}: ${error.message}`)),
    );
    child.on('close', (code, signal) => {
      void Promise.all(forwarded).then(() => {
        const exit = EXIT_CODES.find((c) => c === code);
        if (exit !== undefined) resolve(exit);
        else {
          reject(
            new CliError(
              'IO',
              `the audit script stopped (${signal ?? `exit code ${String(code)}`})`,
            ),
          );
        }
      });
    });
  });
