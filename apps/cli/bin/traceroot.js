#!/usr/bin/env node
// Entry point of the `traceroot` command; the program is compiled to dist/ by `npm run build`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('traceroot is not built yet: run `npm run build` at the repository root first.');
  process.exit(3);
}
const { runCli, nodeIo } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2), nodeIo());
