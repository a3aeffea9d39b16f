import { describe, expect, it } from '@jest/globals';

import { SITE, siteMetadata, siteViewport } from './site';

describe('site metadata', () => {
  it('keeps the meta description within what search results show', () => {
    expect(SITE.description.length).toBeGreaterThan(50);
    expect(SITE.description.length).toBeLessThanOrEqual(160);
    expect(siteMetadata.description).toBe(SITE.description);
  });

  it('titles pages as "<page> · Traceroot" and the home page with the tagline', () => {
    expect(siteMetadata.title).toEqual({
      default: 'Traceroot: Supply-chain traceability you can check yourself',
      template: '%s · Traceroot',
    });
  });

  it('states what Traceroot is in a single paragraph', () => {
    expect(SITE.summary).not.toMatch(/\n/);
    expect(SITE.summary).not.toMatch(/\s{2,}/);
    expect(SITE.summary).toMatch(/^Traceroot /);
    expect(SITE.summary.trim()).toBe(SITE.summary);
  });

  it('lays pages out for phones', () => {
    expect(siteViewport).toMatchObject({ width: 'device-width', initialScale: 1 });
  });
});
