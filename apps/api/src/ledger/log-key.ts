import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { generateNoteKeys, type NoteSigner, parseSignerKey } from '@traceroot/trace';

export type LogKeySource = {
  /** A C2SP signer key string (`PRIVATE+KEY+name+hash+key`), e.g. from LOG_SIGNING_KEY. */
  signingKey?: string | undefined;
  /** A file holding the signer key string, e.g. from LOG_SIGNING_KEY_FILE. */
  signingKeyFile?: string | undefined;
  /** The log origin; defaults to the key's name. A key of another name is refused. */
  origin?: string | undefined;
  /** Where the development key lives when no key is configured (embedded default only). */
  devKeyFile?: string | undefined;
  /** The name a generated development key gets when no origin is configured. */
  devOrigin?: string | undefined;
};

export type LogKey = {
  origin: string;
  signer: NoteSigner;
  verifierKey: string;
  generated: boolean;
};

/**
 * Resolves the log's signing key: the configured key string, else the key file, else — only when
 * a development key file is allowed — a key generated once and kept there (mode 0600, written
 * atomically). Errors name the setting to fix, never the key.
 */
export const resolveLogKey = async (source: LogKeySource): Promise<LogKey> => {
  let text = source.signingKey?.trim();
  let generated = false;
  if (!text && source.signingKeyFile) text = (await readFile(source.signingKeyFile, 'utf8')).trim();
  if (!text && source.devKeyFile) {
    text = await readDevKey(source.devKeyFile);
    if (!text) {
      const name = source.origin ?? source.devOrigin ?? 'localhost/log';
      text = generateNoteKeys(name, new Uint8Array(randomBytes(32))).signerKey;
      await writeAtomically(source.devKeyFile, `${text}\n`);
      generated = true;
    }
  }
  if (!text) {
    throw new Error(
      'No log signing key: set LOG_SIGNING_KEY or LOG_SIGNING_KEY_FILE (see `traceroot keygen`).',
    );
  }
  let signer: NoteSigner;
  try {
    signer = parseSignerKey(text);
  } catch {
    throw new Error(
      'LOG_SIGNING_KEY (or its file) is not a signer key made by `traceroot keygen`.',
    );
  }
  const origin = source.origin ?? signer.name;
  if (origin !== signer.name) {
    throw new Error(
      `LOG_ORIGIN "${origin}" differs from the signing key's name "${signer.name}": make a key named after the origin.`,
    );
  }
  return { origin, signer, verifierKey: signer.verifierKey, generated };
};

const readDevKey = async (file: string): Promise<string | undefined> => {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const writeAtomically = async (file: string, text: string): Promise<void> => {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
};
