#!/usr/bin/env node
// `npm start` on a fresh checkout (issue 3 §6: one command installs and starts the service): when
// the workspace's dependencies are not installed yet, install exactly the lockfile first. Runs as
// npm's `prestart`, before the build; does nothing once `npm ci` has run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const installed = ['node_modules/.package-lock.json', 'node_modules/.bin/turbo'].every((path) =>
  existsSync(new URL(`../${path}`, import.meta.url)),
);
if (!installed) {
  process.stderr.write(
    'Dependencies are not installed yet: running `npm ci` first (about a minute)…\n',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('`npm ci` failed: see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}
