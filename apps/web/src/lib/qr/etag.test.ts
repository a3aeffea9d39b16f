import { describe, expect, it } from '@jest/globals';

import { isNotModified, QR_FORMAT_VERSION, qrEtag } from './etag';
import type { QrOptions } from './options';

const URI = 'http://localhost:3001/01/09506000134352/10/ABC%2F1/21/42';
const OPTIONS: QrOptions = { size: 320, margin: 4, ecc: 'M' };

describe(qrEtag.name, () => {
  it('is a strong tag, stable for equal inputs (golden value)', () => {
    // printf '%s' '[2,"png","http://localhost:3001/01/09506000134352/10/ABC%2F1/21/42",320,4,"M"]' \
    //   | openssl dgst -sha256 -binary | basenc --base64url | cut -c1-22
    expect(QR_FORMAT_VERSION).toBe(2);
    expect(qrEtag(URI, 'png', OPTIONS)).toBe('"qr2-0z7ZO2mmmHeShl5_oFUKd8"');
    expect(qrEtag(URI, 'png', { ...OPTIONS })).toBe(qrEtag(URI, 'png', OPTIONS));
    expect(qrEtag(URI, 'png', OPTIONS)).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
  });

  it('changes with the URI, the format and each option', () => {
    const tags = [
      qrEtag(URI, 'png', OPTIONS),
      qrEtag(URI, 'svg', OPTIONS),
      qrEtag(URI.replace('localhost:3001', 'trace.example.com'), 'png', OPTIONS),
      qrEtag(URI.replace('/21/42', '/21/43'), 'png', OPTIONS),
      qrEtag(URI, 'png', { ...OPTIONS, size: 321 }),
      qrEtag(URI, 'png', { ...OPTIONS, margin: 5 }),
      qrEtag(URI, 'png', { ...OPTIONS, ecc: 'H' }),
    ];
    expect(new Set(tags).size).toBe(tags.length);
  });
});

describe(isNotModified.name, () => {
  const etag = '"qr1-abc"';

  it.each([
    ['"qr1-abc"', true],
    ['W/"qr1-abc"', true], // If-None-Match uses the weak comparison (RFC 9110 §13.1.2)
    ['"x", "qr1-abc"', true],
    ['"x",W/"qr1-abc" , "y"', true],
    ['*', true],
    ['"qr1-abd"', false],
    ['qr1-abc', false],
    ['"qr1-abc', false],
    ['', false],
  ])('If-None-Match: %s → %s', (header, want) => {
    expect(isNotModified(header, etag)).toBe(want);
  });

  it('is false without the header', () => {
    expect(isNotModified(null, etag)).toBe(false);
  });
});
