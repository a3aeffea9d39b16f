import { readFileSync } from 'node:fs';

// Read from this workspace's package.json: src/config/ and dist/config/ are both two levels below it.
const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

export const APP_VERSION: string = packageJson.version;
