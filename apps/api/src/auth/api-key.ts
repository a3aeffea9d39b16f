// API keys: `trk_<key ID, 32 hex digits>_<secret, 43 base64url characters>`.
//
// The key ID is the api_keys row's UUID without dashes: it is not secret, it only says which row
// to check. The secret is 32 random bytes; the database keeps SHA-256 of those bytes, never the
// bytes, so a leaked table does not leak usable keys. A key is shown once, when it is created.
// Randomness is a parameter (the service passes node:crypto's), so this module stays testable.
import { createHash, timingSafeEqual } from 'node:crypto';

import { DomainError } from '../common/errors/domain-error.js';

export const API_KEY_PREFIX = 'trk_';
export const API_KEY_SECRET_BYTES = 32;

/** A parsed key: the row it names and the secret it proves possession of. */
export type ApiKeyParts = {
  /** The api_keys row's UUID, in its canonical lowercase form with dashes. */
  keyId: string;
  secret: Uint8Array;
};

// 32 lowercase hex digits, then exactly 43 base64url characters. The hex part has a fixed length,
// so the `_` that base64url may contain cannot be confused with the separator.
const API_KEY_PATTERN = /^trk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMPACT_UUID_PATTERN = /^[0-9a-f]{32}$/;

const compactToUuid = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/**
 * A key ID as the database stores it, from either its UUID form or the 32-digit form that appears
 * inside a key; null when `text` is neither (so callers answer "not found", not 500).
 */
export const parseKeyId = (text: string): string | null => {
  const lower = text.toLowerCase();
  if (UUID_PATTERN.test(lower)) return lower;
  return COMPACT_UUID_PATTERN.test(lower) ? compactToUuid(lower) : null;
};

/** The key string for `keyId` (a UUID) and `secret` (32 bytes). */
export const formatApiKey = (keyId: string, secret: Uint8Array): string => {
  const id = parseKeyId(keyId);
  if (id === null || secret.length !== API_KEY_SECRET_BYTES) {
    throw new Error('formatApiKey needs a UUID and a 32-byte secret'); // a bug in the caller
  }
  return `${API_KEY_PREFIX}${id.replaceAll('-', '')}_${Buffer.from(secret).toString('base64url')}`;
};

/**
 * Splits a presented key into its ID and secret. `key` is attacker-controlled: anything but the
 * exact format is UNAUTHENTICATED, with one message whatever part is wrong, so a caller learns
 * nothing about which part to fix by guessing.
 */
export const parseApiKey = (key: string): ApiKeyParts => {
  const match = API_KEY_PATTERN.exec(key);
  if (match) {
    const [, hexId = '', text = ''] = match;
    const secret = Buffer.from(text, 'base64url');
    // Only the canonical encoding: 43 characters carry 258 bits, and the last two must be zero.
    if (secret.length === API_KEY_SECRET_BYTES && secret.toString('base64url') === text) {
      return { keyId: compactToUuid(hexId), secret: new Uint8Array(secret) };
    }
  }
  throw new DomainError('UNAUTHENTICATED', 'the API key is not valid');
};

/** What the api_keys row stores instead of the secret: SHA-256 of its 32 bytes. */
export const hashApiKeySecret = (secret: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(secret).digest());

/**
 * Whether `secret` hashes to `secretHash`, compared in constant time (the time taken does not
 * depend on where the hashes first differ). A stored hash of the wrong length never matches.
 */
export const isApiKeySecretValid = (secret: Uint8Array, secretHash: Uint8Array): boolean => {
  const presented = hashApiKeySecret(secret);
  return presented.length === secretHash.length && timingSafeEqual(presented, secretHash);
};

/**
 * Whether two strings are equal, in time that depends on neither's content: both are hashed
 * first, so even their lengths stay hidden. For secrets that are not stored, like the bootstrap key.
 */
export const isSameSecretText = (presented: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(presented, 'utf8').digest(),
    createHash('sha256').update(expected, 'utf8').digest(),
  );

/** A new key: its ID, its secret's hash to store, and the key string to show once. */
export type NewApiKey = { keyId: string; secretHash: Uint8Array; apiKey: string };

/** Builds a key from fresh randomness: a v4 UUID and 32 secret bytes, both from the caller. */
export const buildApiKey = (keyId: string, secret: Uint8Array): NewApiKey => ({
  keyId,
  secretHash: hashApiKeySecret(secret),
  apiKey: formatApiKey(keyId, secret),
});
