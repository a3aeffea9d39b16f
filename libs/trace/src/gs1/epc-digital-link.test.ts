import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { expectTraceError } from '../../test/support/trace-error.js';

import { CSET39, CSET82 } from './charset.js';
import { digitalLinkToEpcUri, epcUriToDigitalLink } from './epc-digital-link.js';
import { type EpcScheme, type EpcUri, SCHEMES } from './epc-schemes.js';
import { formatEpcUri } from './epc-uri.js';

// [EPC URI, Digital Link path, GS1 Company Prefix length] — DL on https://id.gs1.org.
const PAIRS: [string, string, number][] = [
  // EPC TDS 2.3 Annex E.3 ("Summary Examples of All EPC schemes"): EPC URI ⇄ GS1 Digital Link.
  ['urn:epc:id:sgtin:95060001343.05.32a%2Fb', '/01/09506000134352/21/32a%2Fb', 11],
  // E.3 prints the SGTIN-96 EPC URI as "….05.1234567896789", a typo: its Tag URI ends .123456789.
  ['urn:epc:id:sgtin:95060001343.05.123456789', '/01/09506000134352/21/123456789', 11],
  ['urn:epc:id:sscc:952012.03456789123', '/00/095201234567891235', 6],
  ['urn:epc:id:sgln:9521141.12345.5678', '/414/9521141123454/254/5678', 7],
  ['urn:epc:id:sgln:9521141.12345.32a%2Fb', '/414/9521141123454/254/32a%2Fb', 7],
  ['urn:epc:id:grai:9521141.12345.5678', '/8003/095211411234545678', 7],
  ['urn:epc:id:grai:9521141.12345.32a%2Fb', '/8003/0952114112345432a%2Fb', 7],
  ['urn:epc:id:giai:9521141.5678', '/8004/95211415678', 7],
  ['urn:epc:id:giai:9521141.32a%2Fb', '/8004/952114132a%2Fb', 7],
  ['urn:epc:id:gsrn:9521141.1234567890', '/8018/952114112345678906', 7],
  ['urn:epc:id:gsrnp:9521141.1234567890', '/8017/952114112345678906', 7],
  ['urn:epc:id:gdti:9521141.12345.5678', '/253/95211411234545678', 7],
  ['urn:epc:id:gdti:9521141.98765.ABCDefgh012345678', '/253/9521141987650ABCDefgh012345678', 7],
  ['urn:epc:id:cpi:9521141.98765.12345', '/8010/952114198765/8011/12345', 7],
  ['urn:epc:id:cpi:9521141.5PQ7%2FZ43.12345', '/8010/95211415PQ7%2FZ43/8011/12345', 7],
  ['urn:epc:id:sgcn:9521141.67890.04711', '/255/952114167890904711', 7],
  ['urn:epc:id:itip:9521141.012345.01.02.981', '/8006/095211411234540102/21/981', 7],
  ['urn:epc:id:itip:9521141.012345.01.02.mw133', '/8006/095211411234540102/21/mw133', 7],
  // EPC TDS 2.3 §7 worked examples (element strings written here as Digital Links).
  ['urn:epc:id:sgtin:952656789012.0.4711', '/01/09526567890126/21/4711', 12], // §7.2.1
  ['urn:epc:id:sgln:952656789012..0', '/414/9526567890126', 12], // §7.2.2
  ['urn:epc:id:sgln:952656789012..4711', '/414/9526567890126/254/4711', 12], // §7.2.2
  ['urn:epc:id:sscc:952656789012.03456', '/00/095265678901234568', 12], // §7.2.3
  ['urn:epc:id:giai:952656789012.345678901234567890', '/8004/952656789012345678901234567890', 12],
  ['urn:epc:id:sgtin:9521141.012345.32a%2Fb', '/01/09521141123454/21/32a%2Fb', 7], // §7.3
  ['urn:epc:id:sgtin:00000950.01093.S1', '/01/00000095010939/21/S1', 8], // §7.3.2 GTIN-8
  ['urn:epc:id:sgtin:978817525.0766.S1', '/01/09788175257665/21/S1', 9], // §7.3.8.1 ISBN
  ['urn:epc:id:sscc:9521141.1234567890', '/00/195211412345678900', 7], // §7.4
  ['urn:epc:id:sgln:9521141.12345.0', '/414/9521141123454', 7], // §7.5
  ['urn:epc:id:gdti:9521141.12345.006847', '/253/9521141123454006847', 7], // §7.10
  ['urn:epc:id:ginc:9521141.xyz47%2F11', '/401/9521141xyz47%2F11', 7], // §7.13
  ['urn:epc:id:gsin:9521141.123456789', '/402/95211411234567892', 7], // §7.14
  ['urn:epc:id:itip:9521141.012345.04.04.32a%2Fb', '/8006/095211411234540404/21/32a%2Fb', 7],
  // §7.16: TPX 51qIgY)<&Jp3*j7'SDB; the Digital Link escapes ) * ' too (RFC 3986 reserved).
  [
    "urn:epc:id:upui:9521141.089456.51qIgY)%3C%26Jp3*j7'SDB",
    '/01/09521141894569/235/51qIgY%29%3C%26Jp3%2Aj7%27SDB',
    7,
  ],
  ['urn:epc:id:pgln:9521141.89012', '/417/9521141890127', 7], // §7.17
  ['urn:epc:class:lgtin:9521141.712345.32a%2Fb', '/01/79521141123453/10/32a%2Fb', 7], // §7.18
  // The mapping the CBV 2.0 event hash uses (task brief; CBV 2.0 hash examples).
  ['urn:epc:id:sgtin:4012345.011111.987', '/01/04012345111118/21/987', 7],
  ['urn:epc:id:sgln:4012345.00005.0', '/414/4012345000054', 7],
  ['urn:epc:class:lgtin:4012345.012345.998877', '/01/04012345123456/10/998877', 7],
  ['urn:epc:idpat:sgtin:4012345.066666.*', '/01/04012345666663', 7],
  // RalphTro/epcis-event-hash-generator tests/dl_normaliser_test.py (patterns, edge cases).
  ['urn:epc:id:pgln:999999999999.', '/417/9999999999994', 12],
  ['urn:epc:id:gdti:987659999999..9', '/253/98765999999929', 12],
  [
    'urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234',
    '/8010/061414111111111111111-A%23%2F/8011/1234',
    7,
  ],
  ['urn:epc:id:sscc:4012345.0000000011', '/00/040123450000000115', 7],
  [
    'urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()',
    '/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29',
    7,
  ],
  ['urn:epc:idpat:grai:4012345.99999.*', '/8003/04012345999990', 7],
  ['urn:epc:idpat:gdti:4012345.11111.*', '/253/4012345111118', 7],
  ['urn:epc:idpat:sgcn:4012345.22222.*', '/255/4012345222227', 7],
  ['urn:epc:idpat:cpi:4012345.AB12.*', '/8010/4012345AB12', 7],
  ['urn:epc:idpat:itip:4012345.012345.01.02.*', '/8006/040123451234560102', 7],
];

