import { TraceError } from '../errors.js';

import type { EpcUri } from './epc-schemes.js';
import type { AiElement } from './key-path.js';

// From GS1 keys to EPCs (EPC TDS 2.x §7.3–7.18, "To find the EPC URI corresponding to a GS1
// element string"), given the company prefix length the caller looked up.

const invalid = (message: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', message);
};

const noEpc = (ai: string, why: string): never =>
  invalid(`AI (${ai}) has no EPC URI equivalent: ${why}`);

type Qualifiers = Partial<Record<string, string>>;

const refuse = (q: Qualifiers, ai: string, why: string): void => {
  if (q[ai] !== undefined) noEpc(ai, why);
};

// The GTIN-14 of AI 01 or AI 8006 split at the company prefix (EPC TDS §7.3, §7.15): the
// indicator digit moves to the front of the item reference and the check digit is dropped. The
// SSCC (§7.4) splits the same way around its extension digit.
const splitGtin = (gtin: string, gcpLength: number) => ({
  companyPrefix: gtin.slice(1, 1 + gcpLength),
  itemRefAndIndicator: gtin.charAt(0) + gtin.slice(1 + gcpLength, 13),
});

// EPC TDS §7.3.3–7.3.8: GTINs of these GS1 Prefixes SHALL NOT be used to construct SGTIN EPCs
// (nor, §7.18, LGTINs). The patterns apply to the GTIN-14 without its indicator digit.
const EXCLUDED_GTINS: [RegExp, string][] = [
  [/^00000[02]/, 'an RCN-8, not a GTIN-8 (§7.3.3)'],
  [/^(04|000[1-7])/, 'for company internal numbering (§7.3.4)'],
  [/^(02|2)/, 'for restricted circulation (§7.3.5)'],
  [/^(98[1-4]|99)/, 'a coupon code (§7.3.6)'],
  [/^980/, 'a refund receipt (§7.3.7)'],
  [/^977/, 'an ISSN (§7.3.8.2)'],
];

const verifyGtinForEpc = (gtin: string): void => {
  const [, reason] = EXCLUDED_GTINS.find(([pattern]) => pattern.test(gtin.slice(1))) ?? [];
  if (reason !== undefined) {
    invalid(`GTIN ${gtin} is ${reason}: TDS forbids constructing an SGTIN or LGTIN from it`);
  }
};

const gtinToEpc = (gtin: string, q: Qualifiers, g: number): EpcUri => {
  const parts = splitGtin(gtin, g);
  if (q['235'] !== undefined) return { scheme: 'id:upui', ...parts, tpx: q['235'] };
  verifyGtinForEpc(gtin);
  // An SGTIN is GTIN + serial (TDS §7.3): with a serial, lot and CPV add nothing to the identity.
  if (q['21'] !== undefined) return { scheme: 'id:sgtin', ...parts, serial: q['21'] };
  refuse(q, '22', 'EPC has no class for a consumer product variant');
  if (q['10'] !== undefined) return { scheme: 'class:lgtin', ...parts, lot: q['10'] };
  return { scheme: 'idpat:sgtin', ...parts };
};

const itipToEpc = (itip: string, q: Qualifiers, g: number): EpcUri => {
  const parts = { ...splitGtin(itip, g), piece: itip.slice(14, 16), total: itip.slice(16, 18) };
  if (q['21'] !== undefined) return { scheme: 'id:itip', ...parts, serial: q['21'] };
  refuse(q, '10', 'EPC has no ITIP class but the ITIP pattern');
  refuse(q, '22', 'EPC has no ITIP class but the ITIP pattern');
  return { scheme: 'idpat:itip', ...parts };
};

// Keys with an optional serial after their check digit give the pattern URI without it.
const withSerial = (id: EpcUri & { serial: string }, pattern: EpcUri): EpcUri =>
  id.serial === '' ? pattern : id;

type ToEpc = (value: string, q: Qualifiers, gcpLength: number) => EpcUri;

