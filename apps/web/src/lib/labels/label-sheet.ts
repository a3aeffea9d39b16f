import { renderQrSvg } from '@/lib/qr/image';

import { type Html, html, trustedHtml } from './html';
import type { Label, LabelSheet } from './label-request';

/**
 * The label stock the sheet is laid out for, in millimetres: A4 with 3 × 7 labels of 63.5 ×
 * 38.1 mm (Avery L7160 / J8160 and their many equivalents): 7.25 + 3 × 63.5 + 2 × 2.5 + 7.25 =
 * 210 across, 15.15 + 7 × 38.1 + 15.15 = 297 down.
 */
export const LABEL_STOCK = {
  columns: 3,
  rows: 7,
  labelWidth: 63.5,
  labelHeight: 38.1,
  columnGap: 2.5,
  marginTop: 15.15,
  marginLeft: 7.25,
} as const;

export const LABELS_PER_PAGE = LABEL_STOCK.columns * LABEL_STOCK.rows;

// The QR code's own quiet zone, in modules. The label's padding (2.5 mm ≈ 4 modules) adds to
// it, so together they exceed the 4 modules ISO/IEC 18004 asks for.
const LABEL_QR_MARGIN = 2;

const s = LABEL_STOCK;
// `@page { margin: 0 }`: the sheet positions the labels itself, and a page without margins
// leaves the browser no room to print its date / URL header and footer across the labels.
const STYLE = `
@page { size: A4; margin: 0; }
:root { color-scheme: light; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: #e4e8e6; color: #000;
  font: 10pt/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; }
.intro { max-width: 210mm; margin: 0 auto; padding: 6mm 4mm 3mm; }
.intro h1 { margin: 0 0 1mm; font-size: 14pt; }
.intro p { margin: 0 0 1mm; }
.sheet { width: 210mm; height: 297mm; margin: 0 auto 8mm; background: #fff; overflow: hidden;
  padding: ${s.marginTop}mm ${s.marginLeft}mm 0; display: grid; align-content: start;
  grid-template-columns: repeat(${s.columns}, ${s.labelWidth}mm);
  grid-auto-rows: ${s.labelHeight}mm; column-gap: ${s.columnGap}mm;
  box-shadow: 0 0.5mm 2mm rgb(0 0 0 / 0.3); }
.label { display: flex; align-items: center; gap: 2mm; padding: 2.5mm; overflow: hidden; }
.label svg { flex: none; width: 28mm; height: 28mm; }
.text { min-width: 0; font-size: 2.3mm; line-height: 1.3; overflow-wrap: anywhere; }
.name { margin: 0 0 1mm; font-size: 2.6mm; font-weight: 700; overflow: hidden;
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; }
.hri { margin: 0; font-variant-numeric: tabular-nums; word-break: break-all; }
@media screen { .label { outline: 0.2mm dashed #c3cbc7; outline-offset: -0.1mm; } }
@media print {
  body { background: none; }
  .intro { display: none; }
  .sheet { margin: 0; box-shadow: none; break-after: page; }
  .sheet:last-child { break-after: auto; }
}
`;

/** GS1 human-readable interpretation: each element as "(AI) value" (GS1 General Specs §4.15). */
export const humanReadable = (label: Label): string[] => [
  `(01) ${label.gtin}`,
  ...(label.lot === undefined ? [] : [`(10) ${label.lot}`]),
  ...(label.serial === undefined ? [] : [`(21) ${label.serial}`]),
];

const renderLabel = async (label: Label, sheet: LabelSheet): Promise<Html> => {
  const svg = await renderQrSvg(label.uri, {
    margin: LABEL_QR_MARGIN,
    ecc: sheet.ecc,
    label: label.uri,
  });
  return html`<article class="label" data-digital-link="${label.uri}">
    ${trustedHtml(svg)}
    <div class="text">
      ${
        sheet.name === undefined ? [] : [html`<p class="name">${sheet.name}</p>`]
      }${humanReadable(label).map((line) => html`<p class="hri">${line}</p>`)}
    </div>
  </article>`;
};

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

const describeSheet = (sheet: LabelSheet): string => {
  const first = sheet.labels[0];
  const parts = [
    sheet.name,
    first && `(01) ${first.gtin}`,
    first?.lot === undefined ? undefined : `(10) ${first.lot}`,
  ];
  return parts.filter((p) => p !== undefined).join(' · ');
};

/**
 * The sheet as a standalone HTML document that prints as A4 pages of LABEL_STOCK labels, each
 * with its QR code as inline SVG and its human-readable text. No script: it works (and prints)
 * without JavaScript. On screen the pages are shown on a grey desk with a short instruction.
 */
export const renderLabelSheet = async (sheet: LabelSheet): Promise<string> => {
  const labels = await Promise.all(sheet.labels.map((label) => renderLabel(label, sheet)));
  const pages = chunk(labels, LABELS_PER_PAGE);
  const count = sheet.labels.length;
  const about = describeSheet(sheet);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Labels · ${about} · Traceroot</title>
        <style>
          ${trustedHtml(STYLE)}
        </style>
      </head>
      <body>
        <header class="intro">
          <h1>${plural(count, 'label')} on ${plural(pages.length, 'A4 page')}</h1>
          <p>${about}</p>
          <p>
            For sheets of ${LABELS_PER_PAGE} labels of ${s.labelWidth} × ${s.labelHeight} mm
            (${s.columns} × ${s.rows}, e.g. Avery L7160). Print at 100 % (“actual size”), margins
            “none”. Each QR code opens the product’s Traceroot page.
          </p>
        </header>
        <main>
          ${pages.map(
            (onPage, i) =>
              html`<section class="sheet" aria-label="Page ${i + 1} of ${pages.length}">
                ${onPage}
              </section> `,
          )}
        </main>
      </body>
    </html> `;
  return page.html;
};
