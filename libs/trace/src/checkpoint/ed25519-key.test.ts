import { describe, expect, it } from '@jest/globals';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { expectTraceError } from '../../test/support/trace-error.js';
import { bytesToBase64, bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '../bytes.js';
import {
  generateNoteKeys,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyOf,
} from './ed25519-key.js';

// Go's documented example key pair (golang.org/x/mod/sumdb/note package doc).
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
// RFC 8032 §7.1 TEST 1.
const RFC_SEED = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const RFC_PUBLIC = hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

/** A verifier key string with a correct key hash over arbitrary key bytes (type byte included). */
const vkeyOver = (name: string, typedKey: Uint8Array): string => {
  const hash = bytesToHex(
    sha256(concatBytes(utf8ToBytes(name), Uint8Array.of(0x0a), typedKey)),
  ).slice(0, 8);
  return `${name}+${hash}+${bytesToBase64(typedKey)}`;
};
const ed = (key: Uint8Array): Uint8Array => concatBytes(Uint8Array.of(1), key);

describe('parseVerifierKey', () => {
  it('parses Go’s example key', () => {
    const v = parseVerifierKey(PETER_VKEY);
    expect(v.name).toBe('PeterNeumann');
    expect(v.keyHash).toBe(0xc74f20a3);
    expect(v.verifierKey).toBe(PETER_VKEY);
  });

  it('accepts an upper-case key hash, as Go does, and prints it lower-case', () => {
    expect(parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'C74F20A3')).verifierKey).toBe(
      PETER_VKEY,
    );
  });

  it('computes the key hash of the RFC 8032 test key', () => {
    const vkey = vkeyOver('a.example/log', ed(RFC_PUBLIC));
    expect(parseVerifierKey(vkey).keyHash.toString(16).padStart(8, '0')).toBe(vkey.split('+')[1]);
  });

  it.each([
    ['no separators', 'PeterNeumann', /expected <name>/],
    ['one separator', 'PeterNeumann+c74f20a3', /expected <name>/],
    ['empty name', '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /key name/],
    [
      'space in name',
      'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      /key name/,
    ],
    [
      'NBSP in name',
      'Peter\u00a0N+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      /key name/,
    ],
    ['short hash', 'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /8 hex/],
    ['non-hex hash', 'PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /8 hex/],
    ['bad base64', 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T', /base64/],
    [
      'wrong hash',
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      /does not match/,
    ],
    [
      'other name',
      'PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      /does not match/,
    ],
  ])('refuses %s', (_, vkey, text) => {
    expectTraceError(() => parseVerifierKey(vkey), 'MALFORMED_INPUT', text);
  });

  it('refuses a non-string', () => {
    expectTraceError(
      () => parseVerifierKey(42 as unknown as string),
      'MALFORMED_INPUT',
      /not a string/,
    );
  });

  it('refuses other signature types and wrong key lengths', () => {
    expectTraceError(
      () => parseVerifierKey(vkeyOver('k', concatBytes(Uint8Array.of(2), RFC_PUBLIC))),
      'MALFORMED_INPUT',
      /not Ed25519/,
    );
    expectTraceError(
      () => parseVerifierKey(vkeyOver('k', new Uint8Array(0))),
      'MALFORMED_INPUT',
      /not Ed25519/,
    );
    expectTraceError(
      () => parseVerifierKey(vkeyOver('k', ed(RFC_PUBLIC.subarray(1)))),
      'MALFORMED_INPUT',
      /32 bytes/,
    );
  });

  it('refuses points that are not on the curve or not canonically encoded', () => {
    const notOnCurve = new Uint8Array(32);
    notOnCurve[0] = 2; // y = 2 has no x on edwards25519
    const yIsP = hexToBytes('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    const negativeZero = new Uint8Array(32);
    negativeZero[0] = 1;
    negativeZero[31] = 0x80; // y = 1, x = 0 with the sign bit set
    for (const key of [notOnCurve, yIsP, negativeZero]) {
      expectTraceError(
        () => parseVerifierKey(vkeyOver('k', ed(key))),
        'MALFORMED_INPUT',
        /canonical Ed25519 point/,
      );
    }
  });

  it('refuses small-order public keys, with which anyone could forge signatures', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1; // (0, 1), the neutral element
    const orderTwo = hexToBytes('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'); // (0, −1)
    for (const key of [identity, orderTwo]) {
      expectTraceError(
        () => parseVerifierKey(vkeyOver('k', ed(key))),
        'MALFORMED_INPUT',
        /small-order/,
      );
    }
  });
});

describe('NoteVerifier.verify', () => {
  const message = utf8ToBytes('traceroot.example/log\n1\nAAAA\n');
  const verifier = parseVerifierKey(vkeyOver('k', ed(RFC_PUBLIC)));
  const signature = ed25519.sign(message, RFC_SEED);
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;

  it('accepts a good signature, also after the key got its precomputed table', () => {
    for (let i = 0; i < 10; i++) expect(verifier.verify(message, signature)).toBe(true);
    expect(verifier.verify(utf8ToBytes('other\n'), signature)).toBe(false);
  });

  it('refuses signatures of the wrong length', () => {
    expect(verifier.verify(message, signature.subarray(0, 63))).toBe(false);
    expect(verifier.verify(message, concatBytes(signature, Uint8Array.of(0)))).toBe(false);
  });

  it('refuses a non-canonical S (S + L), as Go and RFC 8032 §5.1.7 do', () => {
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i] as number);
    const malleated = signature.slice();
    let t = s + L;
    for (let i = 32; i < 64; i++) {
      malleated[i] = Number(t & 0xffn);
      t >>= 8n;
    }
    expect(ed25519.verify(malleated, message, RFC_PUBLIC)).toBe(false);
    expect(verifier.verify(message, malleated)).toBe(false);
  });
});

describe('parseSignerKey', () => {
  it('derives Go’s example verifier key', () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyHash).toBe(0xc74f20a3);
    expect(signer.verifierKey).toBe(PETER_VKEY);
  });

  it.each([
    ['a verifier key', PETER_VKEY, /must start with/],
    ['a wrong key hash', PETER_SKEY.replace('c74f20a3', 'c74f20a4'), /does not match/],
    ['a bad seed encoding', `${PETER_SKEY.slice(0, -1)}!`, /base64/],
  ])('refuses %s without quoting key material', (_, skey, text) => {
    const error = expectTraceError(() => parseSignerKey(skey), 'MALFORMED_INPUT', text);
    expect(error.message).not.toContain('AYEKFALV');
    expect(error.cause).toBeUndefined();
  });

  it('refuses a non-string', () => {
    expectTraceError(
      () => parseSignerKey(undefined as unknown as string),
      'MALFORMED_INPUT',
      /PRIVATE\+KEY/,
    );
  });
});