// Per primary key (EPC TDS 2.x §7.3–7.18): where the company prefix, reference and serial sit
// in the AI value. A check digit sits at index 12 (GLN-like keys) or 13 (GTIN-like keys).
const FROM_KEY = new Map<string, ToEpc>([
  ['01', gtinToEpc],
  ['8006', itipToEpc],
  [
    '00',
    (v, _, g) => {
      const { companyPrefix, itemRefAndIndicator } = splitGtin(v, g);
      return {
        scheme: 'id:sscc',
        companyPrefix,
        serialReference: itemRefAndIndicator + v.slice(13, 17),
      };
    },
  ],
  [
    '414',
    (v, q, g) => {
      refuse(q, '7040', 'SGLN has no UIC extension');
      if (q['254'] === '0') noEpc('254', "SGLN extension '0' means 'no extension' (TDS §7.5)");
      const extension = q['254'] ?? '0';
      return {
        scheme: 'id:sgln',
        companyPrefix: v.slice(0, g),
        locationReference: v.slice(g, 12),
        extension,
      };
    },
  ],
  [
    '417',
    (v, q, g) => {
      refuse(q, '7040', 'PGLN has no UIC extension');
      return { scheme: 'id:pgln', companyPrefix: v.slice(0, g), partyReference: v.slice(g, 12) };
    },
  ],
  [
    '8003',
    (v, _, g) => {
      const pattern = {
        scheme: 'idpat:grai',
        companyPrefix: v.slice(1, 1 + g),
        assetType: v.slice(1 + g, 13),
      } as const;
      return withSerial({ ...pattern, scheme: 'id:grai', serial: v.slice(14) }, pattern);
    },
  ],
  [
    '8004',
    (v, q, g) => {
      refuse(q, '7040', 'GIAI EPCs have no UIC extension');
      return {
        scheme: 'id:giai',
        companyPrefix: v.slice(0, g),
        individualAssetReference: v.slice(g),
      };
    },
  ],
  [
    '8017',
    (v, q, g) => {
      refuse(q, '8019', 'GSRN EPCs have no service relation instance');
      return { scheme: 'id:gsrnp', companyPrefix: v.slice(0, g), serviceReference: v.slice(g, 17) };
    },
  ],
  [
    '8018',
    (v, q, g) => {
      refuse(q, '8019', 'GSRN EPCs have no service relation instance');
      return { scheme: 'id:gsrn', companyPrefix: v.slice(0, g), serviceReference: v.slice(g, 17) };
    },
  ],
  [
    '253',
    (v, _, g) => {
      const pattern = {
        scheme: 'idpat:gdti',
        companyPrefix: v.slice(0, g),
        documentType: v.slice(g, 12),
      } as const;
      return withSerial({ ...pattern, scheme: 'id:gdti', serial: v.slice(13) }, pattern);
    },
  ],
  [
    '255',
    (v, _, g) => {
      const pattern = {
        scheme: 'idpat:sgcn',
        companyPrefix: v.slice(0, g),
        couponReference: v.slice(g, 12),
      } as const;
      return withSerial({ ...pattern, scheme: 'id:sgcn', serial: v.slice(13) }, pattern);
    },
  ],
  [
    '8010',
    (v, q, g) => {
      const pattern = {
        scheme: 'idpat:cpi',
        companyPrefix: v.slice(0, g),
        componentPartReference: v.slice(g),
      } as const;
      return withSerial({ ...pattern, scheme: 'id:cpi', serial: q['8011'] ?? '' }, pattern);
    },
  ],
  [
    '401',
    (v, _, g) => ({
      scheme: 'id:ginc',
      companyPrefix: v.slice(0, g),
      consignmentReference: v.slice(g),
    }),
  ],
  [
    '402',
    (v, _, g) => ({
      scheme: 'id:gsin',
      companyPrefix: v.slice(0, g),
      shipperReference: v.slice(g, 16),
    }),
  ],
]);

/**
 * The EPC of a validated primary key and its key qualifiers, with a company prefix of
 * `g` digits (6–12). Throws INVALID_IDENTIFIER where EPC has no equivalent.
 */
export const elementsToEpc = (
  primaryKey: AiElement,
  qualifiers: AiElement[],
  g: number,
): EpcUri => {
  const toEpc =
    FROM_KEY.get(primaryKey.ai) ?? noEpc(primaryKey.ai, 'EPC TDS defines no scheme for it');
  return toEpc(primaryKey.value, Object.fromEntries(qualifiers.map((e) => [e.ai, e.value])), g);
};
