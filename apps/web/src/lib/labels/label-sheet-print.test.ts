/**
 * @jest-environment node
 */
// The label sheet in Chromium: served with the route's headers (its CSP must let the inline
// styles apply), laid out in millimetres, printed to A4 PDF pages, and every QR code decoded
// from a screenshot by zbarimg.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';

import { GET } from '@/app/labels/route';
import { launchChromium } from '@/test-support/chromium';
import { decodeQrImage } from '@/test-support/zbar';

const BASE = 'https://trace.example.com';
const MM = 96 / 25.4; // CSS px per mm

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

const open = async (query: string): Promise<Page> => {
  const response = await GET(new Request(`http://labels.test/labels?${query}`));
  expect(response.status).toBe(200);
  const body = await response.text();
  const page = await browser.newPage({
    viewport: { width: 900, height: 1200 },
    deviceScaleFactor: 2,
  });
  await page.route('http://labels.test/**', (route) =>
    route.fulfill({ status: 200, headers: Object.fromEntries(response.headers), body }),
  );
  await page.goto(`http://labels.test/labels?${query}`);
  return page;
};

// Page count and page size (points) of a PDF as Chromium writes it.
const pdfPages = (pdf: Buffer) => {
  const text = pdf.toString('latin1');
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
  return {
    pages: (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length,
    sizes: [
      ...new Set(boxes.map(([, w, h]) => `${Math.round(Number(w))}x${Math.round(Number(h))}`)),
    ],
  };
};

describe('the label sheet in Chromium', () => {
  it('prints 23 labels on two A4 pages, each label 63.5 × 38.1 mm, every QR code readable', async () => {
    const page = await open(
      'gtin=9506000134352&lot=ABC/1&serialFrom=0001&count=23&name=Arabica%20beans%20250%20g',
    );
    try {
      const labels = page.locator('article.label');
      await expect(labels.count()).resolves.toBe(23);
      const box = await labels.first().boundingBox();
      expect(box!.width / MM).toBeCloseTo(63.5, 1);
      expect(box!.height / MM).toBeCloseTo(38.1, 1);
      const qr = await labels.first().locator('svg').boundingBox();
      expect(qr!.width / MM).toBeCloseTo(28, 1);

      // Every label's code, read from its own screenshot (code and text together).
      for (let i = 0; i < 23; i++) {
        const label = labels.nth(i);
        const uri = await label.getAttribute('data-digital-link');
        expect(uri).toBe(
          `${BASE}/01/09506000134352/10/ABC%2F1/21/${String(i + 1).padStart(4, '0')}`,
        );
        await expect(decodeQrImage(await label.screenshot())).resolves.toEqual([uri]);
      }
      const text = await labels.nth(22).innerText();
      expect(text.split(/\n+/)).toEqual([
        'Arabica beans 250 g',
        '(01) 09506000134352',
        '(10) ABC/1',
        '(21) 0023',
      ]);

      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('.intro').isVisible()).resolves.toBe(false);
      const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true }));
      expect(pdf).toEqual({ pages: 2, sizes: ['595x842'] }); // A4 in points
    } finally {
      await page.close();
    }
  });

  it('prints a full page of 21 on exactly one page, and 500 labels on 24', async () => {
    for (const [count, pages] of [
      [21, 1],
      [500, 24],
    ] as const) {
      const page = await open(`gtin=09506000134352&serialFrom=1&count=${count}`);
      try {
        await page.emulateMedia({ media: 'print' });
        expect(pdfPages(await page.pdf({ preferCSSPageSize: true })).pages).toBe(pages);
      } finally {
        await page.close();
      }
    }
  });
});
