import { localeFromAcceptLanguage } from '../i18n/locale';
import { MESSAGES } from '../i18n/messages';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The 400 page for an invalid Digital Link: a complete, self-contained HTML document (the
 * resolver answers before any page renders), in the reader's language, naming what is wrong.
 */
export const invalidLinkPage = (
  pathname: string,
  reason: string,
  acceptLanguage: string | null,
): string => {
  const locale = localeFromAcceptLanguage(acceptLanguage) ?? 'en';
  const t = MESSAGES[locale].invalid;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<style>body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.6;background:#fbfcfa;color:#1b1f1d}
main{max-width:40rem;margin:0 auto;padding:2.5rem 1.25rem}h1{color:#8a2c1b;font-size:1.6rem;line-height:1.25}
code{word-break:break-all;background:#eef1ee;padding:.1rem .3rem;border-radius:.25rem}.reason{border-left:4px solid #8a2c1b;padding:.5rem 1rem;background:#fbeeea}</style>
</head><body><main>
<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.body)}</p>
<p><code>${escapeHtml(decodeURIComponentSafe(pathname))}</code></p>
<div class="reason" role="alert"><strong>${escapeHtml(t.reason)}:</strong> <span id="reason">${escapeHtml(reason)}</span></div>
</main></body></html>`;
};

const decodeURIComponentSafe = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
