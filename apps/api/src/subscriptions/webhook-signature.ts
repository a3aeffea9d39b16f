// GS1-Signature of a subscription callback (EPCIS 2.0 REST binding, components.parameters.
// GS1-Signature: "the choice of signature type is implementation specific … e.g. HMAC with SHA-256
// directly"). Traceroot's format: the standard base64 (RFC 4648 §4, padded) of
// HMAC-SHA256(key = the UTF-8 bytes of the subscription's signatureToken, message = the exact
// bytes of the request body). docs/specs/subscriptions.md shows how a receiver checks it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature. */
export const SIGNATURE_HEADER = 'GS1-Signature';

/** The GS1-Signature value of `body` under `signatureToken`. */
export const signCallback = (body: Uint8Array, signatureToken: string): string =>
  createHmac('sha256', Buffer.from(signatureToken, 'utf8')).update(body).digest('base64');

/**
 * Whether `signature` is the GS1-Signature of `body` under `signatureToken`, compared in constant
 * time (what a receiver does; the tests use it).
 */
export const isCallbackSignatureValid = (
  body: Uint8Array,
  signatureToken: string,
  signature: string,
): boolean => {
  const expected = Buffer.from(signCallback(body, signatureToken), 'utf8');
  const presented = Buffer.from(signature, 'utf8');
  return expected.length === presented.length && timingSafeEqual(expected, presented);
};
