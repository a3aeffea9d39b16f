import { TraceError } from '../errors.js';

import { escapeEpcComponent, unescapeEpcComponent } from './charset.js';
import { appendCheckDigit } from './check-digit.js';
import { type EpcScheme, type EpcUri, type PartKind, SCHEMES, isEpcScheme } from './epc-schemes.js';
import { type AiElement, orderKeyQualifiers } from './key-path.js';

const invalid = (message: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', message);
};

const PART_PATTERNS: Partial<Record<PartKind, RegExp>> = {
  digits: /^[0-9]+$/,
  'digits?': /^[0-9]*$/,
  two: /^[0-9]{2}$/,
  numeric: /^(0|[1-9][0-9]*)$/,
  '*': /^\*$/,
};

const readPart = (text: string, kind: PartKind, what: string): string => {
  if (kind === 'gs3a3' || kind === 'cpref') {
    if (text === '') invalid(`${what} must not be empty`);
    return unescapeEpcComponent(text, kind, what);
  }
  if (!PART_PATTERNS[kind]?.test(text)) {
    invalid(
      `${what} '${text}' is not ${kind === '*' ? "'*' (only one-class patterns are supported)" : 'digits as TDS requires'}`,
    );
  }
  return text;
};

type Gcp = { companyPrefix: string };

// A GTIN-14 or SSCC from its EPC form (EPC TDS §7.3, §7.4): the indicator (GTIN) or extension
// digit (SSCC) leads the second URI component but the key, and the check digit is not in the URI.
const withLeadingDigit = (gcp: string, itemRefAndIndicator: string): string =>
  appendCheckDigit(itemRefAndIndicator.charAt(0) + gcp + itemRefAndIndicator.slice(1));
const gtinOf = (e: Gcp & { itemRefAndIndicator: string }) =>
  withLeadingDigit(e.companyPrefix, e.itemRefAndIndicator);
const itipOf = (e: Gcp & { itemRefAndIndicator: string; piece: string; total: string }) =>
  gtinOf(e) + e.piece + e.total;
// GLN-like keys: company prefix + reference + check digit.
const withCheck = (e: Gcp, reference: string) => appendCheckDigit(e.companyPrefix + reference);
const el = (ai: string, value: string): AiElement => ({ ai, value });

type ToElements = { [S in EpcScheme]: (epc: Extract<EpcUri, { scheme: S }>) => AiElement[] };

// EPC TDS 2.x §7.3–7.18, "Correspondence between EPCs and GS1 Keys", one line per scheme.
const TO_ELEMENTS: ToElements = {
  'id:sgtin': (e) => [el('01', gtinOf(e)), el('21', e.serial)],
  'class:lgtin': (e) => [el('01', gtinOf(e)), el('10', e.lot)],
  'idpat:sgtin': (e) => [el('01', gtinOf(e))],
  'idpat:upui': (e) => [el('01', gtinOf(e))],
  'id:upui': (e) => [el('01', gtinOf(e)), el('235', e.tpx)],
  'id:sscc': (e) => [el('00', withLeadingDigit(e.companyPrefix, e.serialReference))],
  // §7.5: an SGLN extension of "0" means no GLN extension at all.
  'id:sgln': (e) => [
    el('414', withCheck(e, e.locationReference)),
    ...(e.extension === '0' ? [] : [el('254', e.extension)]),
  ],
  'id:pgln': (e) => [el('417', withCheck(e, e.partyReference))],
  // §7.6: AI 8003 is a padding "0", the GRAI-13 with its check digit, then the serial.
  'id:grai': (e) => [el('8003', `0${withCheck(e, e.assetType)}${e.serial}`)],
  'idpat:grai': (e) => [el('8003', `0${withCheck(e, e.assetType)}`)],
  'id:giai': (e) => [el('8004', e.companyPrefix + e.individualAssetReference)],
  'id:gsrn': (e) => [el('8018', withCheck(e, e.serviceReference))],
  'id:gsrnp': (e) => [el('8017', withCheck(e, e.serviceReference))],
  'id:gdti': (e) => [el('253', withCheck(e, e.documentType) + e.serial)],
  'idpat:gdti': (e) => [el('253', withCheck(e, e.documentType))],
  'id:sgcn': (e) => [el('255', withCheck(e, e.couponReference) + e.serial)],
  'idpat:sgcn': (e) => [el('255', withCheck(e, e.couponReference))],
  'id:cpi': (e) => [el('8010', e.companyPrefix + e.componentPartReference), el('8011', e.serial)],
  'idpat:cpi': (e) => [el('8010', e.companyPrefix + e.componentPartReference)],
  'id:ginc': (e) => [el('401', e.companyPrefix + e.consignmentReference)],
  'id:gsin': (e) => [el('402', withCheck(e, e.shipperReference))],
  'id:itip': (e) => [el('8006', itipOf(e)), el('21', e.serial)],
  'idpat:itip': (e) => [el('8006', itipOf(e))],
};

/**
 * The GS1 element strings of an EPC (EPC TDS 2.x §7.3–7.18), primary key first, check digits
 * computed: the inverse of the Digital Link → EPC split.
 */
