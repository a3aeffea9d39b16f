import { type NextRequest, NextResponse } from 'next/server';

import { apiPublicUrl } from '@/lib/api-config';
import { publicBaseUrl } from '@/lib/config';
import { invalidLinkPage } from '@/lib/dl/invalid-page';
import { linksFor } from '@/lib/dl/links';
import { resolveDigitalLink } from '@/lib/dl/resolve';
import { LOCALE_HEADER, LOCALES, pickLocale } from '@/lib/i18n/locale';

// The GS1 Digital Link resolver in front of the product pages (lib/dl/resolve.ts decides).
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  const bases = { publicBase: publicBaseUrl(), apiPublic: apiPublicUrl() };
  const resolution = resolveDigitalLink(pathname, search, request.headers.get('accept'), (path) =>
    linksFor(path, bases, 'unknown'),
  );
  let response: NextResponse;
  switch (resolution.kind) {
    case 'page': {
      const lang = request.nextUrl.searchParams.get('lang');
      // The page's language, decided once here and handed on to the layout (<html lang>) and the
      // page as a request header.
      const headers = new Headers(request.headers);
      headers.set(
        LOCALE_HEADER,
        pickLocale(
          lang ?? undefined,
          request.cookies.get('lang')?.value,
          request.headers.get('accept-language'),
        ),
      );
      response = NextResponse.next({ request: { headers } });
      // A language chosen on the page stays chosen on the next scan.
      if (lang !== null && (LOCALES as readonly string[]).includes(lang)) {
        response.cookies.set('lang', lang, { path: '/', maxAge: 31_536_000, sameSite: 'lax' });
      }
      break;
    }
    case 'redirect':
      response = NextResponse.redirect(
        new URL(resolution.location, request.url),
        resolution.status,
      );
      break;
    case 'linkset':
      response = NextResponse.rewrite(new URL(`/linkset${resolution.path}`, request.url));
      break;
    case 'invalid':
      response = new NextResponse(
        invalidLinkPage(pathname, resolution.reason, request.headers.get('accept-language')),
        { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } },
      );
      break;
  }
  response.headers.set('vary', 'Accept, Accept-Language');
  return response;
}

export const config = { matcher: '/01/:path*' };
