import { base64, base64urlnopad, hex } from '@scure/base';

import { TraceError } from './errors.js';

// Byte helpers over Uint8Array only (no Buffer), so the same code runs in a browser.
// Decoding is strict (@scure/base rejects missing padding, whitespace and non-zero trailing
// bits), so every byte string has exactly one accepted text form. Decoders wrap library errors
// in TraceError('MALFORMED_INPUT') because their input is usually attacker-controlled.

const decodeWith =
  (codec: { decode: (text: string) => Uint8Array }, what: string) =>
  (text: string): Uint8Array => {
    if (typeof text !== 'string') throw new TraceError('MALFORMED_INPUT', `${what}: not a string`);
    try {
      return codec.decode(text);
    } catch (cause) {
      throw new TraceError('MALFORMED_INPUT', `not ${what}`, { cause });
    }
  };

export const bytesToHex = (bytes: Uint8Array): string => hex.encode(bytes);
/** Hex of whole bytes, either case. */
export const hexToBytes = decodeWith(hex, 'hex');

/** RFC 4648 §4 base64 with padding. */
export const bytesToBase64 = (bytes: Uint8Array): string => base64.encode(bytes);
export const base64ToBytes = decodeWith(base64, 'canonical padded base64');

/** RFC 4648 §5 base64url without padding (SD-JWT's encoding). */
export const bytesToBase64Url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);
export const base64UrlToBytes = decodeWith(base64urlnopad, 'unpadded base64url');

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8ToBytes = (text: string): Uint8Array => encoder.encode(text);

/** Strict UTF-8 decoding: invalid sequences throw MALFORMED_INPUT instead of becoming U+FFFD. */
export const bytesToUtf8 = (bytes: Uint8Array): string => {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new TraceError('MALFORMED_INPUT', 'not valid UTF-8', { cause });
  }
};

export const concatBytes = (...parts: readonly Uint8Array[]): Uint8Array => {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

/** Equality of contents. Not constant-time: only public data (hashes, roots) is compared. */
export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};
