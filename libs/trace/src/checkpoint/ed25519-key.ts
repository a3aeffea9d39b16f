import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';

import { base64ToBytes, bytesEqual, bytesToBase64, concatBytes, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';
import { isValidKeyName } from './note-text.js';

// Ed25519 note keys in the text forms of golang.org/x/mod/sumdb/note (the forms every C2SP
// tool reads): verifier `<name>+<hex8 key ID>+<base64(0x01 ‖ public key)>`, signer
// `PRIVATE+KEY+<name>+<hex8 key ID>+<base64(0x01 ‖ seed)>`. Keys are configuration, so a bad
// key string is MALFORMED_INPUT; messages never quote signer key material.

/** C2SP signed-note §Signature types: 0x01 is Ed25519. */
const ED25519_TYPE = 0x01;
const KEY_SIZE = 32;
const SIGNATURE_SIZE = 64;
const SIGNER_PREFIX = 'PRIVATE+KEY+';
const HEX8 = /^[0-9a-fA-F]{8}$/;

/** A parsed verifier key: reuse it across verifications (parsing costs a point decompression). */
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
const computeKeyHash = (name: string, typedKey: Uint8Array, sha: Sha256): number => {
  const digest = sha(concatBytes(utf8ToBytes(name), Uint8Array.of(0x0a), typedKey));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0, false);
};

const formatKeyHash = (keyHash: number): string => keyHash.toString(16).padStart(8, '0');

const formatVerifierKey = (name: string, keyHash: number, publicKey: Uint8Array): string =>
  `${name}+${formatKeyHash(keyHash)}+${bytesToBase64(concatBytes(Uint8Array.of(ED25519_TYPE), publicKey))}`;

const bad = (what: string, message: string): TraceError =>
  new TraceError('MALFORMED_INPUT', `${what}: ${message}`);

type KeyParts = { name: string; keyHash: number; key: Uint8Array };

/**
 * Splits `<name>+<hex8>+<base64(type ‖ key)>` and checks everything but the key hash. The name
 * holds no '+', so the first two '+' are the separators; base64 may hold more.
 */
const splitKeyString = (text: string, what: string): KeyParts => {
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

const { Point } = ed25519;
type EdPoint = ReturnType<typeof Point.fromBytes>;

/**
 * Decodes a trusted public key strictly (RFC 8032 §5.1.3: y < p, no "negative zero" x) and
 * refuses small-order points, whose owner could not be bound by any signature: with such a key
 * anyone forges a signature in a few tries. Go's crypto/ed25519 accepts both; honest keys
 * (A = [s]B) are never affected.
 */
const decodePublicKey = (publicKey: Uint8Array, what: string): EdPoint => {
  let point: EdPoint;
  try {
    point = Point.fromBytes(publicKey, false);
  } catch {
    throw bad(what, 'public key is not a canonical Ed25519 point');
  }
  if (point.isSmallOrder()) throw bad(what, 'public key is a small-order point');
  return point;
};

const bytesToNumberLE = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n;
};

// Verifications after which a key is deemed long-lived and gets a wNAF table for −A: the table
// costs about ten plain verifications once and makes each later one ~3.5× faster. A page that
// checks one checkpoint never pays for it.
const PRECOMPUTE_AFTER = 4;
const PRECOMPUTE_WINDOW = 6;

/**
 * Ed25519 verification (RFC 8032 §5.1.7) with exactly the acceptance rule of Go's
 * crypto/ed25519, the implementation behind sumdb/note: S must be canonical (S < L), and the
 * encoding of [S]B − [k]A must equal the R bytes of the signature (cofactorless, so a
 * non-canonical or torsioned R fails). Written over @noble/curves' point arithmetic, instead of
 * calling ed25519.verify, so that the decoded key (and its table) is reused across calls; the
 * tests cross-check it against ed25519.verify and node:crypto.
 */
const createVerify = (publicKey: Uint8Array, point: EdPoint): NoteVerifier['verify'] => {
  const minusA = point.negate();
  let uses = 0;
  return (message, signature) => {
    if (signature.length !== SIGNATURE_SIZE) return false;
    const r = signature.subarray(0, KEY_SIZE);
    const s = bytesToNumberLE(signature.subarray(KEY_SIZE));
    if (s >= Point.Fn.ORDER) return false;
    if (++uses === PRECOMPUTE_AFTER) minusA.precompute(PRECOMPUTE_WINDOW, false);
    const k = sha512.create().update(r).update(publicKey).update(message).digest();
    const kA = minusA.multiplyUnsafe(Point.Fn.create(bytesToNumberLE(k)));
    return bytesEqual(Point.BASE.multiplyUnsafe(s).add(kA).toBytes(), r);
  };
};

