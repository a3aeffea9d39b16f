import { generateNoteKeys } from '@traceroot/trace';

import type { CliIo } from '../io.js';
import { type CommandArgs, requireOne } from './args.js';

export const keygenCommand = (args: CommandArgs, io: CliIo): void => {
  const { signerKey, verifierKey } = generateNoteKeys(requireOne(args, 'NAME'), io.randomBytes(32));
  io.out(`${signerKey}\n${verifierKey}`);
  io.err(
    'Line 1 is the signer key: keep it secret (the ledger service reads it from its configuration).\n' +
      'Line 2 is the verifier key: publish it; verifiers pin it with --key.',
  );
};
