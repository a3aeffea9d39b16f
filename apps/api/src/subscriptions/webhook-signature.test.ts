import { describe, expect, it } from '@jest/globals';

import { isCallbackSignatureValid, signCallback } from './webhook-signature.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe(signCallback.name, () => {
  // RFC 4231 §4.3 (test case 2), HMAC-SHA-256 = 5bdcc146…64ec3843, in base64:
  // printf '%s' 'what do ya want for nothing?' | openssl dgst -sha256 -hmac Jefe -binary | base64
  it('is base64 of HMAC-SHA256 keyed by the token (RFC 4231 test case 2)', () => {
    expect(signCallback(utf8('what do ya want for nothing?'), 'Jefe')).toBe(
      'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=',
    );
  });

  // printf '%s' '{}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf 'clé' | xxd -p) -binary | base64
  it('keys with the UTF-8 bytes of the token', () => {
    expect(signCallback(utf8('{}'), 'clé')).toBe('YB80oT+Yjm6fOoBpzAiFbnd90/u3L4/pi53HLJG3Ymk=');
  });
});

describe(isCallbackSignatureValid.name, () => {
  const body = utf8('{"type":"EPCISQueryDocument"}');
  const signature = signCallback(body, 'token-1');

  it('accepts the signature of the exact bytes', () => {
    expect(isCallbackSignatureValid(body, 'token-1', signature)).toBe(true);
  });

  it('refuses another token, a changed byte, or a truncated signature', () => {
    expect(isCallbackSignatureValid(body, 'token-2', signature)).toBe(false);
    const changed = Uint8Array.from(body);
    changed[3] = (changed[3] ?? 0) ^ 1;
    expect(isCallbackSignatureValid(changed, 'token-1', signature)).toBe(false);
    expect(isCallbackSignatureValid(body, 'token-1', signature.slice(0, -1))).toBe(false);
  });
});
