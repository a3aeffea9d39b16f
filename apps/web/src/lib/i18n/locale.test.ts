import { describe, expect, it } from '@jest/globals';

import { localeFromAcceptLanguage, pickLocale } from './locale';
import { fill, MESSAGES } from './messages';

describe('the page language', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,zh-TW;q=0.5', 'zh-CN'],
    ['fr, de;q=0.5', undefined],
    ['en;q=0.1, zh;q=0.9', 'zh-CN'],
    ['zh;q=0, en', 'en'],
    ['', undefined],
  ])('Accept-Language %j → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  it('an explicit choice wins over the cookie, which wins over the header; English by default', () => {
    expect(pickLocale('en', 'zh-CN', 'zh-CN')).toBe('en');
    expect(pickLocale(undefined, 'zh-CN', 'en')).toBe('zh-CN');
    expect(pickLocale('xx', undefined, 'zh')).toBe('zh-CN');
    expect(pickLocale(undefined, undefined, 'fr')).toBe('en');
  });

  it('has every message in both languages', () => {
    const keys = (value: unknown, prefix = ''): string[] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([k, v]) => keys(v, `${prefix}${k}.`))
        : [prefix];
    expect(keys(MESSAGES['zh-CN'])).toEqual(keys(MESSAGES.en));
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('{n} of {total} {x}', { n: 3, total: 4 })).toBe('3 of 4 {x}');
  });
});
