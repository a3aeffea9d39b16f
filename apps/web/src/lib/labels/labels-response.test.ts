import { describe, expect, it } from '@jest/globals';

import { prefersHtml } from './labels-response';

describe(prefersHtml.name, () => {
  it.each([
    // Chromium and Firefox navigations
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/*', true],
    ['text/html;q=0.9, application/json;q=0.5', true],
    [null, false],
    ['', false],
    ['*/*', false], // curl, fetch(): a tie goes to problem+json
    ['application/json', false],
    ['application/problem+json, text/html;q=0.5', false],
    ['text/html;q=0, */*', false],
    ['TEXT/HTML', true],
  ])('Accept: %s → %s', (accept, want) => {
    expect(prefersHtml(accept)).toBe(want);
  });
});
