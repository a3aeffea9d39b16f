#!/usr/bin/env node
// `npm start` on a fresh checkout (issue 3 §6: one command installs and starts the service): when
// the workspace's dependencies are not installed yet, install exactly the lockfile first. Runs as
// npm's `prestart`, before the build; does nothing once `npm ci` has run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const installed = ['node_modules/.package-lock.json', 'node_modules/.bin/turbo'].every((path) =>
  existsSync(new URL(`../${path}`, import.meta.url)),
);
if (!installed) {
  // npm 11 reads `allowScripts` (package.json); older npm ignores it and would run every
  // dependency's install scripts, which this repository does not allow.
  const npmMajor = Number(
    (spawnSync(npm, ['-v'], { encoding: 'utf8' }).stdout ?? '').split('.')[0],
  );
  if (!(npmMajor >= 11)) {
    process.stderr.write(
      `This repository needs npm 11 or later (found ${npmMajor || 'none'}): run \`npm install -g npm@11\`, then \`npm start\` again.\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    'Dependencies are not installed yet: running `npm ci` first (about a minute)…\n',
  );
  const result = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('`npm ci` failed: see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}
