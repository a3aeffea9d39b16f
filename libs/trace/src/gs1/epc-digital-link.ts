import { TraceError } from '../errors.js';

import { GS1_DIGITAL_LINK_BASE, formatDigitalLink, parseDigitalLink } from './digital-link.js';
import type { EpcUri } from './epc-schemes.js';
import { epcToElements, formatEpcUri, parseEpcUri } from './epc-uri.js';
import type { AiElement } from './key-path.js';

const invalid = (message: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', message);
};

/**
 * The canonical GS1 Digital Link URI of an EPC URI, as EPCIS 2.0 / CBV 2.0 use it and EPC
 * TDS 2.x §7 defines the correspondence: `urn:epc:id:sgtin:4012345.011111.987` gives
 * `https://id.gs1.org/01/04012345111118/21/987`, `urn:epc:id:sgln:4012345.00005.0` gives
 * `https://id.gs1.org/414/4012345000054` (extension "0" = none), `urn:epc:class:lgtin:…` a
 * GTIN + lot (10) and `urn:epc:idpat:sgtin:….*` the GTIN alone (all its serials).
 *
 * A Digital Link input is returned canonicalised on `base` (see formatDigitalLink) keeping only
 * its identity, primary key and key qualifiers: an EPC never carries data attributes, so the
 * output of this function always names the object and nothing else.
 *
 * Throws INVALID_IDENTIFIER for anything else, naming the offending part.
 */
export const epcUriToDigitalLink = (uri: string, base: string = GS1_DIGITAL_LINK_BASE): string => {
  if (typeof uri === 'string' && uri.startsWith('urn:epc:')) {
    const [primaryKey, ...qualifiers] = epcToElements(parseEpcUri(uri)) as [
      AiElement,
      ...AiElement[],
    ];
    return formatDigitalLink(
      { base, primaryKey, qualifiers, dataAttributes: [], otherParams: [] },
      base,
    );
  }
  if (typeof uri !== 'string' || !/^https?:\/\//i.test(uri)) {
    invalid(`'${String(uri)}' is neither an EPC URI (urn:epc:…) nor a GS1 Digital Link URI`);
  }
  const dl = parseDigitalLink(uri);
  return formatDigitalLink({ ...dl, dataAttributes: [], otherParams: [] }, base);
};

const noEpc = (ai: string, why: string): never =>
  invalid(`AI (${ai}) has no EPC URI equivalent: ${why}`);

type Qualifiers = Partial<Record<string, string>>;

const refuse = (q: Qualifiers, ai: string, why: string): void => {
  if (q[ai] !== undefined) noEpc(ai, why);
};

// The GTIN-14 of AI 01 or AI 8006 split at the company prefix (EPC TDS §7.1): the indicator
// digit moves to the front of the item reference and the check digit is dropped. The SSCC
// (§7.2) splits the same way around its extension digit.
const splitGtin = (gtin: string, gcpLength: number) => ({
  companyPrefix: gtin.slice(1, 1 + gcpLength),
  itemRefAndIndicator: gtin.charAt(0) + gtin.slice(1 + gcpLength, 13),
});

