import { parseDigitalLink } from '@traceroot/trace';

import type { CliIo } from '../io.js';
import { type CommandArgs, requireOne } from './args.js';

export const dlCommand = (args: CommandArgs, io: CliIo): void => {
  io.out(JSON.stringify(parseDigitalLink(requireOne(args, 'URI')), null, 2));
};
