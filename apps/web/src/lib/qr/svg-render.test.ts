/**
 * @jest-environment node
 */
// The SVG answered by GET /qr/… as Chromium sees it: opened on its own (so parsed as XML, under
// the route's CSP), rendered, screenshotted and decoded by zbarimg.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';

import { GET } from '@/app/qr/[...path]/route';

import { launchChromium } from '@/test-support/chromium';
import { decodeQrImage } from '@/test-support/zbar';

const BASE = 'https://trace.example.com';

let browser: Browser;
const savedEnv = { ...process.env };
beforeAll(async () => {
  process.env.PUBLIC_BASE_URL = BASE;
  browser = await launchChromium();
});
afterAll(async () => {
  process.env = { ...savedEnv };
  await browser?.close();
});

// Opens `path` of the route in a fresh page of `size` px, served exactly as the route answers.
const open = async (path: string, size: number) => {
  const response = await GET(new Request(`http://qr.test${path}`));
  const body = Buffer.from(await response.arrayBuffer());
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.route('http://qr.test/**', (route) =>
    route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body,
    }),
  );
  await page.goto(`http://qr.test${path}`);
  return page;
};

describe('the SVG QR code in Chromium', () => {
  it.each([
    [
      '/qr/01/9506000134352/10/ABC%2F1/21/42.svg?size=256&ecc=L',
      256,
      '/01/09506000134352/10/ABC%2F1/21/42',
    ],
    [
      '/qr/01/9506000134352/10/ABC%2F1/21/42.svg?size=256&ecc=H',
      256,
      '/01/09506000134352/10/ABC%2F1/21/42',
    ],
    ['/qr/01/95060002/21/x+y.svg?size=100&ecc=Q', 100, '/01/00000095060002/21/x%2By'],
    ['/qr/01/09506000134352.svg', 320, '/01/09506000134352'],
  ])('%s is a well-formed SVG document that renders and decodes', async (path, size, canonical) => {
    const page = await open(path, size);
    try {
      const doc = await page.evaluate(() => ({
        root: document.documentElement.tagName,
        namespace: document.documentElement.namespaceURI,
        errors: document.getElementsByTagName('parsererror').length,
        box: document.documentElement.getBoundingClientRect().toJSON() as Record<string, number>,
      }));
      expect(doc).toMatchObject({
        root: 'svg',
        namespace: 'http://www.w3.org/2000/svg',
        errors: 0,
      });
      expect(doc.box).toMatchObject({ width: size, height: size });
      const png = await page.screenshot({ clip: { x: 0, y: 0, width: size, height: size } });
      await expect(decodeQrImage(png)).resolves.toEqual([BASE + canonical]);
    } finally {
      await page.close();
    }
  });
});