describe('epcUriToDigitalLink and digitalLinkToEpcUri', () => {
  it.each(PAIRS)('%s ⇄ %s', (epc, path, gcpLength) => {
    expect(epcUriToDigitalLink(epc)).toBe(`https://id.gs1.org${path}`);
    expect(epcUriToDigitalLink(epc, 'https://example.com/p/')).toBe(`https://example.com/p${path}`);
    expect(digitalLinkToEpcUri(`https://example.com/x${path}?17=261231`, gcpLength)).toBe(epc);
  });

  it('maps the UPUI pattern to the GTIN, whose pattern is the SGTIN one', () => {
    expect(epcUriToDigitalLink('urn:epc:idpat:upui:4012345.012345.*')).toBe(
      'https://id.gs1.org/01/04012345123456',
    );
  });

  it('canonicalises a Digital Link on the given base, keeping only its identity', () => {
    expect(epcUriToDigitalLink('https://example.org/8004/401234599999?17=261231&linkType=x')).toBe(
      'https://id.gs1.org/8004/401234599999',
    );
    expect(epcUriToDigitalLink('https://x.com/gtin/9780345418913/ser/765tz', 'https://y.com')).toBe(
      'https://y.com/01/09780345418913/21/765tz',
    );
  });

  it('returns an EPC URI given to digitalLinkToEpcUri in canonical form', () => {
    expect(digitalLinkToEpcUri('urn:epc:id:sgtin:0614141.712345.32a%2fb', 7)).toBe(
      'urn:epc:id:sgtin:0614141.712345.32a%2Fb',
    );
  });

  it.each([
    ['/01/04012345111118/10/L1/21/987', 'urn:epc:id:sgtin:4012345.011111.987'],
    ['/01/04012345111118/22/V1/21/987', 'urn:epc:id:sgtin:4012345.011111.987'],
    ['/8006/040123451234560102/10/L1/21/9', 'urn:epc:id:itip:4012345.012345.01.02.9'],
  ])('drops lot and CPV next to a serial: %s', (path, epc) => {
    expect(digitalLinkToEpcUri(`https://id.gs1.org${path}`, 7)).toBe(epc);
  });

  it.each([
    ['/01/04012345111118/22/V1', 'AI (22) has no EPC URI equivalent'],
    ['/01/04012345111118/22/V1/10/L1', 'AI (22) has no EPC URI equivalent'],
    ['/8006/040123451234560102/10/L1', 'AI (10) has no EPC URI equivalent'],
    ['/8006/040123451234560102/22/V', 'AI (22) has no EPC URI equivalent'],
    ['/414/0614141123452/7040/1A-_', 'AI (7040) has no EPC URI equivalent'],
    ['/417/0614141123452/7040/1A-_', 'AI (7040) has no EPC URI equivalent'],
    ['/8004/06141415678/7040/1A-_', 'AI (7040) has no EPC URI equivalent'],
    ['/414/0614141123452/254/0', "AI (254) has no EPC URI equivalent: SGLN extension '0'"],
    ['/8018/061414112345678902/8019/1', 'AI (8019) has no EPC URI equivalent'],
    ['/415/0614141123452', 'AI (415) has no EPC URI equivalent'],
    ['/8013/1987654Ad4X4bL5ttr2310c2K', 'AI (8013) has no EPC URI equivalent'],
    ['/8004/4000001', 'individualAssetReference must not be empty'],
    ['/8004/4000ABC111', "GS1 Company Prefix '4000ABC' must be 6 to 12 digits"],
    ['/01/0401234511111', "GTIN '0401234511111' has a wrong check digit (expected 7)"],
  ])('refuses %s', (path, part) => {
    expectTraceError(
      () => digitalLinkToEpcUri(`https://id.gs1.org${path}`, 7),
      'INVALID_IDENTIFIER',
      part,
    );
  });

  it.each([3, 13, 6.5, Number.NaN])('refuses company prefix length %s', (length) => {
    expectTraceError(
      () => digitalLinkToEpcUri('https://id.gs1.org/01/04012345111118', length),
      'INVALID_IDENTIFIER',
      `companyPrefixLength ${length} must be an integer from 4 to 12`,
    );
  });

  it('writes a 4- or 5-digit GS1 Company Prefix as 6 digits (TDS §7.1)', () => {
    for (const length of [4, 5, 6]) {
      expect(digitalLinkToEpcUri('https://id.gs1.org/01/04012345111118/21/9', length)).toBe(
        'urn:epc:id:sgtin:401234.0511111.9',
      );
    }
  });

  // EPC TDS 2.3 §7.3.3–7.3.8: GTINs of these GS1 Prefixes SHALL NOT be used to construct SGTINs.
  it.each([
    ['/01/00000001234565/21/1', 8, 'an RCN-8'],
    ['/01/02012345000018/21/1', 7, 'for restricted circulation (§7.3.5)'],
    ['/01/02501234000012/21/1', 7, 'for restricted circulation (§7.3.5)'],
    ['/01/00412345000018/21/1', 7, 'for company internal numbering (§7.3.4)'],
    ['/01/00001234000019/21/1', 7, 'for company internal numbering (§7.3.4)'],
    ['/01/09812345000017/10/L', 7, 'a coupon code (§7.3.6)'],
    ['/01/09912345000014', 7, 'a coupon code (§7.3.6)'],
    ['/01/09801234000016/21/1', 7, 'a refund receipt (§7.3.7)'],
    ['/01/09771234000012/21/1', 7, 'an ISSN (§7.3.8.2)'],
  ])('refuses an SGTIN/LGTIN for %s', (path, length, part) => {
    expectTraceError(
      () => digitalLinkToEpcUri(`https://id.gs1.org${path}`, length),
      'INVALID_IDENTIFIER',
      part,
    );
  });

  it('applies that rule to constructing SGTINs/LGTINs only, not to UPUI nor to reading EPCs', () => {
    expect(digitalLinkToEpcUri('https://id.gs1.org/01/02012345000018/235/T', 7)).toBe(
      'urn:epc:id:upui:2012345.000001.T',
    );
    expect(epcUriToDigitalLink('urn:epc:id:sgtin:2012345.000001.1')).toBe(
      'https://id.gs1.org/01/02012345000018/21/1',
    );
  });

  it.each([
    ['geo:47.506694,11.104301', 'is neither an EPC URI (urn:epc:…) nor a GS1 Digital Link URI'],
    ['urn:epc:id:gid:31415.271828.1414', "EPC scheme 'id:gid' is not supported"],
    ['https://example.com/no/key', 'no GS1 primary key'],
  ])('epcUriToDigitalLink refuses %s', (uri, part) => {
    expectTraceError(() => epcUriToDigitalLink(uri), 'INVALID_IDENTIFIER', part);
  });

  it('answers a repeated conversion the same, per base, and refuses a bad URI every time', () => {
    const epc = 'urn:epc:id:sgtin:4012345.011111.987';
    for (let round = 0; round < 3; round += 1) {
      expect(epcUriToDigitalLink(epc)).toBe('https://id.gs1.org/01/04012345111118/21/987');
      expect(epcUriToDigitalLink(epc, 'https://example.com')).toBe(
        'https://example.com/01/04012345111118/21/987',
      );
      expectTraceError(
        () => epcUriToDigitalLink('urn:epc:id:sgtin:4012345.011111'),
        'INVALID_IDENTIFIER',
      );
    }
    // A long Digital Link (not remembered) converts the same every time.
    const long = `https://example.com/01/04012345111118/21/987?x=${'y'.repeat(1000)}`;
    expect(epcUriToDigitalLink(long)).toBe('https://id.gs1.org/01/04012345111118/21/987');
    expect(epcUriToDigitalLink(long)).toBe('https://id.gs1.org/01/04012345111118/21/987');
    // Far more distinct identifiers than the memory keeps: every answer still right.
    for (let serial = 0; serial < 20_000; serial += 1) {
      expect(epcUriToDigitalLink(`urn:epc:id:sgtin:4012345.011111.${serial}`)).toBe(
        `https://id.gs1.org/01/04012345111118/21/${serial}`,
      );
    }
  });

  it('refuses a non-string', () => {
    expectTraceError(
      () => epcUriToDigitalLink(undefined as unknown as string),
      'INVALID_IDENTIFIER',
      'is neither',
    );
  });
});