describe('generateNoteKeys', () => {
  it('builds keys from a 32-byte seed that parse back to the same key', () => {
    const { signerKey, verifierKey } = generateNoteKeys('traceroot.example/log', RFC_SEED);
    expect(verifierKey).toBe(vkeyOver('traceroot.example/log', ed(RFC_PUBLIC)));
    expect(signerKey).toBe(
      `PRIVATE+KEY+traceroot.example/log+${verifierKey.split('+')[1]}+${bytesToBase64(ed(RFC_SEED))}`,
    );
    expect(parseSignerKey(signerKey).verifierKey).toBe(verifierKey);
  });

  it.each([
    ['an empty name', '', RFC_SEED, /key name/],
    ['a name with "+"', 'a+b', RFC_SEED, /key name/],
    ['a name with a tab', 'a\tb', RFC_SEED, /key name/],
    ['a name with a control character', 'a\u0001b', RFC_SEED, /key name/],
    ['a name with a lone surrogate', 'a\ud800', RFC_SEED, /key name/],
    ['a short seed', 'a', RFC_SEED.subarray(1), /32 bytes/],
    ['a seed that is not bytes', 'a', [1, 2] as unknown as Uint8Array, /32 bytes/],
  ])('refuses %s', (_, name, seed, text) => {
    expectTraceError(() => generateNoteKeys(name, seed), 'MALFORMED_INPUT', text);
  });
});

describe('verifierKeyOf', () => {
  it('gives the verifier key of a signer key string or parsed signer', () => {
    expect(verifierKeyOf(PETER_SKEY)).toBe(PETER_VKEY);
    expect(verifierKeyOf(parseSignerKey(PETER_SKEY))).toBe(PETER_VKEY);
  });
});
