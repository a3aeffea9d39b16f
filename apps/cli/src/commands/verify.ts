import { type TraceBundle, verifyTraceBundle } from '@traceroot/trace';

import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { readJson } from '../read-json.js';
import { type CommandArgs, requireOne } from './args.js';

export const verifyCommand = async (args: CommandArgs, io: CliIo): Promise<void> => {
  const file = requireOne(args, 'BUNDLE.json|-');
  const { key } = args.flags;
  const keys = Array.isArray(key) ? key : typeof key === 'string' ? [key] : [];
  if (keys.length === 0) {
    throw new CliError(
      'USAGE',
      'verify needs --key VERIFIER-KEY: the log verifier key you trust (from the log operator, never from the bundle)',
    );
  }
  const origin = typeof args.flags.origin === 'string' ? args.flags.origin : undefined;
  const bundle = (await readJson(io, file)) as TraceBundle;
  const verdict = verifyTraceBundle(bundle, keys, origin === undefined ? {} : { origin });
  if (args.flags.json === true) io.out(JSON.stringify(verdict, null, 2));
  if (!verdict.ok) {
    const where = verdict.entryIndex === undefined ? '' : ` (entry ${verdict.entryIndex})`;
    throw new CliError('INVALID', `NOT VERIFIED${where}: ${verdict.code}: ${verdict.message}`);
  }
  if (args.flags.json !== true) {
    io.out(
      `VERIFIED: ${verdict.entries.length} event(s) included in ${verdict.origin} at tree size ${verdict.treeSize}, signed by ${verdict.verifiedBy.join(', ')}`,
    );
    for (const entry of verdict.entries) {
      const hidden =
        entry.hiddenFieldCount > 0
          ? `, ${entry.hiddenFieldCount} field(s) hidden`
          : ', event hash ID recomputed';
      io.out(`  leaf ${entry.leafIndex}: ${entry.eventHashId}${hidden}`);
    }
  }
};
