import { inflateSync } from 'node:zlib';

import { describe, expect, it } from '@jest/globals';

import { encodeQr } from './matrix';
import { renderQrPng } from './png';
import { ProblemError } from './problem';
import { decodeQrImage } from './test-support/zbar';

const URI = 'http://localhost:3001/01/09506000134352/10/ABC%2F1/21/42';

// The IHDR fields and the decompressed rows of a PNG written by renderQrPng.
const readPng = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks = new Map<string, Uint8Array>();
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    chunks.set(type, png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const ihdr = new DataView(chunks.get('IHDR')!.buffer, chunks.get('IHDR')!.byteOffset);
  return {
    signature: Array.from(png.subarray(0, 8)),
    width: ihdr.getUint32(0),
    height: ihdr.getUint32(4),
    bitDepth: ihdr.getUint8(8),
    colourType: ihdr.getUint8(9),
    rows: inflateSync(chunks.get('IDAT')!),
    types: [...chunks.keys()],
  };
};

// Whether pixel (x, y) of a 1-bit greyscale image is black.
const isBlack = (rows: Uint8Array, size: number, x: number, y: number): boolean =>
  ((rows[y * (1 + Math.ceil(size / 8)) + 1 + (x >> 3)]! >> (7 - (x & 7))) & 1) === 0;

describe(renderQrPng.name, () => {
  it.each([64, 100, 320, 333, 2048])('writes a square 1-bit greyscale PNG of %i px', (size) => {
    const png = readPng(renderQrPng(encodeQr(URI, 'L'), { size, margin: 0 }));
    expect(png.signature).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(png).toMatchObject({ width: size, height: size, bitDepth: 1, colourType: 0 });
    expect(png.rows.length).toBe(size * (1 + Math.ceil(size / 8)));
  });

  it('draws whole-pixel modules, centred, with at least `margin` modules of white around', () => {
    const matrix = encodeQr(URI, 'M');
    const size = 320;
    const margin = 4;
    const scale = Math.floor(size / (matrix.size + 2 * margin));
    const offset = Math.floor((size - matrix.size * scale) / 2);
    const { rows } = readPng(renderQrPng(matrix, { size, margin }));
    expect(offset).toBeGreaterThanOrEqual(margin * scale);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const row = Math.floor((y - offset) / scale);
        const col = Math.floor((x - offset) / scale);
        const inside = y >= offset && x >= offset && row < matrix.size && col < matrix.size;
        const want = inside && matrix.modules[row * matrix.size + col] === 1;
        if (isBlack(rows, size, x, y) !== want) throw new Error(`pixel ${x},${y} is wrong`);
      }
    }
  });

  it('refuses a size with less than one pixel per module, naming `size`', () => {
    const matrix = encodeQr(URI, 'H'); // version 6: 41 modules, 57 with the quiet zone
    expect(matrix.size).toBe(41);
    const render = () => renderQrPng(matrix, { size: 56, margin: 8 });
    expect(render).toThrow(ProblemError);
    expect(render).toThrow('size: 56 px is too small for this code: it needs at least 57 px');
    expect(() => renderQrPng(matrix, { size: 57, margin: 8 })).not.toThrow();
  });

  it.each([
    ['L', 64, 4],
    ['M', 320, 4],
    ['Q', 200, 0],
    ['H', 2048, 16],
  ] as const)('decodes (zbarimg) at ecc %s, %i px, margin %i', async (ecc, size, margin) => {
    const png = renderQrPng(encodeQr(URI, ecc), { size, margin });
    await expect(decodeQrImage(png)).resolves.toEqual([URI]);
  });
});
