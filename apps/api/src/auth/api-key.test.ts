import { createHash } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { DomainError } from '../common/errors/domain-error.js';
import {
  buildApiKey,
  formatApiKey,
  hashApiKeySecret,
  isApiKeySecretValid,
  isSameSecretText,
  parseApiKey,
  parseKeyId,
} from './api-key.js';

const KEY_ID = '0b9c5f0e-3d7a-4c55-9f3e-2a1b4c6d8e0f';
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i);
// printf '%s' 000102…1f | xxd -r -p | basenc --base64url | tr -d =
const SECRET_TEXT = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const KEY = `trk_0b9c5f0e3d7a4c559f3e2a1b4c6d8e0f_${SECRET_TEXT}`;

const rejection = (key: string): unknown => {
  try {
    parseApiKey(key);
  } catch (error) {
    return error;
  }
  throw new Error(`parseApiKey accepted ${key}`);
};

describe('API key format', () => {
  it('is trk_, the key ID without dashes, and the secret in unpadded base64url', () => {
    expect(SECRET_TEXT).toHaveLength(43);
    expect(formatApiKey(KEY_ID, SECRET)).toBe(KEY);
  });

  it('parses back to the key ID with dashes and the secret bytes', () => {
    expect(parseApiKey(KEY)).toEqual({ keyId: KEY_ID, secret: SECRET });
  });

  it('round-trips secrets that use every base64url character, including - and _', () => {
    const secret = Uint8Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 0xfb : 0xff));
    const key = formatApiKey(KEY_ID, secret);
    expect(key).toMatch(/[-_]/);
    expect(parseApiKey(key)).toEqual({ keyId: KEY_ID, secret });
  });

  it('refuses to format a key from a bad ID or secret (a bug, not a client error)', () => {
    expect(() => formatApiKey('not-a-uuid', SECRET)).toThrow(Error);
    expect(() => formatApiKey(KEY_ID, SECRET.slice(1))).toThrow(Error);
  });
});

describe(parseApiKey.name, () => {
  const lastChar = SECRET_TEXT.at(-1) ?? '';
  it.each([
    ['empty', ''],
    ['no prefix', KEY.slice(4)],
    ['another prefix', `trx_${KEY.slice(4)}`],
    ['uppercase hex in the key ID', KEY.replace('0b9c5f0e', '0B9C5F0E')],
    ['a key ID one digit short', KEY.replace('0b9c5f0e', '0b9c5f0')],
    ['a key ID with dashes', `trk_${KEY_ID}_${SECRET_TEXT}`],
    ['a secret one character short', KEY.slice(0, -1)],
    ['a secret one character long', `${KEY}A`],
    ['base64 padding', `${KEY}=`],
    ['standard base64 characters', KEY.replace(/.$/, '+')],
    // 43 characters carry 258 bits: the last character of 32 bytes has its two low bits zero.
    [
      'a non-canonical last character',
      KEY.replace(/.$/, String.fromCharCode(lastChar.charCodeAt(0) + 1)),
    ],
    ['surrounding whitespace', ` ${KEY} `],
    ['a trailing newline', `${KEY}\n`],
  ])('rejects %s as UNAUTHENTICATED without saying which part is wrong', (_case, key) => {
    const error = rejection(key);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'the API key is not valid' });
  });
});

describe(parseKeyId.name, () => {
  it('accepts the UUID form and the compact form inside a key, in either case', () => {
    expect(parseKeyId(KEY_ID)).toBe(KEY_ID);
    expect(parseKeyId(KEY_ID.toUpperCase())).toBe(KEY_ID);
    expect(parseKeyId(KEY_ID.replaceAll('-', ''))).toBe(KEY_ID);
  });

  it.each(['', 'bootstrap', `${KEY_ID}0`, KEY_ID.replace('0b', 'zz'), KEY])(
    'rejects %j',
    (text) => {
      expect(parseKeyId(text)).toBeNull();
    },
  );
});

describe('secret hashing', () => {
  it('stores SHA-256 of the 32 secret bytes', () => {
    // printf '%s' 000102…1f | xxd -r -p | sha256sum
    expect(Buffer.from(hashApiKeySecret(SECRET)).toString('hex')).toBe(
      createHash('sha256').update(SECRET).digest('hex'),
    );
    expect(Buffer.from(hashApiKeySecret(SECRET)).toString('hex')).toBe(
      '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd',
    );
  });

  it('accepts the secret whose hash is stored, and nothing else', () => {
    const stored = hashApiKeySecret(SECRET);
    expect(isApiKeySecretValid(SECRET, stored)).toBe(true);
    for (let i = 0; i < SECRET.length; i++) {
      const flipped = SECRET.slice();
      flipped[i] = (flipped[i] ?? 0) ^ 1;
      expect(isApiKeySecretValid(flipped, stored)).toBe(false);
    }
  });

  it('never matches a stored hash of the wrong length (instead of throwing)', () => {
    expect(isApiKeySecretValid(SECRET, hashApiKeySecret(SECRET).slice(0, 31))).toBe(false);
    expect(isApiKeySecretValid(SECRET, new Uint8Array(0))).toBe(false);
  });

  it('builds a new key whose string parses back to its ID and hashes to its stored hash', () => {
    const key = buildApiKey(KEY_ID, SECRET);
    expect(key.keyId).toBe(KEY_ID);
    expect(key.apiKey).toBe(KEY);
    const parts = parseApiKey(key.apiKey);
    expect(isApiKeySecretValid(parts.secret, key.secretHash)).toBe(true);
  });
});

describe(isSameSecretText.name, () => {
  it('compares strings of any lengths without throwing', () => {
    expect(isSameSecretText('bootstrap-secret', 'bootstrap-secret')).toBe(true);
    expect(isSameSecretText('bootstrap-secret', 'bootstrap-secreT')).toBe(false);
    expect(isSameSecretText('short', 'a much longer expected secret')).toBe(false);
    expect(isSameSecretText('', 'x')).toBe(false);
  });
});
