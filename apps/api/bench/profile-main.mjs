// `node --cpu-prof bench/profile-main.mjs`: the ledger service (dist/main.js) in a process that
// exits through process.exit() on SIGUSR2, which is when --cpu-prof writes its profile (a
// process ended by a signal writes none). Used by `BENCH_CPU_PROF=dir npm run bench:ingest`.
// The service's main module: the first argument (bench/lib/service.mjs passes BENCH_SERVICE_MAIN's
// or dist/main.js), else dist/main.js.
import { pathToFileURL } from 'node:url';

process.on('SIGUSR2', () => process.exit(0));
await import(process.argv[2] ? pathToFileURL(process.argv[2]).href : '../dist/main.js');
