// The `traceroot` CLI run in-process by API tests: an in-memory CliIo that collects what the
// command prints (no files to read).
import { randomBytes } from 'node:crypto';

import type { CliIo } from '../../../cli/src/io.js';

export type CliOutput = { code: number; stdout: string; stderr: string };

export const capturingIo = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    read: () => Promise.reject(new Error('no files here')),
    randomBytes: (length) => new Uint8Array(randomBytes(length)),
  };
  return {
    io,
    stdout: () => out.join('\n'),
    output: (code: number): CliOutput => ({ code, stdout: out.join('\n'), stderr: err.join('\n') }),
  };
};
