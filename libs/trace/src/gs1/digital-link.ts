import { TraceError } from '../errors.js';

import { findAiDefinition } from './ai-value.js';
import { isUriText, percentDecode, percentEncode } from './charset.js';
import {
  type AiElement,
  normalizeElement,
  orderKeyQualifiers,
  verifyDataAttributes,
} from './key-path.js';

/** An uncompressed GS1 Digital Link URI (GS1 Digital Link URI Syntax), values unescaped. */
export type DigitalLink = {
  /** Scheme, host and any path prefix before the primary key, without a trailing slash. */
  base: string;
  primaryKey: AiElement;
  /** Key qualifiers, in the order the standard prescribes for the primary key. */
  qualifiers: AiElement[];
  /** AIs of the query string, in their order in the URI. */
  dataAttributes: AiElement[];
  /** Non-AI query parameters (e.g. linkType), decoded, in their order in the URI. */
  otherParams: [name: string, value: string][];
};

/** The base of canonical GS1 Digital Link URIs (GS1 Digital Link URI Syntax). */
export const GS1_DIGITAL_LINK_BASE = 'https://id.gs1.org';

const invalid = (message: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', message);
};

// GS1 Digital Link 1.0/1.1 convenience alphas (deprecated since URI Syntax 1.2), accepted in
// the path when parsing and never produced.
const ALPHAS = new Map(
  Object.entries({
    cpid: '8010', cpsn: '8011', cpv: '22', gcn: '255', gdti: '253', giai: '8004', ginc: '401',
    gln: '414', glnx: '254', gmn: '8013', grai: '8003', gsin: '402', gsrn: '8018', gsrnp: '8017',
    gtin: '01', itip: '8006', lot: '10', party: '417', refno: '8020', ser: '21', srin: '8019',
    sscc: '00',
  }), // prettier-ignore
);

// The path segment at `i`, or '' past either end.
const segmentAt = (segments: string[], i: number): string => segments.slice(i, i + 1).join('');

const aiOfSegment = (segment: string): string | undefined => {
  const ai = ALPHAS.get(segment) ?? segment;
  return findAiDefinition(ai) ? ai : undefined;
};
const isPrimaryKey = (ai: string | undefined): boolean =>
  ai !== undefined && findAiDefinition(ai)?.keyQualifiers !== undefined;

// Scheme and host; the host excludes the characters the GS1 Syntax Engine refuses in a domain.
const ORIGIN = String.raw`https?:\/\/[^/?#_~@!$&'()*+,;=%]+`;
const URI_SHAPE = new RegExp(`^(${ORIGIN})((?:\\/[^?#]*)?)(?:\\?([^#]*))?(?:#.*)?$`, 'i');
const BASE_SHAPE = new RegExp(`^${ORIGIN}(?:\\/[^?#]*)?$`, 'i');

// Like the GS1 Syntax Engine, the primary key is found by walking /AI/value pairs backwards from
// the end of the path: whatever precedes it is the base (a resolver may add a path prefix).
const findPrimaryKey = (segments: string[], path: string): number => {
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const ai = aiOfSegment(segmentAt(segments, i));
    if (ai === undefined) break;
    if (isPrimaryKey(ai)) return i;
  }
  // No key reached: point at the first thing that breaks the /AI/value pairs after a key.
  const start = segments.findIndex((s) => isPrimaryKey(aiOfSegment(s)));
  if (start < 0) invalid(`no GS1 primary key (e.g. /01/<GTIN>) in the path '${path}'`);
  for (let i = start; i < segments.length; i += 2) {
    const segment = segmentAt(segments, i);
    if (aiOfSegment(segment) === undefined) {
      invalid(`'${segment}' in the path is not a GS1 Application Identifier`);
    }
  }
  return invalid(`AI (${aiOfSegment(segments.slice(-1).join(''))}) in the path has no value`);
};

const parsePathElements = (segments: string[]): AiElement[] => {
  const elements: AiElement[] = [];
  for (let i = 0; i < segments.length; i += 2) {
    const ai = String(aiOfSegment(segmentAt(segments, i))); // findPrimaryKey checked every AI
    const value = percentDecode(segmentAt(segments, i + 1), `AI (${ai}) in the path`);
    if (value === '') invalid(`AI (${ai}) in the path has an empty value`);
    elements.push(normalizeElement({ ai, value }));
  }
  return elements;
};

