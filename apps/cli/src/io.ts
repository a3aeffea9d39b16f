import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** Everything the CLI touches outside itself, so tests run commands in-process. */
export type CliIo = {
  out(text: string): void;
  err(text: string): void;
  /** Reads a file, or standard input when `path` is '-'. */
  read(path: string): Promise<string>;
  randomBytes(length: number): Uint8Array;
};

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const nodeIo = (): CliIo => ({
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  read: (path) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
});
