import { describe, expect, it } from '@jest/globals';
import { parseDigitalLink, TraceError } from '@traceroot/trace';

import { canonicalDigitalLink, canonicalDigitalLinkOfPath } from './digital-link';
import { ProblemError } from './problem';

const BASE = 'https://trace.example.com';

// The library's own reason for refusing `path`, which the problem detail must repeat.
const libraryReason = (path: string): string => {
  try {
    parseDigitalLink(`https://id.gs1.org${path}`);
  } catch (error) {
    if (error instanceof TraceError) return error.message;
  }
  throw new Error(`the library accepts ${path}`);
};

const refusal = (run: () => unknown): ProblemError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe(canonicalDigitalLinkOfPath.name, () => {
  it.each([
    // GTIN-8, -12, -13 and -14 all become GTIN-14
    ['/01/95060002', '/01/00000095060002'],
    ['/01/950600013439', '/01/00950600013439'],
    ['/01/9506000134352', '/01/09506000134352'],
    ['/01/09506000134352', '/01/09506000134352'],
    // percent-encoding exactly where RFC 3986 requires, whatever the request used
    ['/01/09506000134352/10/ABC%2F1', '/01/09506000134352/10/ABC%2F1'],
    ['/01/09506000134352/10/%41BC', '/01/09506000134352/10/ABC'],
    [
      "/01/09506000134352/10/A!'()*+,;:=B",
      '/01/09506000134352/10/A%21%27%28%29%2A%2B%2C%3B%3A%3DB',
    ],
    ['/01/09506000134352/21/x%25y', '/01/09506000134352/21/x%25y'],
    ['/01/9506000134352/10/ABC%2F1/21/42', '/01/09506000134352/10/ABC%2F1/21/42'],
    // the deprecated convenience alphas are read, never written; a trailing slash is dropped
    ['/gtin/09506000134352/lot/L1/ser/7', '/01/09506000134352/10/L1/21/7'],
    ['/01/09506000134352/21/7/', '/01/09506000134352/21/7'],
  ])('%s → %s', (path, canonical) => {
    expect(canonicalDigitalLinkOfPath(path, BASE)).toBe(BASE + canonical);
  });

  it('keeps a path prefix of the base', () => {
    expect(canonicalDigitalLinkOfPath('/01/09506000134352', `${BASE}/dl`)).toBe(
      `${BASE}/dl/01/09506000134352`,
    );
  });

  it.each([
    '/01/09506000134353', // check digit
    '/01/0950600013435', // length
    '/99/123', // no primary key
    '/01/09506000134352/99/x', // not a qualifier of (01)
    '/01/09506000134352/10/a%20b', // space is outside CSET 82
    '/01/09506000134352/10/%C3%A9', // so is é
    '/01/09506000134352/10/ABCDEFGHIJKLMNOPQRSTU', // 21 characters, AI (10) takes 20
    '/01/09506000134352/21/1/10/L', // qualifier order
    '/01/09506000134352/10/a%2', // bad percent-encoding
    '/01/09506000134352/10', // no value
  ])('refuses %s with the library reason as detail', (path) => {
    const error = refusal(() => canonicalDigitalLinkOfPath(path, BASE));
    expect(error.code).toBe('INVALID_IDENTIFIER');
    expect(error.message).toBe(libraryReason(path));
  });

  it.each([
    ['/00/095060001343520000', 'QR codes are made for GTINs (AI 01), not for primary key (00)'],
    [
      '/01/09506000134352/22/CPV1',
      'QR codes carry a lot (10) and a serial number (21) only, not AI (22)',
    ],
    ['/x/01/09506000134352', "'/x' precedes the primary key: the path must start with /01/{gtin}"],
  ])('refuses %s, which no consumer page resolves', (path, detail) => {
    const error = refusal(() => canonicalDigitalLinkOfPath(path, BASE));
    expect(error.code).toBe('INVALID_IDENTIFIER');
    expect(error.message).toBe(detail);
  });
});

describe(canonicalDigitalLink.name, () => {
  it('formats GTIN, lot and serial in the order the standard prescribes, encoded', () => {
    expect(canonicalDigitalLink({ gtin: '9506000134352', lot: 'ABC/1', serial: '4+2' }, BASE)).toBe(
      `${BASE}/01/09506000134352/10/ABC%2F1/21/4%2B2`,
    );
    expect(canonicalDigitalLink({ gtin: '95060002', serial: '1' }, BASE)).toBe(
      `${BASE}/01/00000095060002/21/1`,
    );
  });

  it('refuses what the library refuses, with its reason', () => {
    const error = refusal(() => canonicalDigitalLink({ gtin: '09506000134353' }, BASE));
    expect(error).toMatchObject({ code: 'INVALID_IDENTIFIER' });
    expect(error.message).toBe(libraryReason('/01/09506000134353'));
  });
});