export const epcToElements = (epc: EpcUri): AiElement[] =>
  // TO_ELEMENTS is keyed by scheme, so the entry fits `epc`; TS cannot correlate the two.
  (TO_ELEMENTS[epc.scheme] as (epc: EpcUri) => AiElement[])(epc);

const SUPPORTED =
  'id:sgtin|sscc|sgln|grai|giai|gsrn|gsrnp|gdti|cpi|sgcn|ginc|gsin|itip|upui|pgln, class:lgtin, idpat:sgtin|upui|grai|gdti|sgcn|cpi|itip';

// The components of a URI body: the company prefix, then one per layout part, the last taking
// the rest (a GS3A3 serial may contain '.').
const splitBody = (uri: string, scheme: string, body: string, count: number): string[] => {
  const pieces = body.split('.');
  if (scheme.startsWith('idpat:') && pieces.slice(0, -1).includes('*')) {
    invalid(`EPC pattern '${uri}': only '*' in the last component (one class) is supported`);
  }
  if (pieces.length <= count) {
    invalid(`EPC URI '${uri}' needs ${count + 1} '.'-separated components`);
  }
  return Array.from({ length: count + 1 }, (_, i) =>
    pieces.slice(i, i === count ? undefined : i + 1).join('.'),
  );
};

/**
 * Parses an EPC pure identity URI, LGTIN class URI or single-class pattern URI (EPC Tag Data
 * Standard 2.x §6.3, §6.4, §8; grammar and escapes of §5). Besides the grammar it checks what
 * the GS1 key it denotes must satisfy (lengths and characters of serials, lots, references; see
 * epcToElements). Throws INVALID_IDENTIFIER naming the component; schemes without a GS1 Digital
 * Link equivalent (gid, usdod, adi, bic, imovn) are refused. The GS1 Prefixes TDS §7.3.3–7.3.8
 * bars from SGTINs are refused when constructing one (digitalLinkToEpcUri), not when reading one.
 *
 * @example parseEpcUri('urn:epc:id:sgtin:4012345.011111.987')
 */
export const parseEpcUri = (uri: string): EpcUri => {
  const [, level = '', name = '', body = ''] =
    /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/.exec(String(uri)) ??
    invalid(`'${String(uri)}' is not an EPC URI (urn:epc:id|class|idpat:<scheme>:…)`);
  const scheme = `${level}:${name}`;
  if (!isEpcScheme(scheme)) {
    invalid(`EPC scheme '${scheme}' is not supported (supported: ${SUPPORTED})`);
  }
  const layout = SCHEMES[scheme as keyof typeof SCHEMES];
  const texts = splitBody(uri, scheme, body, layout.parts.length);
  const companyPrefix = texts.slice(0, 1).join('');
  if (!/^[0-9]{6,12}$/.test(companyPrefix)) {
    invalid(`EPC URI '${uri}': GS1 Company Prefix '${companyPrefix}' must be 6 to 12 digits`);
  }
  const epc: Record<string, string> = { scheme, companyPrefix };
  layout.parts.forEach(([field, kind], i) => {
    const value = readPart(texts.slice(i + 1, i + 2).join(''), kind, `EPC URI '${uri}': ${field}`);
    if (kind !== '*') epc[field] = value;
  });
  // TDS §6.3: company prefix + first component have a fixed number of digits for most schemes.
  const digits = companyPrefix.length + texts.slice(1, 2).join('').length;
  if (layout.digits !== undefined && digits !== layout.digits) {
    const first = layout.parts.slice(0, 1).map(([field]) => field);
    invalid(
      `EPC URI '${uri}': company prefix and ${first.join('')} must have ${layout.digits} digits together`,
    );
  }
  // The layout guarantees the shape of the scheme's member of the union.
  const parsed = epc as EpcUri;
  const [primaryKey, ...qualifiers] = epcToElements(parsed) as [AiElement, ...AiElement[]];
  try {
    orderKeyQualifiers(primaryKey, qualifiers);
  } catch (cause) {
    /* c8 ignore next */
    if (!(cause instanceof TraceError)) throw cause; // a bug, not a bad identifier
    throw new TraceError('INVALID_IDENTIFIER', `EPC URI '${uri}': ${cause.message}`, { cause });
  }
  return parsed;
};

/** Formats an EPC as its URI (EPC TDS §5 escapes applied), validating it as parseEpcUri does. */
export const formatEpcUri = (epc: EpcUri): string => {
  const layout = SCHEMES[epc.scheme];
  const fields = epc as unknown as Record<string, string | undefined>;
  const texts = layout.parts.map(([field, kind]) => {
    const value = kind === '*' ? '*' : (fields[field] ?? '');
    return kind === 'gs3a3' || kind === 'cpref' ? escapeEpcComponent(value, kind) : value;
  });
  const uri = `urn:epc:${epc.scheme}:${[epc.companyPrefix, ...texts].join('.')}`;
  parseEpcUri(uri);
  return uri;
};
