#!/usr/bin/env node
// The README's test command (`npm test`): builds, typechecks, lints and tests every workspace
// through turbo, then prints the one line CI reads: `N passed, N failed`. Exits non-zero when
// anything failed or when no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const dirs = workspaces.flatMap((pattern) => {
  if (!pattern.endsWith('/*')) return [join(root, pattern)];
  const parent = join(root, pattern.slice(0, -2));
  return spawnSync('ls', [parent], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map((d) => join(parent, d));
});

// The integration tests need a real PostgreSQL: the one at 127.0.0.1:5432 (or TEST_DATABASE_URL),
// started from Debian's packages when none answers. Each test file makes and drops its own database.
if (!process.env.TEST_DATABASE_URL) {
  const pg = spawnSync(join(root, 'infra/scripts/ensure-postgres.sh'), { stdio: 'inherit' });
  if (pg.status !== 0) {
    console.error('No PostgreSQL server: see infra/scripts/ensure-postgres.sh');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Stale results from an earlier run must never count.
for (const dir of dirs) rmSync(join(dir, '.jest-results.json'), { force: true });

const turbo = spawnSync(
  'npx',
  ['turbo', 'run', 'typecheck', 'lint', 'test', '--continue', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1', ...process.env },
  },
);

let passed = 0;
let failed = 0;
let suitesFailed = 0;
for (const dir of dirs) {
  const file = join(dir, '.jest-results.json');
  if (!existsSync(file)) continue;
  const results = JSON.parse(readFileSync(file, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  suitesFailed += results.numRuntimeErrorTestSuites;
}
if (turbo.status !== 0) {
  console.error(`turbo exited with ${turbo.status} (a typecheck, lint or test task failed)`);
}
if (suitesFailed > 0) console.error(`${suitesFailed} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(turbo.status === 0 && failed === 0 && suitesFailed === 0 && passed > 0 ? 0 : 1);
