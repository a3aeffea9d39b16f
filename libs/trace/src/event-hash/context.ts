import { TraceError } from '../errors.js';

/**
 * A JSON-LD `@context` value as EPCIS 2.0 documents carry it: a context URL, an object of term
 * definitions (`{ "example": "https://ns.example.com/epcis/" }`), or an array of both.
 */
export type JsonLdContext =
  string | { readonly [term: string]: unknown } | readonly JsonLdContext[];

/** Prefix → namespace IRI, as the hash algorithm needs them to name user extensions. */
export type PrefixMap = ReadonlyMap<string, string>;

// The prefixes the EPCIS 2.0.0 context itself defines (and protects). Documents that do not
// repeat them still mean them: `gs1:Temperature` is https://gs1.org/voc/Temperature.
const STANDARD_PREFIXES: readonly (readonly [string, string])[] = [
  ['epcis', 'https://ref.gs1.org/epcis/'],
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['cbvmda', 'urn:epcglobal:cbv:mda:'],
  ['gs1', 'https://gs1.org/voc/'],
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
];

export const STANDARD_PREFIX_MAP: PrefixMap = new Map(STANDARD_PREFIXES);

// Contexts are shared by every event of a document: resolve each context object once.
const resolved = new WeakMap<object, PrefixMap>();

const addDefinitions = (prefixes: Map<string, string>, context: unknown, pointer: string): void => {
  if (typeof context === 'string') return; // a remote context: only its standard prefixes are known
  if (Array.isArray(context)) {
    context.forEach((entry, i) => addDefinitions(prefixes, entry, `${pointer}/${i}`));
    return;
  }
  if (context === null || typeof context !== 'object') {
    throw new TraceError(
      'INVALID_EVENT',
      `${pointer} is not a JSON-LD context (string, object or array)`,
    );
  }
  for (const [term, definition] of Object.entries(context as Record<string, unknown>)) {
    // Keywords (@vocab, @version…), compact-IRI terms ("rail:x": {"@type": "@id"}) and keyword
    // aliases ("id": "@id") define no prefix; an expanded definition names its IRI in @id.
    if (term.startsWith('@') || term.includes(':')) continue;
    const iri =
      typeof definition === 'object' && definition !== null
        ? (definition as Record<string, unknown>)['@id']
        : definition;
    if (typeof iri === 'string' && !iri.startsWith('@')) prefixes.set(term, iri);
  }
};

/**
 * The prefixes in force under `context` (a JsonLdContext; `undefined` or `null` for none): the
 * EPCIS 2.0.0 context's own, overridden and extended by the document's term definitions, in
 * document order. Object and array contexts are resolved once and cached. Throws
 * `TraceError('INVALID_EVENT')` naming the entry that is neither a string, an object nor an array
 * (the context may come from untrusted input).
 */
export const resolvePrefixes = (context: unknown, pointer = '/@context'): PrefixMap => {
  if (context === undefined || context === null || typeof context === 'string') {
    return STANDARD_PREFIX_MAP;
  }
  if (typeof context !== 'object') return extendPrefixes(STANDARD_PREFIX_MAP, context, pointer); // throws
  const cached = resolved.get(context);
  if (cached !== undefined) return cached;
  const prefixes = new Map(STANDARD_PREFIXES);
  addDefinitions(prefixes, context, pointer);
  resolved.set(context, prefixes);
  return prefixes;
};

/** `prefixes` extended by an event's own `@context`, when it has one. */
export const extendPrefixes = (
  prefixes: PrefixMap,
  context: unknown,
  pointer: string,
): PrefixMap => {
  const extended = new Map(prefixes);
  addDefinitions(extended, context, pointer);
  return extended;
};

// JSON-LD 1.1 §4.4 (compact IRIs): "prefix:suffix" where the suffix does not start with "//".
const splitCompactIri = (
  value: string,
  prefixes: PrefixMap,
): readonly [string, string] | undefined => {
  const colon = value.indexOf(':');
  if (colon <= 0 || value.startsWith('//', colon + 1)) return undefined;
  const namespace = prefixes.get(value.slice(0, colon));
  return namespace === undefined ? undefined : [namespace, value.slice(colon + 1)];
};

/**
 * The name a field has in the pre-hash string (CBV 2.0 event hash ID rules 19-21): a compact IRI with a
 * known prefix becomes `{namespace}localName` (`example:myField` → `{https://ns.example.com/epcis/}myField`);
 * any other key (an EPCIS field, an absolute IRI) is kept as written.
 */
export const expandKey = (key: string, prefixes: PrefixMap): string => {
  const parts = splitCompactIri(key, prefixes);
  return parts === undefined ? key : `{${parts[0]}}${parts[1]}`;
};

/** A value that is a compact IRI with a known prefix, as a full IRI (CBV 2.0 event hash ID rule 15). */
export const expandCompactIri = (value: string, prefixes: PrefixMap): string => {
  const parts = splitCompactIri(value, prefixes);
  return parts === undefined ? value : parts[0] + parts[1];
};
