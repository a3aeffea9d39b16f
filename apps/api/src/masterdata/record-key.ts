// Master data records are keyed by canonical GS1 Digital Link URIs on https://id.gs1.org, exactly
// as the events' identifier index (event_identifiers.identifier) writes them, so that a page can
// join an event's identifiers to their master data without converting anything.
import {
  type AiElement,
  epcUriToDigitalLink,
  formatDigitalLink,
  GS1_DIGITAL_LINK_BASE,
  isTraceError,
  normalizeGtin,
  parseDigitalLink,
  verifyAiValue,
} from '@traceroot/trace';

export const RECORD_KINDS = ['product', 'lot', 'location', 'party'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A master data record's identity: its canonical Digital Link URI and what it describes. */
export type RecordKey = { readonly id: string; readonly kind: RecordKind };

/** Why an identifier names no master data record; `message` is for the caller. */
export class RecordKeyError extends Error {
  override readonly name = 'RecordKeyError';
}

const fail = (message: string, cause?: unknown): never => {
  throw new RecordKeyError(message, cause === undefined ? undefined : { cause });
};

const canonical = (primaryKey: AiElement, qualifiers: AiElement[] = []): string =>
  formatDigitalLink({
    base: GS1_DIGITAL_LINK_BASE,
    primaryKey,
    qualifiers,
    dataAttributes: [],
    otherParams: [],
  });

// Runs a @traceroot/trace check and turns its INVALID_IDENTIFIER into a RecordKeyError.
const gs1 = <T>(what: string, check: () => T): T => {
  try {
    return check();
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return fail(`${what}: ${error.message}`, error);
  }
};

/** `/01/{gtin14}`: a GTIN of 8, 12, 13 or 14 digits with a valid check digit. */
export const productKey = (gtin: string): RecordKey => {
  const gtin14 = gs1(`'${gtin}' is not a GTIN`, () => normalizeGtin(gtin));
  return { id: canonical({ ai: '01', value: gtin14 }), kind: 'product' };
};

/** `/01/{gtin14}/10/{lot}`: the lot is a GS1 AI (10) value, 1–20 characters of CSET 82. */
export const lotKey = (gtin: string, lot: string): RecordKey => {
  const product = productKey(gtin);
  gs1(`'${lot}' is not a lot number (AI 10: 1–20 characters of GS1 CSET 82)`, () =>
    verifyAiValue('10', lot),
  );
  const gtin14 = product.id.slice(-14);
  return { id: canonical({ ai: '01', value: gtin14 }, [{ ai: '10', value: lot }]), kind: 'lot' };
};

/** `/417/{pgln}`: a party GLN, 13 digits with a valid check digit. */
export const partyKey = (pgln: string): RecordKey => {
  gs1(`'${pgln}' is not a party GLN (13 digits with a valid check digit)`, () =>
    verifyAiValue('417', pgln),
  );
  return { id: canonical({ ai: '417', value: pgln }), kind: 'party' };
};

/**
 * A location: a 13-digit GLN, an SGLN EPC URI (`urn:epc:id:sgln:…`; extension "0" is the GLN
 * itself, EPC TDS §7.5) or a Digital Link `…/414/{gln}[/254/{extension}]`.
 */
export const locationKey = (id: string): RecordKey => {
  if (/^[0-9]{13}$/.test(id)) {
    gs1(`'${id}' is not a GLN`, () => verifyAiValue('414', id));
    return { id: canonical({ ai: '414', value: id }), kind: 'location' };
  }
  const key = recordKeyOf(id);
  if (key.kind !== 'location') fail(`'${id}' names a ${key.kind}, not a location`);
  return key;
};

/**
 * The record an identifier names, from any form @traceroot/trace reads: an EPC URI (class
 * `urn:epc:idpat:sgtin:….*` → product, `urn:epc:class:lgtin:…` → lot, `urn:epc:id:sgln:…` →
 * location, `urn:epc:id:pgln:…` → party) or a GS1 Digital Link URI on any host (its data
 * attributes ignored). Anything else, e.g. a serialised item, is a RecordKeyError.
 */
export const recordKeyOf = (identifier: string): RecordKey => {
  const uri = gs1(`'${identifier}' is not a GS1 identifier`, () => epcUriToDigitalLink(identifier));
  const { primaryKey, qualifiers } = parseDigitalLink(uri);
  const ais = [primaryKey.ai, ...qualifiers.map((q) => q.ai)].join('/');
  const kind = KIND_BY_AIS[ais] ?? fail(notARecord(identifier));
  return { id: uri, kind };
};

const KIND_BY_AIS: Readonly<Record<string, RecordKind>> = {
  '01': 'product',
  '01/10': 'lot',
  '414': 'location',
  '414/254': 'location',
  '417': 'party',
};

const notARecord = (identifier: string): string =>
  `'${identifier}' names no product (GTIN), lot (GTIN + lot), location (GLN, with or without extension) or party (PGLN)`;

/**
 * The records that describe what `identifier` names, for POST /masterdata/lookup: the record
 * itself, plus for a lot its product, for a serialised item (GTIN + serial, with or without lot)
 * its product and lot, and for a location with an extension its site (the GLN alone). Empty when
 * the identifier is not a GS1 key at all (a private URI names no record).
 */
export const describingKeysOf = (identifier: string): string[] => {
  let uri: string;
  try {
    uri = epcUriToDigitalLink(identifier);
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return [];
  }
  const { primaryKey, qualifiers } = parseDigitalLink(uri);
  const lot = qualifiers.find((q) => q.ai === '10');
  switch (primaryKey.ai) {
    case '01': {
      const product = canonical(primaryKey);
      return lot === undefined ? [product] : [product, canonical(primaryKey, [lot])];
    }
    case '414':
      return qualifiers.length === 0 ? [uri] : [uri, canonical(primaryKey)];
    case '417':
      return [uri];
    default:
      return [];
  }
};
