import type { CliIo } from '../src/io.js';

/** An in-memory CliIo: files by path, '-' is stdin; captures stdout and stderr. */
export const memoryIo = (files: Record<string, string> = {}, seed = 1) => {
  const out: string[] = [];
  const err: string[] = [];
  let counter = seed;
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    read: (path) => {
      const text = files[path];
      return text === undefined
        ? Promise.reject(new Error('ENOENT: no such file'))
        : Promise.resolve(text);
    },
    randomBytes: (length) =>
      Uint8Array.from({ length }, (_, i) => (counter * 31 + i * 7) & 255).map((b) => b ^ counter++),
  };
  return { io, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
};
