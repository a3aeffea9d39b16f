import { parseArgs } from 'node:util';

import { formatAuditProgress, formatAuditResult, parseVerifierKey } from '@traceroot/trace';
import { nodeSha256 } from '@traceroot/trace/node';

import { PrismaService } from '../database/prisma.service.js';
import { LedgerRepository } from '../ledger/ledger.repository.js';
import { auditDatabase } from './audit-database.js';

export const AUDIT_USAGE = `Usage: node apps/api/dist/audit/main.js --key VERIFIER-KEY [--key …] [--origin ORIGIN] [DATABASE_URL]

Audits the log tables of a Traceroot database: recomputes every leaf from its stored event,
every checkpoint root and every stored tree node (log_nodes, which proofs are served from; none
may be missing under a checkpoint, none stored beyond the latest), and names the first mismatch
(a node by its level and index). DATABASE_URL defaults to the environment's
(which keeps a password out of the process list). \`traceroot audit --database-url\` runs this.
Exit codes: 0 the log is intact, 1 a mismatch (named on stdout), 2 usage error, 3 the database
could not be read.`;

export type AuditScriptIo = {
  out(line: string): void;
  err(line: string): void;
  /** Milliseconds since some epoch, to pace progress lines. */
  now(): number;
};

/** How often a long audit reports progress on stderr. */
const PROGRESS_INTERVAL_MS = 2000;

/**
 * The audit script: `argv` as given after the script's name; `environmentUrl` reads the
 * DATABASE_URL of the environment (only when none is given). Returns the exit code.
 */
export const runAuditScript = async (
  argv: readonly string[],
  environmentUrl: () => string | undefined,
  io: AuditScriptIo,
): Promise<number> => {
  let keys: string[];
  let origin: string | undefined;
  let url: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        key: { type: 'string', multiple: true },
        origin: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
    if (values.help === true) {
      io.out(AUDIT_USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new Error(`unexpected argument "${positionals[1]}"`);
    keys = values.key ?? [];
    if (keys.length === 0) {
      throw new Error('--key VERIFIER-KEY is required: the log verifier key you trust');
    }
    for (const key of keys) {
      try {
        parseVerifierKey(key);
      } catch (error) {
        throw new Error(`--key ${key} is not a verifier key: ${(error as Error).message}`);
      }
    }
    origin = values.origin;
    url = positionals[0] ?? environmentUrl();
    if (url === undefined) {
      throw new Error('no database: set DATABASE_URL or pass it as the argument');
    }
  } catch (error) {
    io.err(`audit: ${error instanceof Error ? error.message : String(error)}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  const prisma = new PrismaService(url);
  let last = io.now();
  try {
    const result = await auditDatabase(new LedgerRepository(prisma), {
      trustedKeys: keys,
      sha: nodeSha256,
      ...(origin === undefined ? {} : { origin }),
      progressEvery: 1000,
      onProgress: (progress) => {
        if (io.now() - last < PROGRESS_INTERVAL_MS) return;
        last = io.now();
        io.err(formatAuditProgress(progress));
      },
    });
    io.out(formatAuditResult(result));
    if (!result.ok) {
      io.err(
        `audit: stopped at the first mismatch, after ${result.leaves} correct leaves and ${result.checkpoints} correct checkpoints`,
      );
      return 1;
    }
    return 0;
  } catch (error) {
    // Prisma's messages span lines (the invocation, then the cause): the last line says why.
    const message = error instanceof Error ? error.message : String(error);
    const lines = message.split('\n').filter((line) => line.trim() !== '');
    io.err(`audit: cannot read the database: ${lines.at(-1)?.trim() ?? message}`);
    return 3;
  } finally {
    await prisma.onModuleDestroy();
  }
};