const gtinToEpc = (gtin: string, q: Qualifiers, g: number): EpcUri => {
  const parts = splitGtin(gtin, g);
  if (q['235'] !== undefined) return { scheme: 'id:upui', ...parts, tpx: q['235'] };
  // An SGTIN is GTIN + serial (TDS §7.1): with a serial, lot and CPV add nothing to the identity.
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
const withSerial = <T extends object>(id: T & { serial: string }, pattern: T) =>
  id.serial === '' ? pattern : id;

type ToEpc = (value: string, q: Qualifiers, gcpLength: number) => EpcUri;

// Per primary key (EPC TDS 2.x §7): where the company prefix, the reference and the serial sit
// in the AI value. A check digit sits at index 12 (GLN-like keys) or 13 (GTIN-like keys).
const FROM_KEY = new Map<string, ToEpc>([
  ['01', gtinToEpc],
  ['8006', itipToEpc],
  ['00', (v, _, g) => {
    const { companyPrefix, itemRefAndIndicator } = splitGtin(`${v.slice(0, 13)}`, g);
    return { scheme: 'id:sscc', companyPrefix, serialReference: itemRefAndIndicator + v.slice(13, 17) };
  }],
  ['414', (v, q, g) => {
    refuse(q, '7040', 'SGLN has no UIC extension');
    if (q['254'] === '0') noEpc('254', "SGLN extension '0' means 'no extension' (TDS §7.4)");
    const extension = q['254'] ?? '0';
    return { scheme: 'id:sgln', companyPrefix: v.slice(0, g), locationReference: v.slice(g, 12), extension };
  }],
  ['417', (v, q, g) => {
    refuse(q, '7040', 'PGLN has no UIC extension');
    return { scheme: 'id:pgln', companyPrefix: v.slice(0, g), partyReference: v.slice(g, 12) };
  }],
  ['8003', (v, _, g) => {
    const pattern = { scheme: 'idpat:grai', companyPrefix: v.slice(1, 1 + g), assetType: v.slice(1 + g, 13) } as const;
    return withSerial({ ...pattern, scheme: 'id:grai', serial: v.slice(14) }, pattern);
  }],
  ['8004', (v, q, g) => {
    refuse(q, '7040', 'GIAI EPCs have no UIC extension');
    return { scheme: 'id:giai', companyPrefix: v.slice(0, g), individualAssetReference: v.slice(g) };
  }],
  ['8017', (v, q, g) => {
    refuse(q, '8019', 'GSRN EPCs have no service relation instance');
    return { scheme: 'id:gsrnp', companyPrefix: v.slice(0, g), serviceReference: v.slice(g, 17) };
  }],
  ['8018', (v, q, g) => {
    refuse(q, '8019', 'GSRN EPCs have no service relation instance');
    return { scheme: 'id:gsrn', companyPrefix: v.slice(0, g), serviceReference: v.slice(g, 17) };
  }],
  ['253', (v, _, g) => {
    const pattern = { scheme: 'idpat:gdti', companyPrefix: v.slice(0, g), documentType: v.slice(g, 12) } as const;
    return withSerial({ ...pattern, scheme: 'id:gdti', serial: v.slice(13) }, pattern);
  }],
  ['255', (v, _, g) => {
    const pattern = { scheme: 'idpat:sgcn', companyPrefix: v.slice(0, g), couponReference: v.slice(g, 12) } as const;
    return withSerial({ ...pattern, scheme: 'id:sgcn', serial: v.slice(13) }, pattern);
  }],
  ['8010', (v, q, g) => {
    const pattern = { scheme: 'idpat:cpi', companyPrefix: v.slice(0, g), componentPartReference: v.slice(g) } as const;
    return withSerial({ ...pattern, scheme: 'id:cpi', serial: q['8011'] ?? '' }, pattern);
  }],
  ['401', (v, _, g) => ({ scheme: 'id:ginc', companyPrefix: v.slice(0, g), consignmentReference: v.slice(g) })],
  ['402', (v, _, g) => ({ scheme: 'id:gsin', companyPrefix: v.slice(0, g), shipperReference: v.slice(g, 16) })],
]); // prettier-ignore

const elementsToEpc = (primaryKey: AiElement, qualifiers: AiElement[], g: number): EpcUri => {
  const toEpc =
    FROM_KEY.get(primaryKey.ai) ?? noEpc(primaryKey.ai, 'EPC TDS defines no scheme for it');
  return toEpc(primaryKey.value, Object.fromEntries(qualifiers.map((e) => [e.ai, e.value])), g);
};

/**
 * The EPC URI of a GS1 Digital Link URI (EPC TDS 2.x §7; the reverse of epcUriToDigitalLink):
 * serialised keys give pure identity URIs, GTIN + lot the LGTIN class URI, and a key without its
 * serial (GTIN, ITIP, GRAI, GDTI, GCN, CPID) the pattern URI of its class. Check digits are
 * dropped and the GTIN indicator / SSCC extension digit moves behind the company prefix.
 *
 * `companyPrefixLength` (6–12) is required: where the GS1 Company Prefix ends inside a key
 * cannot be derived from the key, only looked up (GS1 Company Prefix length table). Data
 * attributes are ignored; a lot or CPV next to a serial is dropped (the SGTIN is GTIN + serial);
 * qualifiers that EPC cannot express (CPV without serial, 7040, 8019, 254 = "0") and keys without
 * an EPC scheme (415, 8013) throw INVALID_IDENTIFIER. An EPC URI input is returned canonical.
 */
export const digitalLinkToEpcUri = (uri: string, companyPrefixLength: number): string => {
  if (typeof uri === 'string' && uri.startsWith('urn:epc:')) return formatEpcUri(parseEpcUri(uri));
  if (
    !Number.isInteger(companyPrefixLength) ||
    companyPrefixLength < 6 ||
    companyPrefixLength > 12
  ) {
    invalid(
      `companyPrefixLength ${companyPrefixLength} must be an integer from 6 to 12: the GS1 Company Prefix length cannot be derived from the key, look it up in GS1's company prefix length table`,
    );
  }
  const dl = parseDigitalLink(uri);
  return formatEpcUri(elementsToEpc(dl.primaryKey, dl.qualifiers, companyPrefixLength));
};
