/** The request header by which the resolver (proxy.ts) tells the layout and the page the locale. */
export const LOCALE_HEADER = 'x-traceroot-locale';

/** `value` if it is one of our locales. */
export const asLocale = (value: string | null | undefined): Locale | undefined =>
  LOCALES.find((locale) => locale === value);

/** The languages of the consumer pages. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

const matchLocale = (tag: string): Locale | undefined => {
  const lower = tag.trim().toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  // Chinese in any script or region reads the Simplified page (the only Chinese one).
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  return undefined;
};

/** The preferred of our locales in an Accept-Language header (RFC 9110 §12.5.4), if any. */
export const localeFromAcceptLanguage = (header: string | null | undefined): Locale | undefined => {
  const ranked = (header ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag, q: q === undefined ? 1 : Number(q), order };
    })
    .filter((entry) => entry.q > 0 && entry.tag.trim() !== '')
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranked) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return undefined;
};

/** The page's locale: an explicit choice (`?lang=`, then the cookie), else Accept-Language, else English. */
export const pickLocale = (
  langParam: string | undefined,
  cookie: string | undefined,
  acceptLanguage: string | null | undefined,
): Locale =>
  (langParam ? matchLocale(langParam) : undefined) ??
  (cookie ? matchLocale(cookie) : undefined) ??
  localeFromAcceptLanguage(acceptLanguage) ??
  'en';
