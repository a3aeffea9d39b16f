import { describe, expect, it } from '@jest/globals';

import { qrModuleCount, renderQrPng, renderQrSvg } from './image';
import { ProblemError } from './problem';
import { decodeQrImage } from '@/test-support/zbar';

const URI = 'http://localhost:3001/01/09506000134352/10/ABC%2F1/21/42';

// The signature and the IHDR fields (ISO/IEC 15948 §11.2.2), which follow it at offset 8.
const pngHeader = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return {
    signature: Array.from(png.subarray(0, 8)),
    chunk: new TextDecoder().decode(png.subarray(12, 16)),
    width: view.getUint32(16),
    height: view.getUint32(20),
    bitDepth: view.getUint8(24),
    colourType: view.getUint8(25),
  };
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// A hang guard for the tests that draw 2048 px PNGs, not a timing assertion: one takes ≈ 0.3 s in
// plain Node but ≈ 20 s inside jest's VM on an idle 2-core machine, and CI runs every workspace's
// suite at once, where it once overran the preset's 60 s.
const LARGE_PNG_TIMEOUT_MS = 240_000;

describe(qrModuleCount.name, () => {
  it('is the side of the smallest version that holds the text at that level', () => {
    // versions 3, 4, 4 and 6
    expect(['L', 'M', 'Q', 'H'].map((ecc) => qrModuleCount(URI, ecc as 'L'))).toEqual([
      29, 33, 33, 41,
    ]);
  });
});

describe(renderQrPng.name, () => {
  it.each([64, 100, 320, 333, 2048])(
    'writes a square 8-bit greyscale PNG of %i px',
    async (size) => {
      const png = pngHeader(await renderQrPng(URI, { size, margin: 0, ecc: 'L' }));
      expect(png).toEqual({
        signature: PNG_SIGNATURE,
        chunk: 'IHDR',
        width: size,
        height: size,
        bitDepth: 8,
        colourType: 0,
      });
    },
    LARGE_PNG_TIMEOUT_MS,
  );

  // qrcode scales by size / (modules + 2 × margin) and floors (modules + 2 × margin) × that
  // product: floating point makes it size − 1 for a few sizes (about 1 in 20).
  it.each([
    [118, 0], // 29 modules
    [78, 4], // 37
  ])('writes %i px with margin %i as a square PNG one pixel short', async (size, margin) => {
    const png = pngHeader(await renderQrPng(URI, { size, margin, ecc: 'L' }));
    expect(png).toMatchObject({ width: size - 1, height: size - 1 });
  });

  it('is never more than one pixel short of `size`, and always square', async () => {
    for (let size = 64; size <= 400; size += 21) {
      const { width, height } = pngHeader(await renderQrPng(URI, { size, margin: 4, ecc: 'M' }));
      expect(height).toBe(width);
      expect([size - 1, size]).toContain(width);
    }
  });

  it('refuses a size with less than one pixel per module, naming `size`', async () => {
    // version 6: 41 modules, 57 with the quiet zone
    const render = (size: number) => renderQrPng(URI, { size, margin: 8, ecc: 'H' });
    await expect(render(56)).rejects.toThrow(ProblemError);
    await expect(render(56)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'size',
      message: 'size: 56 px is too small for this code: it needs at least 57 px with margin 8',
    });
    expect(pngHeader(await render(57))).toMatchObject({ width: 57, height: 57 });
  });

  it.each([
    ['L', 64, 4],
    ['L', 118, 0],
    ['M', 320, 4],
    ['Q', 200, 0],
    ['H', 2048, 16],
  ] as const)(
    'decodes (zbarimg) at ecc %s, %i px, margin %i',
    async (ecc, size, margin) => {
      const png = await renderQrPng(URI, { size, margin, ecc });
      await expect(decodeQrImage(png)).resolves.toEqual([URI]);
    },
    LARGE_PNG_TIMEOUT_MS,
  );
});

describe(renderQrSvg.name, () => {
  it('draws the symbol and its quiet zone in a viewBox of modules, `size` px wide', async () => {
    const svg = await renderQrSvg(URI, { margin: 4, ecc: 'H', size: 200 });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(svg).toContain(' width="200" height="200"');
    expect(svg).toContain(' viewBox="0 0 49 49"'); // 41 + 2 × 4
    expect(svg).not.toContain('aria-label');
  });

  it('has no width without `size` (CSS sizes it), and escapes the accessible name', async () => {
    const svg = await renderQrSvg(URI, { margin: 0, ecc: 'L', label: `<a href="x">'&` });
    expect(svg).not.toContain('width=');
    expect(svg).toContain(' viewBox="0 0 29 29"');
    expect(
      svg.startsWith('<svg role="img" aria-label="&#60;a href=&#34;x&#34;&#62;&#39;&#38;" '),
    ).toBe(true);
  });
});
