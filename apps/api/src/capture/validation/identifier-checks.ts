import { epcUriToDigitalLink, isTraceError, parseDigitalLink, parseEpcUri } from '@traceroot/trace';

// Syntax and check digits of the GS1 identifiers an event names (EPC Tag Data Standard 2.x URNs
// and GS1 Digital Link URIs), through @traceroot/trace's parsers. Any other URI (a private
// identifier, a web page) is allowed: EPCIS 2.0 §8.2 lets objects be named by any URI.

// EPC TDS 2.x schemes that are not GS1 keys: no check digit and no Digital Link form, so there is
// nothing to check beyond the URN prefix (the schema has already checked it is a URI).
const NON_GS1_EPC = /^urn:epc:(?:id|idpat):(?:gid|usdod|adi|bic|imovn):/;

// What counts as a Digital Link: any URI on GS1's resolver, and any http(s) URI whose path holds
// a GS1 primary key (AI or convenience alpha) followed by four digits; the last is the test the
// event hash ID uses to decide that a URI is a Digital Link (libs/trace event-hash/value.ts), so
// whatever the hash canonicalises as a GS1 key is checked here as one.
const GS1_RESOLVER = /^https?:\/\/id\.gs1\.org\//i;
const DIGITAL_LINK =
  /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/(?:00|01|253|255|401|402|414|417|8003|8004|8006|8010|8017|8018|gtin|itip|cpid|gln|party|gsrnp|gsrn|gcn|sscc|gdti|ginc|gsin|grai|giai)\/\d{4}/;

/** What an identifier was read as. */
export type IdentifierKind = 'EPC URI' | 'GS1 Digital Link URI';

/** Why an identifier is refused: what it was read as and the parser's reason. */
export type IdentifierProblem = { readonly kind: IdentifierKind; readonly reason: string };

const kindOf = (value: string): IdentifierKind | undefined => {
  if (value.startsWith('urn:epc:')) return NON_GS1_EPC.test(value) ? undefined : 'EPC URI';
  return GS1_RESOLVER.test(value) || DIGITAL_LINK.test(value) ? 'GS1 Digital Link URI' : undefined;
};

// An EPC URI is checked by converting it to its Digital Link, which parses it and is remembered
// (epcUriToDigitalLink): the event hash ID and the query index then convert it for free. Only when
// the conversion fails does parseEpcUri decide, so the verdict is exactly parseEpcUri's.
const convertsToDigitalLink = (value: string): boolean => {
  try {
    epcUriToDigitalLink(value);
    return true;
  } catch {
    return false;
  }
};

const parse = (value: string, kind: IdentifierKind): IdentifierProblem | null => {
  try {
    if (kind === 'EPC URI') {
      if (!convertsToDigitalLink(value)) parseEpcUri(value);
    } else {
      parseDigitalLink(value);
    }
    return null;
  } catch (error) {
    if (!isTraceError(error) || error.code !== 'INVALID_IDENTIFIER') throw error; // a bug
    return { kind, reason: error.message };
  }
};

// Locations, parties and classes repeat from event to event and documents are re-sent: remember
// verdicts in a bounded map that is simply emptied when full (the parsers are pure).
const CACHE_SIZE = 8192;
const verdicts = new Map<string, IdentifierProblem | null>();

/**
 * Why `value` is not a valid GS1 identifier, or undefined when it is valid or is not meant as
 * one. Attacker-controlled input: nothing is repaired, every structural error is reported.
 */
export const findIdentifierProblem = (value: string): IdentifierProblem | undefined => {
  const kind = kindOf(value);
  if (kind === undefined) return undefined;
  let verdict = verdicts.get(value);
  if (verdict === undefined) {
    if (verdicts.size >= CACHE_SIZE) verdicts.clear();
    verdict = parse(value, kind);
    verdicts.set(value, verdict);
  }
  return verdict ?? undefined;
};
