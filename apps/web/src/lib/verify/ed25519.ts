import type { AsyncSignatureCheck } from '@traceroot/trace';

// Ed25519 for the page: the browser's own (WebCrypto: Chrome and Edge 137+, Firefox 129+,
// Safari 17+), so that the page ships no Ed25519 code at all (ADR 0008). A browser without it is
// told so; it is never shown a verdict it did not compute.

// WebCrypto takes ArrayBuffer-backed views only.
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

const importKey = (publicKey: Uint8Array): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', own(publicKey), { name: 'Ed25519' }, false, ['verify']);

/** Whether this browser's WebCrypto verifies Ed25519 (it needs a secure context, too). */
export const browserHasEd25519 = async (): Promise<boolean> => {
  try {
    // RFC 8032 §7.1 test 1's public key: any valid point does.
    await importKey(
      Uint8Array.from(
        'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'.match(/../g)!,
        (h) => Number.parseInt(h, 16),
      ),
    );
    return true;
  } catch {
    return false;
  }
};

export const browserEd25519: AsyncSignatureCheck = async (publicKey, message, signature) =>
  crypto.subtle.verify(
    { name: 'Ed25519' },
    await importKey(publicKey),
    own(signature),
    own(message),
  );
