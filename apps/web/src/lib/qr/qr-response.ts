import { publicBaseUrl } from '@/lib/config';

import { canonicalDigitalLinkOfPath } from './digital-link';
import { isNotModified, type QrFormat, qrEtag } from './etag';
import { renderQrPng, renderQrSvg } from './image';
import { parseQrOptions } from './options';
import { ProblemError, problemResponse } from './problem';

const CONTENT_TYPES = { svg: 'image/svg+xml', png: 'image/png' } as const satisfies Record<
  QrFormat,
  string
>;

// The image is a pure function of the URL and the deployment's PUBLIC_BASE_URL: cache it for a
// day without revalidation. Not forever, because a new PUBLIC_BASE_URL changes the bytes behind
// the same URL; the ETag (which covers the URI) then lets caches revalidate cheaply.
export const QR_CACHE_CONTROL = 'public, max-age=86400, immutable';

// `/qr` + a Digital Link path + `.svg` or `.png`. The path stays percent-encoded as it came, so
// `%2F` inside a lot is not mistaken for a segment separator.
const QR_PATH = /^\/qr(\/.+)\.([^./]+)$/;

const isQrFormat = (ext: string): ext is QrFormat => ext === 'svg' || ext === 'png';

const splitQrPath = (pathname: string): { path: string; format: QrFormat } => {
  const [, path = '', ext = ''] = QR_PATH.exec(pathname) ?? [];
  if (!isQrFormat(ext)) {
    throw new ProblemError(
      'NOT_FOUND',
      `no QR code at '${pathname}': the path must be /qr/01/{gtin}[/10/{lot}][/21/{serial}] followed by .svg or .png`,
    );
  }
  return { path, format: ext };
};

/**
 * GET /qr/01/{gtin}[/10/{lot}][/21/{serial}].{svg|png}?size=&margin=&ecc= — a QR code of the
 * canonical GS1 Digital Link URI of the identifier on the public base URL. Conditional requests
 * (If-None-Match) get 304; refusals are RFC 9457 problems (400, 404).
 */
export const handleQrRequest = async (request: Request): Promise<Response> => {
  const url = new URL(request.url);
  try {
    const { path, format } = splitQrPath(url.pathname);
    const uri = canonicalDigitalLinkOfPath(path, publicBaseUrl());
    const options = parseQrOptions(url.searchParams);
    const etag = qrEtag(uri, format, options);
    const headers = new Headers({
      'Cache-Control': QR_CACHE_CONTROL,
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    });
    if (isNotModified(request.headers.get('If-None-Match'), etag)) {
      return new Response(null, { status: 304, headers });
    }
    headers.set('Content-Type', CONTENT_TYPES[format]);
    if (format === 'svg') {
      // An SVG opened on its own is a document: let it load and run nothing.
      headers.set('Content-Security-Policy', "default-src 'none'");
      return new Response(await renderQrSvg(uri, { ...options, label: uri }), { headers });
    }
    return new Response(await renderQrPng(uri, options), { headers });
  } catch (error) {
    if (error instanceof ProblemError) return problemResponse(error, url.pathname);
    throw error;
  }
};
