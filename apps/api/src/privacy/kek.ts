import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { KEY_BYTES, open, seal } from './aead.js';

/**
 * The key-encryption keys (KEKs) that wrap organizations' data keys: the small interface a cloud
 * KMS could implement (wrap under the current key; unwrap under the key that wrapped). Data keys
 * never leave the service unwrapped; KEK material never leaves the provider.
 */
export interface KeyEncryptionKeys {
  /** The id of the key new data keys are wrapped with. */
  readonly currentId: string;
  wrap(dataKey: Uint8Array, aad: string): Promise<{ kekId: string; wrapped: Uint8Array }>;
  /** Throws when `kekId` is unknown or the wrapped key does not open. */
  unwrap(kekId: string, wrapped: Uint8Array, aad: string): Promise<Uint8Array>;
}

/** A key's id: `kek-` and the first 16 hex digits of the SHA-256 of its bytes (names, never reveals it). */
export const kekIdOf = (key: Uint8Array): string =>
  `kek-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

/**
 * KEKs held in process memory, from configuration: AES-256-GCM key wrapping. The first key is
 * current; the others only unwrap (rotation: put a new key first, restart, re-wrap, drop the old).
 */
export class LocalKeyEncryptionKeys implements KeyEncryptionKeys {
  private readonly keys: Map<string, Uint8Array>;
  readonly currentId: string;

  constructor(keys: readonly Uint8Array[]) {
    if (keys.length === 0) throw new Error('no key-encryption key');
    this.keys = new Map(keys.map((key) => [kekIdOf(key), key]));
    this.currentId = kekIdOf(keys[0]!);
  }

  wrap(dataKey: Uint8Array, aad: string): Promise<{ kekId: string; wrapped: Uint8Array }> {
    const kek = this.keys.get(this.currentId)!;
    return Promise.resolve({ kekId: this.currentId, wrapped: seal(kek, dataKey, aad) });
  }

  unwrap(kekId: string, wrapped: Uint8Array, aad: string): Promise<Uint8Array> {
    const kek = this.keys.get(kekId);
    if (!kek) {
      return Promise.reject(
        new Error(
          `key-encryption key ${kekId} is not configured (TRACEROOT_KEK / TRACEROOT_KEK_FILE)`,
        ),
      );
    }
    // A key that does not open rejects (the executor's throw), never throws synchronously.
    return new Promise((resolve) => resolve(open(kek, wrapped, aad)));
  }
}

/**
 * Reads KEKs: base64 32-byte keys, one per line (blank lines and `#` comments ignored), first
 * current. Errors name the setting, never a key.
 */
export const parseKeks = (text: string, setting: string): Uint8Array[] => {
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line, i) => {
      const bytes = Buffer.from(line, 'base64');
      if (!/^[A-Za-z0-9+/]{43}=$/.test(line) || bytes.length !== KEY_BYTES) {
        throw new Error(`${setting}: key ${i + 1} is not ${KEY_BYTES} bytes of base64`);
      }
      return new Uint8Array(bytes);
    });
  if (keys.length === 0) throw new Error(`${setting} holds no key`);
  return keys;
};

export type KekSource = {
  /** TRACEROOT_KEK: one base64 key, or several separated by commas (first current). */
  keys?: string | undefined;
  /** TRACEROOT_KEK_FILE: a file of keys, one per line, first current. */
  file?: string | undefined;
  /** Where a development key is kept when neither is set (generated once, mode 0600). */
  devFile: string;
};

/**
 * The configured KEKs; without configuration a development key generated once under DATA_DIR
 * (`generated: true`; the service warns: production sets TRACEROOT_KEK_FILE, or a KMS).
 */
export const resolveKeks = async (
  source: KekSource,
): Promise<{ keks: LocalKeyEncryptionKeys; generated: boolean }> => {
  if (source.keys?.trim()) {
    return {
      keks: new LocalKeyEncryptionKeys(
        parseKeks(source.keys.replaceAll(',', '\n'), 'TRACEROOT_KEK'),
      ),
      generated: false,
    };
  }
  if (source.file) {
    const text = await readFile(source.file, 'utf8');
    return {
      keks: new LocalKeyEncryptionKeys(parseKeks(text, 'TRACEROOT_KEK_FILE')),
      generated: false,
    };
  }
  let generated = false;
  let text = await readIfExists(source.devFile);
  if (text === undefined) {
    await mkdir(dirname(source.devFile), { recursive: true });
    try {
      // Exclusive create: of several processes starting at once, one writes and all read it.
      await writeFile(source.devFile, `${randomBytes(KEY_BYTES).toString('base64')}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
      generated = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    for (let attempt = 0; attempt < 50 && !text?.trim(); attempt += 1) {
      text = await readIfExists(source.devFile);
      if (!text?.trim()) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return {
    keks: new LocalKeyEncryptionKeys(parseKeks(text ?? '', source.devFile)),
    generated,
  };
};

const readIfExists = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};
