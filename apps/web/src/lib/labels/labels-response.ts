import { publicBaseUrl } from '@/lib/config';
import { ProblemError, problemResponse, toProblem } from '@/lib/qr/problem';

import { html } from './html';
import { fieldsFromEntries, readLabelFields } from './label-fields';
import { type LabelFields, parseLabelSheet } from './label-request';
import { renderLabelSheet } from './label-sheet';

// The pages run nothing and load nothing but their inline styles and SVG.
const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  // A sheet is made for one print run; the error format depends on Accept.
  'Cache-Control': 'no-store',
  Vary: 'Accept',
};

// The q-value Accept gives `type`: that of the most specific range matching it (RFC 9110
// §12.5.1), 0 when none does.
const qualityOf = (accept: string, type: string): number => {
  let best = { specificity: -1, q: 0 };
  for (const range of accept.split(',')) {
    const [mediaRange = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const [major] = type.split('/');
    const specificity =
      mediaRange === type ? 2 : mediaRange === `${major}/*` ? 1 : mediaRange === '*/*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    best = { specificity, q: Number.isFinite(value) ? value : 0 };
  }
  return best.q;
};

/**
 * Whether the client would rather read an error as an HTML page than as problem JSON: browsers
 * (Accept: text/html, …, *\/*;q=0.8) do, API clients and `*\/*` do not.
 */
export const prefersHtml = (accept: string | null): boolean => {
  if (!accept) return false;
  const json = Math.max(
    qualityOf(accept, 'application/problem+json'),
    qualityOf(accept, 'application/json'),
  );
  return qualityOf(accept, 'text/html') > json;
};

const errorPage = (error: ProblemError, instance: string): Response => {
  const problem = toProblem(error, instance);
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${problem.title} · Traceroot</title>
        <style>
          body {
            margin: 0 auto;
            max-width: 40rem;
            padding: 2rem 1.25rem;
            font:
              1.0625rem/1.6 system-ui,
              sans-serif;
          }
        </style>
      </head>
      <body>
        <main>
          <h1>${problem.title}</h1>
          <p>${problem.detail}</p>
          <p><small>${problem.status} · ${problem.type}</small></p>
        </main>
      </body>
    </html> `;
  return new Response(page.html, { status: problem.status, headers: HTML_HEADERS });
};

const respond = async (request: Request, read: () => Promise<LabelFields>): Promise<Response> => {
  const { pathname } = new URL(request.url);
  try {
    const sheet = parseLabelSheet(await read(), publicBaseUrl());
    return new Response(await renderLabelSheet(sheet), { headers: HTML_HEADERS });
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    if (prefersHtml(request.headers.get('Accept'))) return errorPage(error, pathname);
    const response = problemResponse(error, pathname);
    response.headers.set('Vary', 'Accept');
    return response;
  }
};

/** GET /labels?gtin=…&lot=…&serials=1,2,3 (or serialFrom=…&count=…) — a printable A4 sheet. */
export const handleLabelsGet = (request: Request): Promise<Response> =>
  respond(request, () => Promise.resolve(fieldsFromEntries(new URL(request.url).searchParams)));

/** POST /labels with the same fields as a JSON object or a form. */
export const handleLabelsPost = (request: Request): Promise<Response> =>
  respond(request, () => readLabelFields(request));
