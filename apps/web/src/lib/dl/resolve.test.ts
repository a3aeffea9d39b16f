import { describe, expect, it } from '@jest/globals';

import { linksetFor, linksFor } from './links';
import { canonicalPathOfSegments, linkTypeOf, resolveDigitalLink } from './resolve';

const bases = { publicBase: 'https://trace.example', apiPublic: 'https://api.trace.example' };
const links = (path: string) => linksFor(path, bases);
const resolve = (path: string, search = '', accept: string | null = 'text/html') =>
  resolveDigitalLink(path, search, accept, links);

describe('the Digital Link resolver', () => {
  it.each([
    '/01/09506000134352',
    '/01/09506000134352/10/ABC',
    '/01/09506000134352/10/ABC/21/42',
    '/01/09506000134352/21/42',
  ])('serves the page for the canonical %s', (path) => {
    expect(resolve(path)).toMatchObject({ kind: 'page', path });
  });

  it.each([
    ['/01/9506000134352/21/42', '/01/09506000134352/21/42'], // GTIN-13
    ['/01/036000291452/21/42', '/01/00036000291452/21/42'], // GTIN-12
    ['/01/95012346', '/01/00000095012346'], // GTIN-8
    ['/gtin/09506000134352', '/01/09506000134352'], // a Digital Link 1.0 alpha
    ['/01/09506000134352/10/A%2dB', '/01/09506000134352/10/A-B'], // needless escape
  ])('redirects %s to the canonical %s (301), keeping the query', (path, canonical) => {
    expect(resolve(path, '?lang=zh-CN')).toEqual({
      kind: 'redirect',
      status: 301,
      location: `${canonical}?lang=zh-CN`,
    });
  });

  it.each([
    ['/01/09506000134353', 'check digit'],
    ['/01/09506000134352/21/42/10/ABC', 'must come before'],
    ['/01/09506000134352/99999/1', '99999'],
    ['/01/09506000134352/10/' + 'L'.repeat(21), '10'],
  ])('refuses %s with the reason', (path, reason) => {
    const resolution = resolve(path);
    expect(resolution.kind).toBe('invalid');
    expect(resolution.kind === 'invalid' && resolution.reason).toContain(reason);
  });

  it('answers the linkset for ?linkType=all and for Accept: application/linkset+json only', () => {
    expect(resolve('/01/09506000134352', '?linkType=all')).toEqual({
      kind: 'linkset',
      path: '/01/09506000134352',
    });
    expect(resolve('/01/9506000134352', '', 'application/linkset+json')).toEqual({
      kind: 'linkset',
      path: '/01/09506000134352',
    });
    expect(
      resolve('/01/09506000134352', '', 'text/html,application/xhtml+xml,*/*;q=0.8').kind,
    ).toBe('page');
  });

  it.each([
    ['gs1:epcis', 'https://api.trace.example/events?MATCH_anyEPCClass='],
    ['https://gs1.org/voc/traceability', 'https://api.trace.example/trace/'],
    ['gs1:pip', 'https://trace.example/01/09506000134352/10/ABC'],
    ['gs1:nutritionInfo', 'https://trace.example/01/09506000134352/10/ABC'], // not here: the default
  ])('redirects ?linkType=%s (307)', (type, target) => {
    const resolution = resolve(
      '/01/09506000134352/10/ABC',
      `?linkType=${encodeURIComponent(type)}`,
    );
    expect(resolution).toMatchObject({ kind: 'redirect', status: 307 });
    expect(resolution.kind === 'redirect' && resolution.location).toContain(target);
  });

  it('queries a serialised item by its EPC (GTIN + serial, no lot)', () => {
    const epcis = links('/01/09506000134352/10/ABC/21/42')['gs1:epcis']!;
    expect(decodeURIComponent(epcis)).toBe(
      'https://api.trace.example/events?MATCH_anyEPC=https://id.gs1.org/01/09506000134352/21/42',
    );
  });

  it('builds an RFC 9264 linkset whose default link is the page', () => {
    const path = '/01/09506000134352/21/42';
    const set = linksetFor(path, linksFor(path, bases, true), bases.publicBase).linkset[0]!;
    expect(set.anchor).toBe('https://trace.example/01/09506000134352/21/42');
    expect(Object.keys(set).sort()).toEqual(
      [
        'anchor',
        ...['defaultLink', 'epcis', 'pip', 'recallStatus', 'traceability'].map(
          (t) => `https://gs1.org/voc/${t}`,
        ),
      ].sort(),
    );
    expect(set['https://gs1.org/voc/defaultLink']).toEqual([
      expect.objectContaining({ href: `${bases.publicBase}${path}` }),
    ]);
  });

  it('knows link types by compact name and by URI', () => {
    expect(linkTypeOf('gs1:pip')).toBe('gs1:pip');
    expect(linkTypeOf('https://gs1.org/voc/recallStatus')).toBe('gs1:recallStatus');
    expect(linkTypeOf('gs1:unknown')).toBeUndefined();
  });

  it('turns a page route’s decoded segments into the canonical path', () => {
    expect(canonicalPathOfSegments(['09506000134352', '10', 'A/B', '21', '1'])).toBe(
      '/01/09506000134352/10/A%2FB/21/1',
    );
    expect(canonicalPathOfSegments(['09506000134353'])).toBeUndefined();
  });
});