/**
 * Parses a verifier key `<name>+<hex8 key hash>+<base64(0x01 ‖ 32-byte public key)>`, as
 * x/mod/sumdb/note NewVerifier does (key hash in either case of hex), and checks that the key
 * hash is the C2SP key ID of name and key. Stricter than Go: the point must be canonical and not
 * of small order. Throws MALFORMED_INPUT naming the bad part.
 */
export const parseVerifierKey = (verifierKey: string, sha: Sha256 = sha256): NoteVerifier => {
  const what = 'verifier key';
  if (typeof verifierKey !== 'string') throw bad(what, 'not a string');
  const { name, keyHash, key } = splitKeyString(verifierKey, what);
  if (computeKeyHash(name, concatBytes(Uint8Array.of(ED25519_TYPE), key), sha) !== keyHash) {
    throw bad(what, `key hash does not match name "${name}" and key`);
  }
  const publicKey = key.slice();
  const verify = createVerify(publicKey, decodePublicKey(publicKey, what));
  return { name, keyHash, verifierKey: formatVerifierKey(name, keyHash, publicKey), verify };
};

const createSigner = (name: string, seed: Uint8Array, sha: Sha256): NoteSigner => {
  const publicKey = ed25519.getPublicKey(seed);
  const keyHash = computeKeyHash(name, concatBytes(Uint8Array.of(ED25519_TYPE), publicKey), sha);
  return {
    name,
    keyHash,
    verifierKey: formatVerifierKey(name, keyHash, publicKey),
    sign: (message) => ed25519.sign(message, seed),
  };
};

/**
 * Parses a signer key `PRIVATE+KEY+<name>+<hex8 key hash>+<base64(0x01 ‖ 32-byte seed)>`
 * (x/mod/sumdb/note NewSigner) and checks the key hash against the derived public key.
 * Throws MALFORMED_INPUT; the message never contains key material.
 */
export const parseSignerKey = (signerKey: string, sha: Sha256 = sha256): NoteSigner => {
  const what = 'signer key';
  if (typeof signerKey !== 'string' || !signerKey.startsWith(SIGNER_PREFIX)) {
    throw bad(what, `must start with "${SIGNER_PREFIX}"`);
  }
  const { name, keyHash, key } = splitKeyString(signerKey.slice(SIGNER_PREFIX.length), what);
  const signer = createSigner(name, key.slice(), sha);
  if (signer.keyHash !== keyHash) throw bad(what, `key hash does not match name "${name}" and key`);
  return signer;
};

/**
 * Builds the signer and verifier key strings of the Ed25519 key whose RFC 8032 private key is
 * `seed` (32 bytes; the caller draws them from a CSPRNG: this library has no randomness).
 * Same output as Go's note.GenerateKey fed the same 32 bytes.
 */
export const generateNoteKeys = (
  name: string,
  seed: Uint8Array,
  sha: Sha256 = sha256,
): { signerKey: string; verifierKey: string } => {
  const what = 'generateNoteKeys';
  if (!isValidKeyName(name)) {
    throw bad(what, 'key name is empty or holds a space, "+" or a control character');
  }
  if (!(seed instanceof Uint8Array) || seed.length !== KEY_SIZE) {
    throw bad(what, `seed must be ${KEY_SIZE} bytes`);
  }
  const { keyHash, verifierKey } = createSigner(name, seed, sha);
  const typedSeed = bytesToBase64(concatBytes(Uint8Array.of(ED25519_TYPE), seed));
  return {
    signerKey: `${SIGNER_PREFIX}${name}+${formatKeyHash(keyHash)}+${typedSeed}`,
    verifierKey,
  };
};

/** The verifier key string of a signer key (string or parsed). Throws like parseSignerKey. */
export const verifierKeyOf = (signerKey: string | NoteSigner, sha: Sha256 = sha256): string =>
  typeof signerKey === 'string'
    ? parseSignerKey(signerKey, sha).verifierKey
    : signerKey.verifierKey;
