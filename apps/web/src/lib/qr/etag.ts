import { createHash } from 'node:crypto';

import type { QrOptions } from './options';

export type QrFormat = 'svg' | 'png';

// Bump when the bytes produced for the same URI and options change (renderer, layout, the
// `qrcode` package's mask or segment choices), so caches holding the old image revalidate.
export const QR_FORMAT_VERSION = 2; // 2: rendered by the `qrcode` package's own renderers

/**
 * A strong entity tag (RFC 9110 §8.8.3) of the image: a digest of everything the bytes depend
 * on, i.e. the encoded URI (which carries the public base URL), the options, the format and
 * QR_FORMAT_VERSION. Equal inputs give byte-identical images, so the tag may be strong.
 */
export const qrEtag = (uri: string, format: QrFormat, options: QrOptions): string => {
  const input = JSON.stringify([
    QR_FORMAT_VERSION,
    format,
    uri,
    options.size,
    options.margin,
    options.ecc,
  ]);
  const digest = createHash('sha256').update(input).digest('base64url').slice(0, 22);
  return `"qr${QR_FORMAT_VERSION}-${digest}"`;
};

/**
 * Whether `If-None-Match` (RFC 9110 §13.1.2) matches `etag`: `*`, or any listed tag under the
 * weak comparison the field prescribes (a `W/` prefix is ignored).
 */
export const isNotModified = (ifNoneMatch: string | null, etag: string): boolean => {
  if (ifNoneMatch === null) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return (ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? []).some(
    (tag) => tag.replace(/^W\//, '') === opaque,
  );
};
