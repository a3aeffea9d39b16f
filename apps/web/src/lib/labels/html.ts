// A minimal HTML builder for pages served by route handlers: interpolated values are escaped
// unless they are already Html, so user input (lots, serials, names) can never become markup.

export type Html = { readonly html: string };

type Value = string | number | Html | readonly Html[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Markup the caller vouches for (e.g. a QR code's SVG from the `qrcode` package). */
export const trustedHtml = (html: string): Html => ({ html });

const render = (value: Value): string => {
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((item: Html) => item.html).join('');
  return (value as Html).html;
};

export const html = (strings: TemplateStringsArray, ...values: Value[]): Html =>
  trustedHtml(strings.reduce((out, s, i) => out + render(values[i - 1]!) + s));
