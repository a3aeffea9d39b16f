/**
 * @jest-environment node
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parseDigitalLink, TraceError } from '@traceroot/trace';

import { qrEtag } from '@/lib/qr/etag';
import { decodeQrImage } from '@/test-support/zbar';

import { GET } from './route';

const BASE = 'https://trace.example.com';

const get = (path: string, headers: Record<string, string> = {}) =>
  GET(new Request(`http://localhost:3001${path}`, { headers }));

const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());

const savedEnv = { ...process.env };
beforeEach(() => {
  process.env.PUBLIC_BASE_URL = `${BASE}/`; // the trailing slash is not part of the base
});
afterEach(() => {
  process.env = { ...savedEnv };
});

// The four identifier forms, as a printer might type them (GTIN-13, -8; a lot with a '/' and a
// serial with a '+', which the canonical form percent-encodes), and their canonical URIs.
const FORMS = [
  ['/01/9506000134352', '/01/09506000134352'],
  ['/01/09506000134352/10/ABC%2F1', '/01/09506000134352/10/ABC%2F1'],
  ['/01/95060002/21/x+y', '/01/00000095060002/21/x%2By'],
  ['/01/9506000134352/10/ABC%2F1/21/42', '/01/09506000134352/10/ABC%2F1/21/42'],
] as const;

describe('GET /qr/…', () => {
  describe.each(['L', 'H'] as const)('at ecc %s', (ecc) => {
    it.each(FORMS)(
      '%s.png encodes the canonical Digital Link (zbarimg)',
      async (path, canonical) => {
        const response = await get(`/qr${path}.png?ecc=${ecc}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('Content-Type')).toBe('image/png');
        await expect(decodeQrImage(await bytes(response))).resolves.toEqual([BASE + canonical]);
      },
    );
  });

  it('uses ecc M and 320 px by default', async () => {
    const [path, canonical] = FORMS[3];
    const response = await get(`/qr${path}.png`);
    const tag = qrEtag(BASE + canonical, 'png', { size: 320, margin: 4, ecc: 'M' });
    expect(response.headers.get('ETag')).toBe(tag);
    const png = await bytes(response);
    const ihdr = new DataView(png.buffer, png.byteOffset + 16, 8);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([320, 320]); // IHDR width, height
    await expect(decodeQrImage(png)).resolves.toEqual([BASE + canonical]);
  });

  it('builds on http://localhost:$WEB_PORT without PUBLIC_BASE_URL', async () => {
    delete process.env.PUBLIC_BASE_URL;
    delete process.env.WEB_PORT;
    const a = await decodeQrImage(await bytes(await get('/qr/01/09506000134352/21/1.png')));
    process.env.WEB_PORT = '4000';
    const b = await decodeQrImage(await bytes(await get('/qr/01/09506000134352/21/1.png')));
    expect([a, b]).toEqual([
      ['http://localhost:3001/01/09506000134352/21/1'],
      ['http://localhost:4000/01/09506000134352/21/1'],
    ]);
  });

  it('answers an SVG of `size` px with the canonical URI as its accessible name', async () => {
    const response = await get('/qr/01/9506000134352/10/ABC%2F1.svg?size=200&margin=2');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'none'");
    const svg = await response.text();
    expect(svg).toMatch(
      /^<svg role="img" aria-label="[^"]+" xmlns="http:\/\/www\.w3\.org\/2000\/svg" /,
    );
    expect(svg).toContain(`aria-label="${BASE}/01/09506000134352/10/ABC%2F1"`);
    expect(svg).toContain(' width="200" height="200"');
    // version 4 at ecc M: 33 modules, and 2 of quiet zone on each side
    expect(svg).toContain(' viewBox="0 0 37 37"');
    expect(svg).toMatch(/<\/svg>\n?$/);
  });

  it('sends a strong ETag and caching headers, and 304 for a matching If-None-Match', async () => {
    const path = '/qr/01/09506000134352/10/L1.png?size=128';
    const first = await get(path);
    const etag = first.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^"qr2-[A-Za-z0-9_-]{22}"$/);
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=86400, immutable');
    expect(first.headers.get('X-Content-Type-Options')).toBe('nosniff');

    const again = await get(path);
    expect(again.headers.get('ETag')).toBe(etag);
    expect(await bytes(again)).toEqual(await bytes(first));

    const revalidated = await get(path, { 'If-None-Match': `"other", W/${etag}` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('ETag')).toBe(etag);
    expect(revalidated.headers.get('Cache-Control')).toBe('public, max-age=86400, immutable');
    expect(await revalidated.text()).toBe('');

    for (const other of [
      '/qr/01/09506000134352/10/L1.svg?size=128',
      '/qr/01/09506000134352/10/L1.png?size=129',
      '/qr/01/09506000134352/10/L1.png?size=128&ecc=Q',
      '/qr/01/09506000134352/10/L2.png?size=128',
    ]) {
      const response = await get(other, { 'If-None-Match': etag });
      expect(response.status).toBe(200);
      expect(response.headers.get('ETag')).not.toBe(etag);
    }
  });

  it('gives equal ETags to equal codes however the request spelled the identifier', async () => {
    const tags = await Promise.all(
      ['/qr/01/9506000134352/10/%41BC.png', '/qr/01/09506000134352/10/ABC.png'].map(async (path) =>
        (await get(path)).headers.get('ETag'),
      ),
    );
    expect(tags[0]).toBe(tags[1]);
  });

  const expectProblem = async (response: Response, want: Record<string, unknown>) => {
    expect(response.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toEqual({ status: response.status, ...want });
    expect(Object.keys(problem)).toEqual(expect.arrayContaining(['type', 'title', 'detail']));
  };

  it.each([
    ['size=63', 'size', 'size: must be an integer from 64 to 2048, not 63'],
    ['size=2049', 'size', 'size: must be an integer from 64 to 2048, not 2049'],
    ['size=big', 'size', 'size: must be an integer from 64 to 2048'],
    ['margin=17', 'margin', 'margin: must be an integer from 0 to 16, not 17'],
    ['margin=-1', 'margin', 'margin: must be an integer from 0 to 16'],
    ['ecc=Z', 'ecc', 'ecc: must be one of L, M, Q, H'],
    ['colour=red', 'colour', 'colour: unknown parameter (known: size, margin, ecc)'],
    [
      'size=64&margin=16&ecc=H',
      'size',
      'size: 64 px is too small for this code: it needs at least 73 px with margin 16',
    ],
  ])('answers 400 problem+json for ?%s, naming %s', async (query, parameter, detail) => {
    const response = await get(`/qr/01/09506000134352/10/ABC%2F1/21/42.png?${query}`);
    expect(response.status).toBe(400);
    await expectProblem(response, {
      type: 'https://traceroot.dev/problems/invalid-parameter',
      title: 'Invalid parameter',
      detail,
      instance: '/qr/01/09506000134352/10/ABC%2F1/21/42.png',
      code: 'INVALID_PARAMETER',
      parameter,
    });
  });

  it.each([
    '/01/09506000134353', // check digit
    '/01/09506000134352/99/x', // not a key qualifier of (01)
    '/98/x', // no primary key
    '/01/09506000134352/10/a%20b', // outside CSET 82
    '/01/09506000134352/21/%C3%A9',
  ])('answers 400 problem+json with the library reason for %s', async (path) => {
    let reason = '';
    try {
      parseDigitalLink(`https://id.gs1.org${path}`);
    } catch (error) {
      reason = error instanceof TraceError ? error.message : '';
    }
    expect(reason).not.toBe('');
    const response = await get(`/qr${path}.svg`);
    expect(response.status).toBe(400);
    await expectProblem(response, {
      type: 'https://traceroot.dev/problems/invalid-identifier',
      title: 'Invalid GS1 identifier',
      detail: reason,
      instance: `/qr${path}.svg`,
      code: 'INVALID_IDENTIFIER',
    });
  });

  it.each([
    '/qr/01/09506000134352.gif',
    '/qr/01/09506000134352.SVG',
    '/qr/01/09506000134352',
    '/qr/01/09506000134352.png/',
    '/qr/.png',
  ])('answers 404 problem+json for %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    await expectProblem(response, {
      type: 'https://traceroot.dev/problems/not-found',
      title: 'Resource not found',
      detail: expect.stringMatching(/^no QR code at '.*': the path must be \/qr\/01\/\{gtin\}/),
      instance: path,
      code: 'NOT_FOUND',
    });
  });

  it('fails (a 500, not a 400) when PUBLIC_BASE_URL is misconfigured', async () => {
    process.env.PUBLIC_BASE_URL = 'trace.example.com';
    await expect(get('/qr/01/09506000134352.png')).rejects.toThrow(/PUBLIC_BASE_URL/);
  });
});
