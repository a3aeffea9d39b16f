import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';

import { bytesEqual, bytesToBase64, concatBytes } from '../bytes.js';
import { type Sha256, sha256 } from '../hash.js';
import {
  bad,
  computeKeyHash,
  ED25519_TYPE,
  formatKeyHash,
  formatVerifierKey,
  KEY_SIZE,
  type NoteSigner,
  type NoteVerifier,
  parseNoteKeyParts,
  SIGNATURE_SIZE,
  SIGNER_PREFIX,
  splitKeyString,
} from './note-key.js';
import { isValidKeyName } from './note-text.js';

export type { NoteSigner, NoteVerifier } from './note-key.js';

// Ed25519 note keys in the text forms of golang.org/x/mod/sumdb/note (the forms every C2SP
// tool reads): verifier `<name>+<hex8 key ID>+<base64(0x01 ‖ public key)>`, signer
// `PRIVATE+KEY+<name>+<hex8 key ID>+<base64(0x01 ‖ seed)>`. Keys are configuration, so a bad
// key string is MALFORMED_INPUT; messages never quote signer key material.

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
  const { name, keyHash, publicKey } = parseNoteKeyParts(verifierKey, sha);
  const verify = createVerify(publicKey, decodePublicKey(publicKey, 'verifier key'));
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
