import { base64UrlToBytes, bytesToBase64Url, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';

// Salted per-field commitments, encoded exactly as IETF SD-JWT (RFC 9901, "Disclosures for Object
// Properties" and "Hashing Disclosures") encodes object-property disclosures: a disclosure is base64url(UTF-8(JSON [salt, name, value])), and
// its digest is base64url(SHA-256(ASCII(disclosure))). Hashing the transmitted string (not a
// re-serialisation) means no JSON canonicalisation is ever needed to check a field.

/** The minimum salt length: 128 bits, as SD-JWT recommends (RFC 9901, salt entropy). */
export const SALT_BYTES = 16;

export type Disclosure = { salt: string; name: string; value: unknown };

/**
 * Encodes one field as a disclosure string. `salt` must be ≥ 16 bytes from a CSPRNG (passed in:
 * this library has no randomness of its own).
 */
export const formatDisclosure = (
  salt: Uint8Array,
  name: string,
  value: unknown,
  codec: DisclosureCodec = PORTABLE_CODEC,
): string => {
  if (salt.length < SALT_BYTES) {
    throw new TraceError('MALFORMED_INPUT', `a salt must be at least ${SALT_BYTES} bytes`);
  }
  if (value === undefined) throw new TraceError('INVALID_EVENT', `field ${name} has no value`);
  return codec.encodeText(JSON.stringify([codec.encodeBytes(salt), name, value]));
};

/**
 * The encodings that disclosures and their digests need. The portable codec (the default) runs
 * anywhere; `@traceroot/trace/node` has one over node:crypto and Buffer for servers, which commit
 * every field of every captured event. Every codec must give the same strings as the portable one.
 */
export type DisclosureCodec = {
  /** base64url without padding of the UTF-8 bytes of `text` (a disclosure, from its JSON). */
  encodeText(text: string): string;
  /** base64url without padding of `bytes` (a salt). */
  encodeBytes(bytes: Uint8Array): string;
  /** base64url without padding of the SHA-256 of the UTF-8 bytes of `disclosure`: its digest. */
  digest(disclosure: string): string;
};

/** The portable codec, over `sha` (default: @noble/hashes). */
export const portableDisclosureCodec = (sha: Sha256 = sha256): DisclosureCodec => ({
  encodeText: (text) => bytesToBase64Url(utf8ToBytes(text)),
  encodeBytes: bytesToBase64Url,
  digest: (disclosure) => bytesToBase64Url(sha(utf8ToBytes(disclosure))),
});

const PORTABLE_CODEC = portableDisclosureCodec();

/** Decodes a disclosure string (attacker-controlled); throws MALFORMED_INPUT naming the fault. */
export const parseDisclosure = (disclosure: string): Disclosure => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(bytesToUtf8(base64UrlToBytes(disclosure)));
  } catch (cause) {
    throw new TraceError('MALFORMED_INPUT', 'a disclosure is not base64url-encoded JSON', {
      cause,
    });
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[1] !== 'string'
  ) {
    throw new TraceError(
      'MALFORMED_INPUT',
      'a disclosure must be the JSON array [salt, name, value]',
    );
  }
  const [salt, name, value] = decoded as [string, string, unknown];
  if (base64UrlToBytes(salt).length < SALT_BYTES) {
    throw new TraceError(
      'MALFORMED_INPUT',
      `disclosure of ${name}: salt shorter than ${SALT_BYTES} bytes`,
    );
  }
  return { salt, name, value };
};

/** The digest that a leaf commits to for one disclosure. */
export const hashDisclosure = (disclosure: string, sha: Sha256 = sha256): string =>
  bytesToBase64Url(sha(utf8ToBytes(disclosure)));
