import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { open, seal } from './aead.js';
import { kekIdOf, LocalKeyEncryptionKeys, parseKeks, resolveKeks } from './kek.js';

const key = () => new Uint8Array(randomBytes(32));

describe('AES-256-GCM sealing', () => {
  it('opens what it sealed, with the same key and associated data only', () => {
    const k = key();
    const sealed = seal(k, Buffer.from('secret value'), 'event 1\nprice');
    expect(sealed.toString('utf8')).not.toContain('secret');
    expect(open(k, sealed, 'event 1\nprice').toString('utf8')).toBe('secret value');
    expect(() => open(key(), sealed, 'event 1\nprice')).toThrow();
    expect(() => open(k, sealed, 'event 2\nprice')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[14] = flipped[14]! ^ 1;
    expect(() => open(k, flipped, 'event 1\nprice')).toThrow();
    expect(() => open(k, sealed.subarray(0, 20), 'event 1\nprice')).toThrow();
    // A fresh nonce each time: sealing twice never gives the same bytes.
    expect(seal(k, Buffer.from('x'), '').equals(seal(k, Buffer.from('x'), ''))).toBe(false);
  });
});

describe('key-encryption keys', () => {
  it('wraps under the first key, unwraps under any configured one (rotation)', async () => {
    const [oldKey, newKey] = [key(), key()];
    const before = new LocalKeyEncryptionKeys([oldKey]);
    const dataKey = key();
    const wrapped = await before.wrap(dataKey, 'org 1');
    expect(wrapped.kekId).toBe(kekIdOf(oldKey));
    const after = new LocalKeyEncryptionKeys([newKey, oldKey]);
    expect(after.currentId).toBe(kekIdOf(newKey));
    expect(await after.unwrap(wrapped.kekId, wrapped.wrapped, 'org 1')).toEqual(
      Buffer.from(dataKey),
    );
    await expect(after.unwrap(wrapped.kekId, wrapped.wrapped, 'org 2')).rejects.toThrow();
    const only = new LocalKeyEncryptionKeys([newKey]);
    await expect(only.unwrap(wrapped.kekId, wrapped.wrapped, 'org 1')).rejects.toThrow(
      /not configured/,
    );
  });

  it('reads keys from text and names the setting, never the key, when one is bad', () => {
    const good = Buffer.from(key()).toString('base64');
    expect(parseKeks(`# current\n${good}\n\n${good}\n`, 'TRACEROOT_KEK_FILE')).toHaveLength(2);
    const short = Buffer.from(randomBytes(16)).toString('base64');
    expect(() => parseKeks(short, 'TRACEROOT_KEK')).toThrow(
      /^TRACEROOT_KEK: key 1 is not 32 bytes/,
    );
    expect(() => parseKeks(short, 'TRACEROOT_KEK')).not.toThrow(new RegExp(short.slice(0, 8)));
    expect(() => parseKeks('\n# none\n', 'TRACEROOT_KEK')).toThrow(/holds no key/);
  });

  it('resolves the configured keys, a key file, or a development key kept once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kek-'));
    const a = Buffer.from(key()).toString('base64');
    const b = Buffer.from(key()).toString('base64');
    const fromEnv = await resolveKeks({ keys: `${a},${b}`, devFile: join(dir, 'dev') });
    expect(fromEnv.keks.currentId).toBe(kekIdOf(Buffer.from(a, 'base64')));
    await writeFile(join(dir, 'file'), `${b}\n${a}\n`);
    const fromFile = await resolveKeks({ file: join(dir, 'file'), devFile: join(dir, 'dev') });
    expect(fromFile.keks.currentId).toBe(kekIdOf(Buffer.from(b, 'base64')));
    const first = await resolveKeks({ devFile: join(dir, 'dev') });
    expect(first.generated).toBe(true);
    expect((await stat(join(dir, 'dev'))).mode & 0o777).toBe(0o600);
    const again = await resolveKeks({ devFile: join(dir, 'dev') });
    expect(again.generated).toBe(false);
    expect(again.keks.currentId).toBe(first.keks.currentId);
    expect((await readFile(join(dir, 'dev'), 'utf8')).trim()).toHaveLength(44);
  });
});
