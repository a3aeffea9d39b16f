import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { expectTraceError } from '../../test/support/trace-error.js';

import { appendCheckDigit } from './check-digit.js';
import { CSET82 } from './charset.js';
import {
  type DigitalLink,
  formatDigitalLink,
  isDigitalLink,
  parseDigitalLink,
} from './digital-link.js';

const GTIN = '04012345111118'; // CBV 2.0 event hash example (urn:epc:id:sgtin:4012345.011111.987)
const gs1 = (path: string) => `https://id.gs1.org${path}`;

describe('parseDigitalLink', () => {
  it('splits base, primary key, qualifiers, data attributes and other parameters', () => {
    // GS1 Digital Link URI Syntax §4: any base with a path prefix; query holds AIs and others.
    expect(
      parseDigitalLink(
        'https://example.com/some/prefix/01/09506000134352/10/ABC/21/12345?17=261231&3103=000189&linkType=gs1:pip',
      ),
    ).toEqual({
      base: 'https://example.com/some/prefix',
      primaryKey: { ai: '01', value: '09506000134352' },
      qualifiers: [
        { ai: '10', value: 'ABC' },
        { ai: '21', value: '12345' },
      ],
      dataAttributes: [
        { ai: '17', value: '261231' },
        { ai: '3103', value: '000189' },
      ],
      otherParams: [['linkType', 'gs1:pip']],
    } satisfies DigitalLink);
  });

  // Primary keys and key-qualifier sequences of the GS1 Barcode Syntax Dictionary ("dlpkey").
  it.each([
    [gs1(`/01/${GTIN}/21/987`), '01', ['21']],
    [gs1('/01/9780345418913'), '01', []],
    [gs1('/gtin/9780345418913/cpv/344/lot/1223/ser/765tz'), '01', ['22', '10', '21']],
    [gs1(`/01/${GTIN}/235/51qIgY%29`), '01', ['235']],
    [gs1('/00/106141412345678908'), '00', []],
    [gs1('/414/0614141123452/254/5678'), '414', ['254']],
    [gs1('/414/0614141123452/7040/1A-_'), '414', ['7040']],
    [gs1('/417/4012345002256'), '417', []],
    [gs1('/8003/006141411234525678'), '8003', []],
    [gs1('/8004/06141415678'), '8004', []],
    [gs1('/8006/040123451234560102/22/AB/10/L1/21/S1'), '8006', ['22', '10', '21']],
    [gs1('/8010/061414198765/8011/12345'), '8010', ['8011']],
    [gs1('/8017/061414112345678902/8019/12'), '8017', ['8019']],
    [gs1('/8018/061414112345678902'), '8018', []],
    [gs1('/253/06141411234525678'), '253', []],
    [gs1('/255/401234567890104711'), '255', []],
    [gs1('/401/0614141xyz47%2F11'), '401', []],
    [gs1('/402/40123452223334442'), '402', []],
    [gs1('/8013/1987654Ad4X4bL5ttr2310c2K'), '8013', []],
    [gs1('/415/0614141123452/8020/ABC'), '415', ['8020']],
    ['http://localhost:8080/01/04012345111118', '01', []],
    ['https://example.com/01/x/01/04012345111118', '01', []],
  ])('%s', (uri, key, qualifiers) => {
    const dl = parseDigitalLink(uri);
    expect(dl.primaryKey.ai).toBe(key);
    expect(dl.qualifiers.map((q) => q.ai)).toEqual(qualifiers);
  });

  it('normalises GTIN-8/12/13 to GTIN-14, decodes values, tolerates one trailing slash', () => {
    expect(parseDigitalLink(gs1('/01/12345670')).primaryKey.value).toBe('00000012345670');
    expect(parseDigitalLink(gs1('/01/001122334455')).primaryKey.value).toBe('00001122334455');
    expect(parseDigitalLink(gs1(`/01/${GTIN}/21/A%2fb%21/`)).qualifiers).toEqual([
      { ai: '21', value: 'A/b!' },
    ]);
    expect(parseDigitalLink(gs1(`/01/${GTIN}#frag`)).primaryKey.value).toBe(GTIN);
    expect(parseDigitalLink('https://example.com/base/01/04012345111118').base).toBe(
      'https://example.com/base',
    );
    expect(parseDigitalLink(gs1(`/01/${GTIN}?linkType=a+b%20c&&x`)).otherParams).toEqual([
      ['linkType', 'a b c'],
      ['x', ''],
    ]);
  });

  it.each([
    [`https://id.gs1.org/01/${GTIN}/21/a b`, 'characters that a URI cannot contain'],
    [`https://id.gs1.org/01/${GTIN}/21/é`, 'characters that a URI cannot contain'],
    [`ftp://example.com/01/${GTIN}`, 'is not an http(s) URI with a host'],
    [`https:///01/${GTIN}`, 'is not an http(s) URI with a host'],
    [`https://exa_mple.com/01/${GTIN}`, 'is not an http(s) URI with a host'],
    ['https://example.com/foo/bar', "no GS1 primary key (e.g. /01/<GTIN>) in the path '/foo/bar'"],
    ['https://example.com', 'no GS1 primary key'],
    [gs1(`/01/${GTIN}/99x/1`), "'99x' in the path is not a GS1 Application Identifier"],
    [gs1(`/01/${GTIN}/9999/1`), "'9999' in the path is not a GS1 Application Identifier"],
    [gs1(`/01/${GTIN}/21`), 'AI (21) in the path has no value'],
    [gs1(`/01/${GTIN}/21//`), 'AI (21) in the path has an empty value'],
    [gs1('/01/04012345111117'), "AI (01) value '04012345111117': wrong check digit (expected 8)"],
    [gs1('/01/4012345111117'), "GTIN '4012345111117' has a wrong check digit"],
    [gs1('/00/12345'), "AI (00) value '12345': too short"],
    [gs1(`/01/${GTIN}/21/%C3%A9`), 'must consist of CSET 82 characters'],
    [gs1(`/01/${GTIN}/21/${'x'.repeat(21)}`), "AI (21) value 'xxxxxxxxxxxxxxxxxxxxx': too long"],
    [gs1(`/01/${GTIN}/21/%G1`), "AI (21) in the path: bad percent-encoding '%G1'"],
    [gs1(`/01/${GTIN}/21/1%`), "AI (21) in the path: bad percent-encoding '%'"],
    [gs1(`/01/${GTIN}/21/%FF`), 'AI (21) in the path: percent-encoding is not UTF-8'],
    [
      gs1(`/01/${GTIN}/21/1/10/2`),
      'key qualifier (10) must come before (21) after primary key (01)',
    ],
    [gs1(`/01/${GTIN}/21/1/22/2`), 'key qualifier (22) must come before (21)'],
    [
      gs1(`/01/${GTIN}/17/261231`),
      'AI (17) is not a key qualifier of primary key (01) (allowed: 22, 10, 21 | 235)',
    ],
    [
      gs1('/00/106141412345678908/21/1'),
      'AI (21) cannot qualify primary key (00), which takes no key qualifiers',
    ],
    [gs1('/417/4012345002256/254/1'), 'AI (254) is not a key qualifier of primary key (417)'],
    [
      gs1(`/01/${GTIN}/21/1/235/2`),
      'key qualifiers (21, 235) of primary key (01) mix alternative sequences',
    ],
    [
      gs1('/414/0614141123452/254/1/7040/1A-_'),
      'key qualifiers (254, 7040) of primary key (414) mix',
    ],
    [gs1(`/01/${GTIN}/21/1/21/2`), 'duplicate AI (21) in the Digital Link path'],
    [gs1(`/01/${GTIN}?17=261231&17=261231`), 'duplicate AI (17) in the Digital Link'],
    [gs1(`/01/${GTIN}?01=${GTIN}`), 'duplicate AI (01) in the Digital Link'],
    [gs1(`/01/${GTIN}?9999=1`), 'unknown AI (9999) in the query string'],
    [gs1(`/01/${GTIN}?17`), 'AI (17) in the query string has no value'],
    [gs1(`/01/${GTIN}?17=`), 'AI (17) in the query string has no value'],
    [gs1(`/01/${GTIN}?21=1`), 'AI (21) is a key qualifier of (01): it belongs in the path'],
    [gs1(`/01/${GTIN}?8019=1`), 'AI (8019) is not permitted as a Digital Link data attribute'],
    [gs1(`/01/${GTIN}?17=261331`), "AI (17) value '261331': month 13 is not 01-12"],
    [gs1(`/01/${GTIN}?17=26%2`), "AI (17) in the query string: bad percent-encoding '%2'"],
    [gs1(`/01/${GTIN}?linkType=%ZZ`), "query parameter 'linkType': bad percent-encoding"],
    [gs1(`/01/${GTIN}?=x`), "query parameter '=x' has no name"],
  ])('refuses %s', (uri, part) => {
    expectTraceError(() => parseDigitalLink(uri), 'INVALID_IDENTIFIER', part);
    expect(isDigitalLink(uri)).toBe(false);
  });

  it('refuses a non-string', () => {
    expectTraceError(
      () => parseDigitalLink(42 as unknown as string),
      'INVALID_IDENTIFIER',
      'cannot contain',
    );
  });
});

