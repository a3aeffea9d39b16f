import { base64ToBytes, bytesToBase64, concatBytes, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';
import { isValidKeyName } from './note-text.js';

// The text forms of Ed25519 note keys (golang.org/x/mod/sumdb/note), without any Ed25519
// arithmetic: what a verifier needs to name a key and match signature lines. The arithmetic is in
// ed25519-key.ts (@noble/curves); a browser may bring its own (WebCrypto) through
// noteVerifierWith, and then ships none of it.

/** C2SP signed-note §Signature types: 0x01 is Ed25519. */
export const ED25519_TYPE = 0x01;
export const KEY_SIZE = 32;
export const SIGNATURE_SIZE = 64;
export const SIGNER_PREFIX = 'PRIVATE+KEY+';
const HEX8 = /^[0-9a-fA-F]{8}$/;

/** A parsed verifier key: reuse it across verifications (parsing may cost a point decompression). */
export type NoteVerifier = {
  /** Key name (C2SP signed-note), e.g. `trace.example.com/log`. */
  readonly name: string;
  /** The 32-bit key ID as an unsigned integer. */
  readonly keyHash: number;
  /** The canonical verifier key string (lowercase key ID). */
  readonly verifierKey: string;
  /** Whether `signature` is a valid signature of `message`; never throws. */
  readonly verify: (message: Uint8Array, signature: Uint8Array) => boolean;
};

/** A parsed signer key. It holds the private seed: never log or serialize it. */
export type NoteSigner = {
  readonly name: string;
  readonly keyHash: number;
  /** The verifier key string of the same key. */
  readonly verifierKey: string;
  /** Signs `message` (RFC 8032 §5.1.6, deterministic). */
  readonly sign: (message: Uint8Array) => Uint8Array;
};

/**
 * The key ID of C2SP signed-note §Signatures: the first four bytes, big-endian, of
 * SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key). `typedKey` is type ‖ public key.
 */
export const computeKeyHash = (name: string, typedKey: Uint8Array, sha: Sha256): number => {
  const digest = sha(concatBytes(utf8ToBytes(name), Uint8Array.of(0x0a), typedKey));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0, false);
};

export const formatKeyHash = (keyHash: number): string => keyHash.toString(16).padStart(8, '0');

export const formatVerifierKey = (name: string, keyHash: number, publicKey: Uint8Array): string =>
  `${name}+${formatKeyHash(keyHash)}+${bytesToBase64(concatBytes(Uint8Array.of(ED25519_TYPE), publicKey))}`;

export const bad = (what: string, message: string): TraceError =>
  new TraceError('MALFORMED_INPUT', `${what}: ${message}`);

export type KeyParts = { name: string; keyHash: number; key: Uint8Array };

/**
 * Splits `<name>+<hex8>+<base64(type ‖ key)>` and checks everything but the key hash. The name
 * holds no '+', so the first two '+' are the separators; base64 may hold more.
 */
export const splitKeyString = (text: string, what: string): KeyParts => {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw bad(what, 'expected <name>+<key hash>+<key data>');
  const name = text.slice(0, first);
  const hex = text.slice(first + 1, second);
  if (!isValidKeyName(name)) {
    throw bad(what, 'key name is empty or holds a space, "+" or a control character');
  }
  if (!HEX8.test(hex)) throw bad(what, 'key hash is not 8 hex digits');
  let typed: Uint8Array;
  try {
    typed = base64ToBytes(text.slice(second + 1));
  } catch {
    // No `cause`: the decoder's message may quote a character of a private key.
    throw bad(what, 'key data is not canonical padded base64');
  }
  if (typed[0] !== ED25519_TYPE) throw bad(what, 'key type is not Ed25519 (0x01)');
  if (typed.length !== 1 + KEY_SIZE) throw bad(what, `Ed25519 key data must be ${KEY_SIZE} bytes`);
  return { name, keyHash: Number.parseInt(hex, 16), key: typed.subarray(1) };
};

/**
 * A NoteVerifier for `verifierKey` whose signature check is `verifySignature(publicKey, message,
 * signature)`: any Ed25519 implementation (the page passes one prepared with WebCrypto, see
 * prepareNoteVerifier). Parses and checks the key string like parseVerifierKey, but leaves the
 * point checks to that implementation. Throws MALFORMED_INPUT naming the bad part.
 */
export const noteVerifierWith = (
  verifierKey: string,
  verifySignature: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean,
  sha: Sha256 = sha256,
): NoteVerifier => {
  const { name, keyHash, publicKey } = parseNoteKeyParts(verifierKey, sha);
  return {
    name,
    keyHash,
    verifierKey: formatVerifierKey(name, keyHash, publicKey),
    verify: (message, signature) => {
      try {
        return (
          signature.length === SIGNATURE_SIZE && verifySignature(publicKey, message, signature)
        );
      } catch {
        return false;
      }
    },
  };
};

/** The name, key ID and 32-byte public key of a verifier key string, its key hash checked. */
export const parseNoteKeyParts = (
  verifierKey: string,
  sha: Sha256 = sha256,
): { name: string; keyHash: number; publicKey: Uint8Array } => {
  const what = 'verifier key';
  if (typeof verifierKey !== 'string') throw bad(what, 'not a string');
  const { name, keyHash, key } = splitKeyString(verifierKey, what);
  if (computeKeyHash(name, concatBytes(Uint8Array.of(ED25519_TYPE), key), sha) !== keyHash) {
    throw bad(what, `key hash does not match name "${name}" and key`);
  }
  return { name, keyHash, publicKey: key.slice() };
};