const parseQuery = (query: string): Pick<DigitalLink, 'dataAttributes' | 'otherParams'> => {
  const dataAttributes: AiElement[] = [];
  const otherParams: [string, string][] = [];
  for (const param of query.split('&').filter(Boolean)) {
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    const raw = eq < 0 ? '' : param.slice(eq + 1);
    if (name === '') invalid(`query parameter '${param}' has no name`);
    if (/^[0-9]+$/.test(name)) {
      if (!findAiDefinition(name)) invalid(`unknown AI (${name}) in the query string`);
      if (raw === '') invalid(`AI (${name}) in the query string has no value`);
      const value = percentDecode(raw, `AI (${name}) in the query string`, true);
      dataAttributes.push(normalizeElement({ ai: name, value }));
    } else {
      const key = percentDecode(name, `query parameter '${name}'`, true);
      otherParams.push([key, percentDecode(raw, `query parameter '${name}'`, true)]);
    }
  }
  return { dataAttributes, otherParams };
};

/**
 * Parses an uncompressed GS1 Digital Link URI (GS1 Digital Link URI Syntax 1.4/1.5; key
 * qualifiers and data attributes per the GS1 Barcode Syntax Dictionary). Accepts any http(s)
 * base, the deprecated convenience alphas (/gtin/…), GTIN-8/12/13 (returned as GTIN-14) and one
 * trailing slash; ignores a fragment. Values are percent-decoded and checked against their AI
 * formats, check digits included. Throws INVALID_IDENTIFIER naming the offending part.
 *
 * Attacker-controlled input: every structural error is reported, none is repaired.
 *
 * @example parseDigitalLink('https://id.gs1.org/01/04012345111118/21/987?17=261231')
 */
export const parseDigitalLink = (uri: string): DigitalLink => {
  if (typeof uri !== 'string' || !isUriText(uri)) {
    invalid(`'${String(uri)}' contains characters that a URI cannot contain`);
  }
  const [, origin = '', rawPath = '', query = ''] =
    URI_SHAPE.exec(uri) ?? invalid(`'${uri}' is not an http(s) URI with a host`);
  const path = rawPath.replace(/\/$/, '');
  const segments = path.split('/').slice(1);
  const start = findPrimaryKey(segments, path);
  const [primaryKey, ...qualifiers] = parsePathElements(segments.slice(start)) as [
    AiElement,
    ...AiElement[],
  ];
  const ordered = orderKeyQualifiers(primaryKey, qualifiers);
  const misplaced = ordered.findIndex((q, i) => q !== qualifiers[i]);
  if (misplaced >= 0) {
    invalid(
      `key qualifier (${ordered[misplaced]?.ai}) must come before (${qualifiers[misplaced]?.ai}) after primary key (${primaryKey.ai})`,
    );
  }
  const { dataAttributes, otherParams } = parseQuery(query);
  verifyDataAttributes(
    primaryKey.ai,
    [primaryKey, ...qualifiers].map((e) => e.ai),
    dataAttributes,
  );
  const base = [origin, ...segments.slice(0, start)].join('/');
  return { base, primaryKey, qualifiers, dataAttributes, otherParams };
};

/** Whether `uri` is a valid uncompressed GS1 Digital Link URI (see parseDigitalLink). */
export const isDigitalLink = (uri: string): boolean => {
  try {
    parseDigitalLink(uri);
    return true;
  } catch (error) {
    /* c8 ignore next */
    if (!(error instanceof TraceError)) throw error; // a bug, not a bad identifier
    return false;
  }
};

/**
 * Formats a Digital Link on `base` (default https://id.gs1.org; `dl.base` is not used, pass it
 * to keep it) in canonical form: no trailing slash, GTIN-14, key qualifiers in the prescribed
 * order, values percent-encoded exactly where RFC 3986 requires (all but A–Z a–z 0–9 - . _ ~),
 * data attributes then other parameters in their given order. Validates like parseDigitalLink
 * and throws INVALID_IDENTIFIER naming the offending part.
 */
export const formatDigitalLink = (
  dl: DigitalLink,
  base: string = GS1_DIGITAL_LINK_BASE,
): string => {
  const stem = base.replace(/\/+$/, '');
  if (!BASE_SHAPE.test(stem) || !isUriText(stem)) {
    invalid(`base '${base}' is not an http(s) URI without query or fragment`);
  }
  const primaryKey = normalizeElement(dl.primaryKey);
  const qualifiers = orderKeyQualifiers(primaryKey, dl.qualifiers.map(normalizeElement));
  const dataAttributes = dl.dataAttributes.map(normalizeElement);
  verifyDataAttributes(
    primaryKey.ai,
    [primaryKey, ...qualifiers].map((e) => e.ai),
    dataAttributes,
  );
  for (const [name] of dl.otherParams) {
    if (/^[0-9]*$/.test(name)) {
      invalid(`query parameter name '${name}' must not be empty or numeric`);
    }
  }
  const path = [primaryKey, ...qualifiers].map((e) => `/${e.ai}/${percentEncode(e.value)}`);
  const query = [
    ...dataAttributes.map((e) => `${e.ai}=${percentEncode(e.value)}`),
    ...dl.otherParams.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`),
  ];
  return stem + path.join('') + (query.length > 0 ? `?${query.join('&')}` : '');
};
