import { TraceError, isTraceError } from '../errors.js';
import {
  type DigitalLink,
  epcUriToDigitalLink,
  formatDigitalLink,
  parseDigitalLink,
} from '../gs1/index.js';
import { type PrefixMap, expandCompactIri } from './context.js';
import { formatCbvWebUri } from './vocabulary.js';

// A decimal number as a string may spell it ("1.50", "+2", ".5", "1e3", and "1_000" with digit
// separators, which the reference implementation's float() accepts too). Hex, "Infinity", "NaN"
// and the empty string are not numbers here. Compiled once.
const DIGITS = String.raw`\d(?:_?\d)*`;
const DECIMAL = new RegExp(
  String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`,
);

// Candidates for Digital Link canonicalisation: an http(s) URI whose path holds a GS1 primary key
// (as AI or short name) followed by a value starting with four digits. Compiled once.
const DIGITAL_LINK =
  /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/(?:00|01|253|255|401|402|414|417|8003|8004|8006|8010|8017|8018|gtin|itip|cpid|gln|party|gsrnp|gsrn|gcn|sscc|gdti|ginc|gsin|grai|giai)\/\d{4}/;

/**
 * A number as the pre-hash string writes it (CBV 2.0 event hash ID rules 6-7): no trailing zeros, no
 * exponent for integers (`1e3` → `1000`, `26.0` → `26`), and otherwise the shortest digits that
 * read back as the same double. Below 1e-4 the exponent form of the reference implementation is
 * used (`1.5e-05`), so both produce one string for one number.
 */
export const formatHashNumber = (value: number): string => {
  if (Number.isInteger(value)) return BigInt(value).toString();
  if (Math.abs(value) >= 1e-4) return String(value);
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  return `${mantissa}e${exponent.slice(0, 1)}${exponent.slice(1).padStart(2, '0')}`;
};

// Rules 6-7 apply to every value that reads as a number, strings included: in XML every value is
// text, and the hash must not depend on the syntax the event travelled in.
const formatNumericText = (text: string): string => {
  if (!DECIMAL.test(text)) return text;
  const value = Number(text.replaceAll('_', ''));
  return Number.isFinite(value) ? formatHashNumber(value) : text;
};

// Rule 18 (III): a Digital Link keeps only its most fine-grained identification, one of 00, 01,
// 01+21, 01+10, 01+235, 253, 255, 401, 402, 414, 414+254, 417, 8003, 8004, 8006, 8006+21,
// 8006+10, 8010, 8010+8011, 8017, 8018. Per primary key, the one qualifier kept, finest first.
const FINEST_QUALIFIERS: Readonly<Record<string, readonly string[]>> = {
  '01': ['21', '235', '10'],
  '8006': ['21', '10'],
  '414': ['254'],
  '8010': ['8011'],
};

const constrainDigitalLink = (dl: DigitalLink): DigitalLink => {
  const finest = (FINEST_QUALIFIERS[dl.primaryKey.ai] ?? [])
    .map((ai) => dl.qualifiers.find((q) => q.ai === ai))
    .find((q) => q !== undefined);
  return {
    ...dl,
    qualifiers: finest === undefined ? [] : [finest],
    dataAttributes: [],
    otherParams: [],
  };
};

// Rules 17-18: EPC URIs and Digital Link URIs hash as the constrained canonical Digital Link on
// https://id.gs1.org (custom domain replaced, query string dropped, rule 18 III applied). A value
// that only looks like one (an EPC scheme without a GS1 key such as usdod, a URL that is not a
// Digital Link) is kept as written, as the algorithm keeps every non-GS1 identifier.
const convertIdentifier = (text: string, isEpc: boolean): string => {
  try {
    return isEpc
      ? epcUriToDigitalLink(text)
      : formatDigitalLink(constrainDigitalLink(parseDigitalLink(text)));
  } catch (error) {
    if (isTraceError(error) && error.code === 'INVALID_IDENTIFIER') return text;
    throw error;
  }
};

// Identifier conversion validates every AI and costs tens of microseconds, while read points,
// locations, parties and classes repeat from event to event: memoise the (pure) conversion, in a
// bounded map that is simply emptied when full.
const IDENTIFIER_CACHE_SIZE = 4096;
const identifierCache = new Map<string, string>();

const formatIdentifier = (text: string): string => {
  const isEpc = text.startsWith('urn:epc:');
  if (!isEpc && !DIGITAL_LINK.test(text)) return text;
  let converted = identifierCache.get(text);
  if (converted === undefined) {
    if (identifierCache.size >= IDENTIFIER_CACHE_SIZE) identifierCache.clear();
    converted = convertIdentifier(text, isEpc);
    identifierCache.set(text, converted);
  }
  return converted;
};

/**
 * The canonical text of one string value (CBV 2.0 event hash ID rules 5, 14, 15, 6-7, 17-18, in that
 * order): trimmed; a compact IRI with a known prefix expanded; a URN vocabulary value rewritten
 * to its web URI; a number written canonically; an EPC or Digital Link URI written as a canonical
 * Digital Link. Returns `''` for a value that is empty after trimming.
 */
export const formatHashText = (value: string, prefixes: PrefixMap): string => {
  const text = value.trim();
  if (text === '') return text;
  return formatIdentifier(formatNumericText(formatCbvWebUri(expandCompactIri(text, prefixes))));
};

/**
 * The canonical text of a JSON scalar, or `undefined` for `null` or `undefined` (JSON-LD drops
 * null values, so the field is treated as absent). Booleans hash as `true`/`false`, the
 * xsd:boolean form an XML serialisation of the same event carries. Throws
 * `TraceError('INVALID_EVENT')` naming `pointer` for an object, an array or a non-finite number.
 */
export const formatHashScalar = (
  value: unknown,
  prefixes: PrefixMap,
  pointer: string,
): string | undefined => {
  if (typeof value === 'string') return formatHashText(value, prefixes);
  if (typeof value === 'number' && Number.isFinite(value)) return formatHashNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return undefined;
  throw new TraceError('INVALID_EVENT', `${pointer} must be a string, number or boolean`);
};
