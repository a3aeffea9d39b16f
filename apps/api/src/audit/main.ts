// `node apps/api/dist/audit/main.js --key VERIFIER-KEY [DATABASE_URL]`: audits the log tables
// (see run-audit.ts). `traceroot audit --database-url URL` spawns it with DATABASE_URL set.
import 'reflect-metadata';

import { loadEnv } from '../config/env.js';
import { runAuditScript } from './run-audit.js';

const line = (stream: NodeJS.WriteStream) => (text: string) =>
  stream.write(text.endsWith('\n') ? text : `${text}\n`);

process.exitCode = await runAuditScript(process.argv.slice(2), () => loadEnv().DATABASE_URL, {
  out: line(process.stdout),
  err: line(process.stderr),
  now: () => performance.now(),
});
