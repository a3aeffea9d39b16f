import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';

/** Reads FILE (or '-' for stdin) as JSON; errors name the file and say what to do. */
export const readJson = async (io: CliIo, path: string): Promise<unknown> => {
  let text: string;
  try {
    text = await io.read(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('IO', `cannot read ${path === '-' ? 'standard input' : path}: ${reason}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('IO', `${path === '-' ? 'standard input' : path} is not JSON: ${reason}`);
  }
};
