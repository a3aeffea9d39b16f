import { parseArgs, type ParseArgsConfig } from 'node:util';

import { isTraceError } from '@traceroot/trace';

import { CliError, EXIT, type ExitCode } from './cli-error.js';
import { adminCommand } from './commands/admin.js';
import { auditCommand } from './commands/audit.js';
import { dlCommand } from './commands/dl.js';
import { epcCommand } from './commands/epc.js';
import { eventHashCommand } from './commands/event-hash.js';
import { keygenCommand } from './commands/keygen.js';
import { monitorCommand } from './commands/monitor.js';
import { rulesCommand } from './commands/rules.js';
import { verifyCommand } from './commands/verify.js';
import type { CommandArgs } from './commands/args.js';
import { HELP } from './help.js';
import type { CliIo } from './io.js';

export { nodeIo } from './io.js';

const VERSION = '0.1.0';

type Command = {
  options: NonNullable<ParseArgsConfig['options']>;
  /** Throws CliError to fail; may return an exit code when it printed the outcome itself. */
  run(args: CommandArgs, io: CliIo): void | ExitCode | Promise<void | ExitCode>;
};

const COMMANDS: Record<string, Command> = {
  admin: {
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      gln: { type: 'string' },
      scopes: { type: 'string' },
      'expires-at': { type: 'string' },
      json: { type: 'boolean' },
    },
    run: adminCommand,
  },
  audit: {
    options: {
      url: { type: 'string' },
      'database-url': { type: 'string' },
      key: { type: 'string', multiple: true },
      origin: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: auditCommand,
  },
  'event-hash': { options: { prehash: { type: 'boolean' } }, run: eventHashCommand },
  dl: { options: {}, run: dlCommand },
  epc: { options: { 'gcp-length': { type: 'string' }, base: { type: 'string' } }, run: epcCommand },
  keygen: { options: {}, run: keygenCommand },
  monitor: {
    options: {
      key: { type: 'string', multiple: true },
      origin: { type: 'string' },
      state: { type: 'string' },
      once: { type: 'boolean' },
      interval: { type: 'string' },
    },
    run: monitorCommand,
  },
  rules: {
    options: { url: { type: 'string' }, json: { type: 'boolean' }, rules: { type: 'boolean' } },
    run: rulesCommand,
  },
  verify: {
    options: {
      key: { type: 'string', multiple: true },
      origin: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: verifyCommand,
  },
};

/** Runs one command line and returns its exit code (see HELP); only a bug throws. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out(HELP);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '-v' || name === '--version') {
    io.out(VERSION);
    return EXIT.OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    return fail(io, new CliError('USAGE', `unknown command "${name}" (see traceroot --help)`));
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help === true) {
      io.out(HELP);
      return EXIT.OK;
    }
    return (await command.run({ positionals, flags: values }, io)) ?? EXIT.OK;
  } catch (error) {
    return fail(io, error);
  }
};

const fail = (io: CliIo, error: unknown): ExitCode => {
  if (error instanceof CliError) {
    io.err(`traceroot: ${error.message}`);
    return EXIT[error.kind];
  }
  if (isTraceError(error)) {
    io.err(`traceroot: ${error.code}: ${error.message}`);
    return EXIT.INVALID;
  }
  if (isParseArgsError(error)) {
    io.err(`traceroot: ${error.message} (see traceroot --help)`);
    return EXIT.USAGE;
  }
  throw error; // a bug: let Node print the stack
};

// parseArgs rejects unknown options and missing values with errors coded ERR_PARSE_ARGS_*
// (checked by code, not class: the error may come from another realm).
const isParseArgsError = (error: unknown): error is Error => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof error === 'object' && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
};
