import { digitalLinkToEpcUri, epcUriToDigitalLink } from '@traceroot/trace';

import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { type CommandArgs, requireOne } from './args.js';

export const epcCommand = (args: CommandArgs, io: CliIo): void => {
  const input = requireOne(args, 'URN-or-URI');
  const base = typeof args.flags.base === 'string' ? args.flags.base : undefined;
  if (input.toLowerCase().startsWith('urn:epc:')) {
    io.out(epcUriToDigitalLink(input, base));
    return;
  }
  const raw = args.flags['gcp-length'];
  if (raw === undefined) {
    throw new CliError(
      'USAGE',
      'converting a Digital Link to an EPC URN needs --gcp-length N: the length (6–12) of the GS1 Company Prefix, which the number itself does not reveal (ask GS1 or the brand owner)',
    );
  }
  const length = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(length) || length < 6 || length > 12) {
    throw new CliError(
      'USAGE',
      `--gcp-length must be a whole number from 6 to 12, not "${String(raw)}"`,
    );
  }
  io.out(digitalLinkToEpcUri(input, length));
};
