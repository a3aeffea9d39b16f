import { createCipheriv, createDecipheriv } from 'node:crypto';

import { pooledRandomBytes } from '../common/crypto/random-pool.js';

/** AES-256-GCM (NIST SP 800-38D): 32-byte keys, 96-bit random nonces, 128-bit tags. */
const ALGORITHM = 'aes-256-gcm';
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts `plaintext` under `key`, bound to `aad` (authenticated, not encrypted): the result is
 * nonce ‖ ciphertext ‖ tag. A fresh random nonce each time (at most 2^32 messages per key keeps
 * the collision risk negligible: each event has its own key, each organization key wraps one
 * event key per event).
 */
export const seal = (key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer => {
  const nonce = pooledRandomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
};

/** Decrypts what `seal` made with the same key and aad; throws when anything differs. */
export const open = (key: Uint8Array, sealed: Uint8Array, aad: string): Buffer => {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed data is too short');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, NONCE_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]);
};

/** A fresh AES-256 key (from the pooled CSPRNG). */
export const freshKey = (): Buffer => pooledRandomBytes(KEY_BYTES);
