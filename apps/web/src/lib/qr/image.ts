import { create, type QRCodeToBufferOptions, toBuffer, toString as toQrString } from 'qrcode';

import type { Ecc } from './options';
import { invalidParameter } from './problem';

// The `qrcode` package encodes (ISO/IEC 18004: smallest version that holds the text, its own
// segment modes and mask) and renders: PNG through pngjs, SVG as a string. Both pure functions
// of the text and options, so equal requests give byte-identical images (see etag.ts).

export type QrPngOptions = {
  /** Requested width and height in pixels (the image may be 1 px smaller: see renderQrPng). */
  size: number;
  /** Quiet zone in modules. */
  margin: number;
  ecc: Ecc;
};

export type QrSvgOptions = {
  /** Quiet zone in modules. */
  margin: number;
  ecc: Ecc;
  /** Width and height attributes in pixels; none lets CSS size it (labels). */
  size?: number;
  /** Accessible name (`aria-label`); the caller's text, escaped here. */
  label?: string;
};

// The pngjs options that qrcode hands on (as `rendererOpts`) beyond the two @types/qrcode lists.
// Greyscale (colour type 0) and the Up filter alone (each pixel row of a module row repeats the
// one above): for a black and white code, 2–3 × smaller and faster than pngjs's RGBA with its
// per-row choice among all five filters.
type PngjsOptions = NonNullable<QRCodeToBufferOptions['rendererOpts']> & {
  colorType?: 0 | 2 | 4 | 6;
  filterType?: 0 | 1 | 2 | 3 | 4;
};

/** Modules across the symbol of `text` at `ecc`, quiet zone excluded (21 to 177). */
export const qrModuleCount = (text: string, ecc: Ecc): number =>
  create(text, { errorCorrectionLevel: ecc }).modules.size;

/**
 * The symbol as a PNG, `margin` modules of quiet zone included, `size` px wide as `qrcode`
 * draws it: modules of size / (modules + 2 × margin) px each (so not all the same whole number
 * of pixels), and an image side of ⌊(modules + 2 × margin) × that⌋, which floating point
 * sometimes makes `size` − 1.
 *
 * Throws INVALID_PARAMETER naming `size` when that would leave less than one pixel per module
 * (`qrcode` would silently draw a larger image at 4 px per module instead).
 */
export const renderQrPng = async (
  text: string,
  { size, margin, ecc }: QrPngOptions,
): Promise<Uint8Array<ArrayBuffer>> => {
  const side = qrModuleCount(text, ecc) + 2 * margin;
  if (size < side) {
    throw invalidParameter(
      'size',
      `${size} px is too small for this code: it needs at least ${side} px with margin ${margin}`,
    );
  }
  const options: QRCodeToBufferOptions & { rendererOpts: PngjsOptions } = {
    type: 'png',
    width: size,
    margin,
    errorCorrectionLevel: ecc,
    // A fresh object per call: qrcode and pngjs write the image's dimensions into it.
    rendererOpts: { colorType: 0, filterType: 2 },
  };
  return new Uint8Array(await toBuffer(text, options));
};

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The symbol as a standalone SVG document fragment, as `qrcode` draws it: black modules on a
 * white square (whatever the page's colour scheme: scanners need dark on light), `margin`
 * modules of quiet zone, `crispEdges`. With a `label`, the root element gets `role="img"` and
 * that accessible name, which `qrcode` has no option for.
 */
export const renderQrSvg = async (text: string, options: QrSvgOptions): Promise<string> => {
  const svg = await toQrString(text, {
    type: 'svg',
    margin: options.margin,
    errorCorrectionLevel: options.ecc,
    ...(options.size !== undefined && { width: options.size }),
  });
  if (options.label === undefined) return svg;
  return svg.replace('<svg ', `<svg role="img" aria-label="${escapeXml(options.label)}" `);
};
