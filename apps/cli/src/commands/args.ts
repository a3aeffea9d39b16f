import { CliError } from '../cli-error.js';

export type CommandArgs = {
  positionals: readonly string[];
  flags: Readonly<Record<string, string | boolean | string[] | undefined>>;
};

/** The single positional argument a command takes; usage error when missing or doubled. */
export const requireOne = (args: CommandArgs, name: string): string => {
  const [value, extra] = args.positionals;
  if (value === undefined) throw new CliError('USAGE', `missing argument ${name}`);
  if (extra !== undefined) {
    throw new CliError('USAGE', `unexpected argument "${extra}" after ${name}`);
  }
  return value;
};
