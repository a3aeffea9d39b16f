/**
 * @jest-environment node
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { GET, POST } from './route';

const BASE = 'https://trace.example.com';
const savedEnv = { ...process.env };
beforeEach(() => {
  process.env.PUBLIC_BASE_URL = BASE;
});
afterEach(() => {
  process.env = { ...savedEnv };
});

const get = (query: string, headers: Record<string, string> = {}) =>
  GET(new Request(`http://localhost:3001/labels?${query}`, { headers }));

const post = (body: BodyInit, headers: Record<string, string>) =>
  POST(new Request('http://localhost:3001/labels', { method: 'POST', body, headers }));

const postJson = (body: unknown) =>
  post(JSON.stringify(body), { 'Content-Type': 'application/json' });

const labelsOf = (page: string) =>
  [...page.matchAll(/<article class="label" data-digital-link="([^"]*)">(.*?)<\/article>/gs)].map(
    ([, uri, inner]) => ({
      uri,
      svgs: (inner!.match(/<svg /g) ?? []).length,
      text: [...inner!.matchAll(/<p class="(?:hri|name)">([^<]*)<\/p>/g)].map(([, t]) => t),
    }),
  );

const sheetsOf = (page: string) => (page.match(/<section class="sheet"/g) ?? []).length;

describe('GET and POST /labels', () => {
  it('answers a printable A4 sheet, one label per serial with its QR code and text', async () => {
    const response = await get('gtin=9506000134352&lot=ABC/1&serials=1,2,3&name=Arabica%20beans');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none';/);
    const page = await response.text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('@page { size: A4; margin: 0; }');
    expect(page).not.toMatch(/<script/i);
    expect(sheetsOf(page)).toBe(1);
    expect(labelsOf(page)).toEqual(
      ['1', '2', '3'].map((serial) => ({
        uri: `${BASE}/01/09506000134352/10/ABC%2F1/21/${serial}`,
        svgs: 1,
        text: ['Arabica beans', '(01) 09506000134352', '(10) ABC/1', `(21) ${serial}`],
      })),
    );
    expect(page).toContain('3 labels on 1 A4 page');
  });

  it('lays out 21 labels per page', async () => {
    const page = await (await get('gtin=09506000134352&serialFrom=1&count=43')).text();
    expect(labelsOf(page)).toHaveLength(43);
    expect(sheetsOf(page)).toBe(3);
    expect(labelsOf(page)[42]?.text).toEqual(['(01) 09506000134352', '(21) 43']);
  });

  it('prints copies of a lot label, and of a GTIN label', async () => {
    const lot = labelsOf(await (await get('gtin=09506000134352&lot=L7&count=2')).text());
    expect(lot.map((l) => [l.uri, l.text])).toEqual([
      [`${BASE}/01/09506000134352/10/L7`, ['(01) 09506000134352', '(10) L7']],
      [`${BASE}/01/09506000134352/10/L7`, ['(01) 09506000134352', '(10) L7']],
    ]);
    const gtin = labelsOf(await (await get('gtin=95060002')).text());
    expect(gtin.map((l) => [l.uri, l.text])).toEqual([
      [`${BASE}/01/00000095060002`, ['(01) 00000095060002']],
    ]);
  });

  it('escapes what it prints', async () => {
    const page = await (
      await get(
        `gtin=09506000134352&lot=%3Cb%3E%26%22'&name=${encodeURIComponent('<script>x</script>')}`,
      )
    ).text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('<p class="name">&lt;script&gt;x&lt;/script&gt;</p>');
    expect(page).toContain('<p class="hri">(10) &lt;b&gt;&amp;&quot;&#39;</p>');
    expect(labelsOf(page)[0]?.uri).toBe(`${BASE}/01/09506000134352/10/%3Cb%3E%26%22%27`);
  });

  it('takes the same fields as JSON, a URL-encoded form or multipart form data', async () => {
    const want = [
      `${BASE}/01/09506000134352/10/L1/21/a,b`.replace(',', '%2C'),
      `${BASE}/01/09506000134352/10/L1/21/c`,
    ];
    const json = await postJson({ gtin: '09506000134352', lot: 'L1', serials: ['a,b', 'c'] });
    expect(json.status).toBe(200);
    expect(labelsOf(await json.text()).map((l) => l.uri)).toEqual(want);

    const form = await post('gtin=09506000134352&lot=L1&serials=x%0D%0Ay', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(labelsOf(await form.text()).map((l) => l.text.at(-1))).toEqual(['(21) x', '(21) y']);

    const data = new FormData();
    data.append('gtin', '09506000134352');
    data.append('serialFrom', '9');
    data.append('count', '2');
    const multipart = await POST(
      new Request('http://localhost:3001/labels', { method: 'POST', body: data }),
    );
    expect(labelsOf(await multipart.text()).map((l) => l.text.at(-1))).toEqual([
      '(21) 9',
      '(21) 10',
    ]);
  });

  it('takes 500 labels and refuses 501 with 400', async () => {
    const serials = Array.from({ length: 501 }, (_, i) => `S${i}`);
    const ok = await postJson({ gtin: '09506000134352', serials: serials.slice(0, 500) });
    expect(ok.status).toBe(200);
    const page = await ok.text();
    expect(labelsOf(page)).toHaveLength(500);
    expect(sheetsOf(page)).toBe(24);
    const tooMany = await postJson({ gtin: '09506000134352', serials });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ parameter: 'serials', code: 'INVALID_PARAMETER' });
    expect((await get('gtin=09506000134352&count=501')).status).toBe(400);
  });

  it.each([
    ['', 400, 'invalid-parameter', 'gtin: required'],
    [
      'gtin=09506000134353',
      400,
      'invalid-identifier',
      "AI (01) value '09506000134353': wrong check digit (expected 2)",
    ],
    [
      'gtin=09506000134352&lot=a%20b',
      400,
      'invalid-identifier',
      "AI (10) value 'a b': must consist of CSET 82 characters",
    ],
    [
      'gtin=09506000134352&count=0',
      400,
      'invalid-parameter',
      'count: must be an integer from 1 to 500, not 0',
    ],
  ])('answers ?%s with %i problem+json', async (query, status, type, detail) => {
    const response = await get(query);
    expect(response.status).toBe(status);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8');
    expect(response.headers.get('Vary')).toBe('Accept');
    expect(await response.json()).toMatchObject({
      type: `https://traceroot.dev/problems/${type}`,
      status,
      detail,
      instance: '/labels',
    });
  });

  it('answers 413 and 415 problems for bodies it will not read', async () => {
    const big = await post(JSON.stringify({ name: 'x'.repeat(70_000) }), {
      'Content-Type': 'application/json',
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const text = await post('gtin=1', { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('shows a browser its error as an HTML page with the same status and detail', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const response = await get('gtin=09506000134352&lot=%3Cx%3E%20%C3%A9', { Accept: accept });
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain('<h1>Invalid GS1 identifier</h1>');
    expect(page).toContain(
      'AI (10) value &#39;&lt;x&gt; é&#39;: must consist of CSET 82 characters',
    );
    for (const other of ['*/*', 'application/json', 'application/problem+json, text/html;q=0.5']) {
      const problem = await get('gtin=1', { Accept: other });
      expect(problem.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8');
    }
  });
});
