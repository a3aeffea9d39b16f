import { create } from 'qrcode';

import type { Ecc } from './options';

/** A QR code symbol: `size` × `size` modules, row-major, 1 = dark. No quiet zone. */
export type QrMatrix = { size: number; version: number; modules: Uint8Array };

/**
 * Encodes `text` as a QR code (ISO/IEC 18004) at error correction level `ecc`, in the smallest
 * version that holds it; the `qrcode` package picks the segment modes and the mask.
 *
 * Precondition: `text` fits a version 40 symbol (a Digital Link of at most a GTIN, a lot and a
 * serial is < 130 characters; version 40-H holds 1,273 bytes).
 */
export const encodeQr = (text: string, ecc: Ecc): QrMatrix => {
  const { modules, version } = create(text, { errorCorrectionLevel: ecc });
  return { size: modules.size, version, modules: Uint8Array.from(modules.data) };
};

export const isDark = (matrix: QrMatrix, row: number, col: number): boolean =>
  matrix.modules[row * matrix.size + col] === 1;