// Random EPC URIs of every scheme; a GCP of 6–12 digits is drawn first, then the rest.
const text = (chars: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
const digits = (n: number) => text('0123456789', n, n);
// A company prefix that avoids the GS1 Prefixes TDS §7.3.3–7.3.8 excludes from SGTINs.
const companyPrefix = (n: number) =>
  fc.tuple(text('1345678', 1, 1), digits(n - 1)).map(([first, rest]) => first + rest);
const gs3a3 = (max: number) => text(CSET82, 1, max);
const serial12 = fc.integer({ min: 1, max: 999_999_999 }).map(String);
const two = (n: number) => String(n).padStart(2, '0');
const piece = fc
  .integer({ min: 1, max: 99 })
  .chain((total) => fc.integer({ min: 1, max: total }).map((p) => [two(p), two(total)]));
const itip = (g: number, last: fc.Arbitrary<string>) =>
  fc.tuple(digits(13 - g), piece, last).map(([ref, [p, t], s]) => [ref, p ?? '', t ?? '', s]);

const BODIES: Record<Exclude<EpcScheme, 'idpat:upui'>, (g: number) => fc.Arbitrary<string[]>> = {
  'id:sgtin': (g) => fc.tuple(digits(13 - g), gs3a3(20)),
  'id:sscc': (g) => fc.tuple(digits(17 - g)),
  'id:sgln': (g) => fc.tuple(digits(12 - g), gs3a3(20)),
  'id:grai': (g) => fc.tuple(digits(12 - g), gs3a3(16)),
  'id:giai': (g) => fc.tuple(gs3a3(30 - g)),
  'id:gsrn': (g) => fc.tuple(digits(17 - g)),
  'id:gsrnp': (g) => fc.tuple(digits(17 - g)),
  'id:gdti': (g) => fc.tuple(digits(12 - g), gs3a3(17)),
  'id:cpi': (g) => fc.tuple(text(CSET39, 1, 30 - g), serial12),
  'id:sgcn': (g) => fc.tuple(digits(12 - g), text('0123456789', 1, 12)),
  'id:ginc': (g) => fc.tuple(gs3a3(30 - g)),
  'id:gsin': (g) => fc.tuple(digits(16 - g)),
  'id:itip': (g) => itip(g, gs3a3(20)),
  'id:upui': (g) => fc.tuple(digits(13 - g), gs3a3(28)),
  'id:pgln': (g) => fc.tuple(digits(12 - g)),
  'class:lgtin': (g) => fc.tuple(digits(13 - g), gs3a3(20)),
  'idpat:sgtin': (g) => fc.tuple(digits(13 - g), fc.constant('*')),
  'idpat:grai': (g) => fc.tuple(digits(12 - g), fc.constant('*')),
  'idpat:gdti': (g) => fc.tuple(digits(12 - g), fc.constant('*')),
  'idpat:sgcn': (g) => fc.tuple(digits(12 - g), fc.constant('*')),
  'idpat:cpi': (g) => fc.tuple(text(CSET39, 1, 30 - g), fc.constant('*')),
  'idpat:itip': (g) => itip(g, fc.constant('*')),
};

// The EPC of `scheme` whose fields, after the company prefix, are `parts` (unescaped).
const buildEpc = (scheme: EpcScheme, companyPrefix: string, parts: string[]): EpcUri => {
  const epc: Record<string, string> = { scheme, companyPrefix };
  SCHEMES[scheme].parts.forEach(([field, kind], i) => {
    if (kind !== '*') epc[field] = parts[i] ?? '';
  });
  return epc as EpcUri;
};

describe('round trips EPC → Digital Link → EPC', () => {
  it.each(Object.keys(BODIES) as (keyof typeof BODIES)[])('%s', (scheme) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 12 }).chain((g) => fc.tuple(companyPrefix(g), BODIES[scheme](g))),
        ([gcp, parts]) => {
          // formatEpcUri escapes, so every CSET 82 character goes through both escapings.
          const epc = formatEpcUri(buildEpc(scheme, gcp, parts));
          const dl = epcUriToDigitalLink(epc);
          expect(digitalLinkToEpcUri(dl, gcp.length)).toBe(epc);
          expect(epcUriToDigitalLink(dl)).toBe(dl);
        },
      ),
      { numRuns: 60 },
    );
  });
});
