// `traceroot audit`: recompute every leaf of a log from its stored events and every checkpoint
// root, and name the first mismatch (issue 3 §5). The checks are `auditLog` of @traceroot/trace;
// this reads the log from the service's public endpoints (--url) or has the service's audit
// script read its tables (--database-url), which also checks the stored tree nodes (log_nodes)
// that proofs are served from: no public endpoint lists them.
import {
  auditLog,
  type AuditResult,
  formatAuditProgress,
  formatAuditResult,
  type NoteVerifier,
  parseVerifierKey,
} from '@traceroot/trace';
import { nodeSha256 } from '@traceroot/trace/node';

import { CliError, EXIT, type ExitCode } from '../cli-error.js';
import type { CliIo } from '../io.js';
import type { CommandArgs } from './args.js';
import { findAuditScript, runAuditScript } from './audit-database.js';
import { httpCheckpoints, httpLeaves, logClient } from './audit-http.js';

/** How often a long audit prints progress on stderr. */
const PROGRESS_INTERVAL_MS = 2000;

const stringFlag = (args: CommandArgs, name: string): string | undefined => {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
};

/** The pinned verifier keys of --key (required, repeatable), parsed; usage error otherwise. */
export const trustedKeysOf = (args: CommandArgs, command: string): NoteVerifier[] => {
  const { key } = args.flags;
  const keys = Array.isArray(key) ? key : typeof key === 'string' ? [key] : [];
  if (keys.length === 0) {
    throw new CliError(
      'USAGE',
      `${command} needs --key VERIFIER-KEY: the log verifier key you trust (from the log operator's configuration, pinned, never fetched from the log)`,
    );
  }
  return keys.map((text) => {
    try {
      return parseVerifierKey(text, nodeSha256);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError('USAGE', `--key ${text} is not a verifier key: ${reason}`);
    }
  });
};

export const auditCommand = async (args: CommandArgs, io: CliIo): Promise<ExitCode> => {
  if (args.positionals.length > 0) {
    throw new CliError(
      'USAGE',
      `unexpected argument "${args.positionals[0]}": audit takes --url or --database-url`,
    );
  }
  const url = stringFlag(args, 'url');
  const databaseUrl = stringFlag(args, 'database-url');
  if ((url === undefined) === (databaseUrl === undefined)) {
    throw new CliError(
      'USAGE',
      'audit needs one of --url URL (a running service) or --database-url URL (its database)',
    );
  }
  const keys = trustedKeysOf(args, 'audit');
  const origin = stringFlag(args, 'origin');
  if (databaseUrl !== undefined) {
    if (args.flags.json === true) throw new CliError('USAGE', '--json is for --url audits');
    return auditDatabase(databaseUrl, keys, origin, io);
  }
  const client = logClient(url!, '--url');
  let last = Date.now();
  const result = await auditLog(
    { leaves: httpLeaves(client), checkpoints: httpCheckpoints(client) },
    {
      trustedKeys: keys,
      sha: nodeSha256,
      ...(origin === undefined ? {} : { origin }),
      progressEvery: 1000,
      onProgress: (progress) => {
        if (Date.now() - last < PROGRESS_INTERVAL_MS) return;
        last = Date.now();
        io.err(formatAuditProgress(progress));
      },
    },
  );
  report(result, args.flags.json === true, io);
  return result.ok ? EXIT.OK : EXIT.INVALID;
};

const report = (result: AuditResult, json: boolean, io: CliIo): void => {
  io.out(json ? JSON.stringify(result, null, 2) : formatAuditResult(result));
  if (!result.ok) {
    io.err(
      `audit: stopped at the first mismatch, after ${result.leaves} correct leaves and ${result.checkpoints} correct checkpoints`,
    );
    return;
  }
  const unsealed = result.leaves - result.treeSize;
  io.err(
    result.checkpoints === 0
      ? 'audit: the log has no checkpoint yet'
      : `audit: latest checkpoint: tree size ${result.treeSize}, root ${result.rootHash}; ` +
          `${unsealed} leaves not yet covered by a checkpoint; ` +
          `event hash IDs recomputed for ${result.eventHashIdsChecked} of ${result.leaves} leaves`,
  );
  io.err(NODES_NOT_CHECKED);
};

/** Said after every --url audit that passes: what only a database audit can check. */
export const NODES_NOT_CHECKED =
  'audit: the stored tree nodes that proofs are served from were not checked (no public endpoint lists them): audit with --database-url for that';

const auditDatabase = async (
  databaseUrl: string,
  keys: readonly NoteVerifier[],
  origin: string | undefined,
  io: CliIo,
): Promise<ExitCode> => {
  const script = findAuditScript();
  if (script === null) {
    throw new CliError(
      'IO',
      "a database audit runs the ledger service's audit script (apps/api/dist/audit/main.js), which is not built or not installed here: run `npm run build`, or run `node <service>/dist/audit/main.js --key …` where the service is installed",
    );
  }
  const args = keys.flatMap((key) => ['--key', key.verifierKey]);
  if (origin !== undefined) args.push('--origin', origin);
  return runAuditScript(script, args, databaseUrl, io);
};
