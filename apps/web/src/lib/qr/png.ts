import { crc32, deflateSync } from 'node:zlib';

import { invalidParameter } from './problem';
import { isDark, type QrMatrix } from './matrix';

export type PngOptions = {
  /** Width and height of the image in pixels. */
  size: number;
  /** Quiet zone in modules (at least; see renderQrPng). */
  margin: number;
};

// PNG (ISO/IEC 15948, RFC 2083) signature and chunk framing: length, type, data, CRC-32 of type
// and data.
const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const chunk = (type: string, data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
};

// IHDR: width, height, bit depth 1, colour type 0 (greyscale: 0 black, 1 white), deflate, no
// filtering beyond type 0 per row, no interlace. One bit per pixel keeps a 2048 px code small.
const header = (size: number): Uint8Array => {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  data.set([1, 0, 0, 0, 0], 8);
  return data;
};

/**
 * The symbol as a `size` × `size` px, 1-bit greyscale PNG. Every module is the same whole
 * number of pixels (the largest that fits), so edges stay sharp; the pixels left over widen the
 * quiet zone evenly beyond `margin` modules.
 *
 * Throws INVALID_PARAMETER naming `size` when fewer than one pixel per module would be left.
 */
export const renderQrPng = (
  matrix: QrMatrix,
  { size, margin }: PngOptions,
): Uint8Array<ArrayBuffer> => {
  const side = matrix.size + 2 * margin;
  const scale = Math.floor(size / side);
  if (scale < 1) {
    throw invalidParameter(
      'size',
      `${size} px is too small for this code: it needs at least ${side} px with margin ${margin}`,
    );
  }
  const offset = Math.floor((size - matrix.size * scale) / 2);
  const rowBytes = 1 + Math.ceil(size / 8); // filter type byte 0 (None), then 8 pixels per byte
  const raw = new Uint8Array(rowBytes * size).fill(0xff); // white
  for (let y = 0; y < size; y++) raw[y * rowBytes] = 0;
  // The `scale` pixel rows of one module row are equal: build the first, copy it.
  for (let row = 0; row < matrix.size; row++) {
    const first = (offset + row * scale) * rowBytes;
    for (let col = 0; col < matrix.size; col++) {
      if (!isDark(matrix, row, col)) continue;
      for (let x = offset + col * scale; x < offset + (col + 1) * scale; x++) {
        raw[first + 1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
      }
    }
    for (let copy = 1; copy < scale; copy++) {
      raw.copyWithin(first + copy * rowBytes, first, first + rowBytes);
    }
  }
  const parts = [
    SIGNATURE,
    chunk('IHDR', header(size)),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    png.set(part, at);
    at += part.length;
  }
  return png;
};
