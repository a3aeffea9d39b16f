import { computeEventHashId, eventsOfDocument, formatEventPreHash } from '@traceroot/trace';

import type { CliIo } from '../io.js';
import { readJson } from '../read-json.js';
import { type CommandArgs, requireOne } from './args.js';

export const eventHashCommand = async (args: CommandArgs, io: CliIo): Promise<void> => {
  const file = requireOne(args, 'FILE|-');
  const { events, context } = eventsOfDocument(await readJson(io, file));
  const lines = events.map((event) => {
    const id = computeEventHashId(event, { context });
    return args.flags.prehash === true ? `${id}\n${formatEventPreHash(event, { context })}` : id;
  });
  if (lines.length > 0) io.out(lines.join('\n'));
};
