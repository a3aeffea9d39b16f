// `node --cpu-prof bench/profile-main.mjs`: the ledger service (dist/main.js) in a process that
// exits through process.exit() on SIGUSR2, which is when --cpu-prof writes its profile (a
// process ended by a signal writes none). Used by `BENCH_CPU_PROF=dir npm run bench:ingest`.
process.on('SIGUSR2', () => process.exit(0));
await import('../dist/main.js');