describe('formatDigitalLink', () => {
  const dl = (over: Partial<DigitalLink>): DigitalLink => ({
    base: 'https://example.com',
    primaryKey: { ai: '01', value: GTIN },
    qualifiers: [],
    dataAttributes: [],
    otherParams: [],
    ...over,
  });

  it('writes the canonical form on https://id.gs1.org unless given a base', () => {
    const link = dl({
      primaryKey: { ai: '01', value: '4012345111118' },
      qualifiers: [
        { ai: '21', value: '987' },
        { ai: '10', value: 'L1' },
      ],
      dataAttributes: [{ ai: '17', value: '261231' }],
      otherParams: [['linkType', 'gs1:pip']],
    });
    expect(formatDigitalLink(link)).toBe(
      gs1(`/01/${GTIN}/10/L1/21/987?17=261231&linkType=gs1%3Apip`),
    );
    expect(formatDigitalLink(link, 'https://example.com/a/')).toBe(
      `https://example.com/a/01/${GTIN}/10/L1/21/987?17=261231&linkType=gs1%3Apip`,
    );
    expect(formatDigitalLink(dl({}), dl({}).base)).toBe(`https://example.com/01/${GTIN}`);
  });

  it('percent-encodes exactly the CSET 82 characters that RFC 3986 does not leave unreserved', () => {
    const value = '!"%&\'()*+,-./:;<=>?_Az09';
    expect(formatDigitalLink(dl({ qualifiers: [{ ai: '21', value: value.slice(0, 20) }] }))).toBe(
      gs1(`/01/${GTIN}/21/%21%22%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F_`),
    );
    expect(formatDigitalLink(dl({ otherParams: [['q', 'é ü~']] }))).toBe(
      gs1(`/01/${GTIN}?q=%C3%A9%20%C3%BC~`),
    );
  });

  it.each([
    [dl({ primaryKey: { ai: '21', value: '1' } }), 'AI (21) is not a GS1 Digital Link primary key'],
    [dl({ primaryKey: { ai: '01', value: '4012345111117' } }), 'wrong check digit'],
    [dl({ qualifiers: [{ ai: '17', value: '261231' }] }), 'AI (17) is not a key qualifier'],
    [dl({ dataAttributes: [{ ai: '17', value: '261301' }] }), 'month 13'],
    [dl({ dataAttributes: [{ ai: '9999', value: '1' }] }), 'unknown AI (9999) in the query string'],
    [dl({ otherParams: [['17', 'x']] }), "query parameter name '17' must not be empty or numeric"],
    [dl({ otherParams: [['', 'x']] }), "query parameter name '' must not be empty or numeric"],
  ])('refuses an invalid link (%#)', (link, part) => {
    expectTraceError(() => formatDigitalLink(link), 'INVALID_IDENTIFIER', part);
  });

  it.each(['ftp://example.com', 'https://example.com/a?b', 'https://', 'https://ex ample.com'])(
    'refuses base %s',
    (base) => {
      expectTraceError(
        () => formatDigitalLink(dl({}), base),
        'INVALID_IDENTIFIER',
        `base '${base}' is not an http(s) URI`,
      );
    },
  );
});

describe('round trips', () => {
  const cset82 = (max: number) =>
    fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: max });
  const gtin = fc
    .string({ unit: fc.constantFrom(...'0123456789'), minLength: 13, maxLength: 13 })
    .map(appendCheckDigit);

  it('parse(format(dl)) gives dl back, on any base', () => {
    fc.assert(
      fc.property(
        gtin,
        fc.option(cset82(20), { nil: undefined }),
        cset82(20),
        fc.constantFrom('https://id.gs1.org', 'https://example.com/some/prefix', 'http://a.b:81'),
        fc.string(),
        (value, lot, serial, base, param) => {
          const link: DigitalLink = {
            base,
            primaryKey: { ai: '01', value },
            qualifiers: [
              ...(lot === undefined ? [] : [{ ai: '10', value: lot }]),
              { ai: '21', value: serial },
            ],
            dataAttributes: [{ ai: '17', value: '261231' }],
            otherParams: [['linkType', param]],
          };
          const uri = formatDigitalLink(link, base);
          expect(isDigitalLink(uri)).toBe(true);
          expect(parseDigitalLink(uri)).toEqual(link);
          expect(formatDigitalLink(parseDigitalLink(uri), base)).toBe(uri);
        },
      ),
    );
  });
});
