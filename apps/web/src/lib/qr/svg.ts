import { isDark, type QrMatrix } from './matrix';

export type SvgOptions = {
  /** Quiet zone in modules. */
  margin: number;
  /** Width and height attributes in pixels; none lets CSS size it (labels). */
  size?: number;
  /** Accessible name (`aria-label`); the caller's text, escaped here. */
  label?: string;
};

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

// One filled rectangle per horizontal run of dark modules, in module units: a few kB for a
// Digital Link code, and filled shapes (not strokes) leave no hairline seams when scaled.
const darkRunsPath = (matrix: QrMatrix, margin: number): string => {
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!isDark(matrix, row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && isDark(matrix, row, col)) col++;
      parts.push(`M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`);
    }
  }
  return parts.join('');
};

/**
 * The symbol as a standalone SVG document fragment: black modules on a white square (always,
 * whatever the page's colour scheme: scanners need dark on light), `margin` modules of quiet
 * zone, `crispEdges` so rasterisers do not blur module edges.
 */
export const renderQrSvg = (matrix: QrMatrix, options: SvgOptions): string => {
  const side = matrix.size + 2 * options.margin;
  const size =
    options.size === undefined ? '' : ` width="${options.size}" height="${options.size}"`;
  const label =
    options.label === undefined ? '' : ` role="img" aria-label="${escapeXml(options.label)}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}"${size}${label}` +
    ` shape-rendering="crispEdges">` +
    `<rect width="${side}" height="${side}" fill="#fff"/>` +
    `<path fill="#000" d="${darkRunsPath(matrix, options.margin)}"/>` +
    `</svg>`
  );
};
