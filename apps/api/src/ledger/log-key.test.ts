import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import { generateNoteKeys } from '@traceroot/trace';

import { resolveLogKey } from './log-key.js';

const keys = generateNoteKeys('trace.example.com/log', new Uint8Array(32).fill(9));

describe(resolveLogKey.name, () => {
  it('uses the configured key and takes the origin from its name', async () => {
    const key = await resolveLogKey({ signingKey: keys.signerKey });
    expect(key).toMatchObject({
      origin: 'trace.example.com/log',
      verifierKey: keys.verifierKey,
      generated: false,
    });
  });

  it('generates a development key once, keeps it private, and reuses it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'logkey-')), 'nested', 'log-signing.key');
    const first = await resolveLogKey({ devKeyFile: file, origin: 'localhost:3000/log' });
    expect(first).toMatchObject({ origin: 'localhost:3000/log', generated: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await resolveLogKey({ devKeyFile: file, origin: 'localhost:3000/log' });
    expect(second).toMatchObject({ verifierKey: first.verifierKey, generated: false });
    expect(readFileSync(file, 'utf8')).toMatch(/^PRIVATE\+KEY\+localhost:3000\/log\+/);
  });

  it('refuses a missing key, a malformed key and a key named after another origin', async () => {
    await expect(resolveLogKey({})).rejects.toThrow('set LOG_SIGNING_KEY');
    await expect(resolveLogKey({ signingKey: 'nonsense' })).rejects.toThrow('not a signer key');
    await expect(
      resolveLogKey({ signingKey: keys.signerKey, origin: 'other/log' }),
    ).rejects.toThrow('differs from the signing key');
  });
});
