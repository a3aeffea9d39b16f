import { resolvePrefixes } from '../event-hash/context.js';
import {
  type CbvVocabulary,
  expandCbvShortName,
  formatCbvWebUri,
} from '../event-hash/vocabulary.js';
import { parseDigitalLink } from '../gs1/digital-link.js';
import { epcUriToDigitalLink } from '../gs1/epc-digital-link.js';
import { DECLARED_YIELD_IRI } from './rule-set.js';

// What the rules read from an EPCIS event (JSON, any member possibly absent): identifiers in one
// canonical form, CBV words as short names, quantities, destination GLNs, the declared yield.
// Malformed members are read as absent: the rules never throw on an event capture accepted.

// Identifiers repeat across events (an item is commissioned, packed, shipped, received…):
// conversions are remembered in a bounded map, emptied when full. They are pure.
const MEMO_SIZE = 65_536;
const memo = <T>(convert: (id: string) => T): ((id: string) => T) => {
  const known = new Map<string, T>();
  return (id) => {
    const hit = known.get(id);
    if (hit !== undefined || known.has(id)) return hit as T;
    const value = convert(id);
    if (known.size >= MEMO_SIZE) known.clear();
    known.set(id, value);
    return value;
  };
};

/**
 * The canonical form of an identifier: a GS1 key given as an EPC URI or as a Digital Link on any
 * host becomes its Digital Link on id.gs1.org without data attributes; anything else stays as
 * written. The same item therefore has one key however an event names it.
 */
export const canonicalIdentifier: (id: string) => string = /* @__PURE__ */ memo((id) => {
  try {
    return epcUriToDigitalLink(id.trim());
  } catch {
    return id.trim();
  }
});

/** The GLN of a party (PGLN) or location (SGLN) identifier, EPC URI or Digital Link; else null. */
export const glnOf: (id: string) => string | null = /* @__PURE__ */ memo((id) => {
  try {
    const dl = parseDigitalLink(canonicalIdentifier(id));
    return dl.primaryKey.ai === '417' || dl.primaryKey.ai === '414' ? dl.primaryKey.value : null;
  } catch {
    return null;
  }
});

const CBV = 'https://ref.gs1.org/cbv/';
const ALSO_CBV = ['cbv:', 'gs1:', 'https://gs1.org/voc/', 'http://ref.gs1.org/cbv/'];
const PREFIX: Partial<Record<CbvVocabulary, string>> = {
  bizStep: 'BizStep-',
  disposition: 'Disp-',
};

/**
 * A CBV bizStep or disposition in any form (short name, web URI, `urn:epcglobal:cbv:…`, `cbv:`
 * CURIE) as its short name (`shipping`); a value of no CBV vocabulary as written.
 */
export const cbvWord = (kind: 'bizStep' | 'disposition', value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  let uri = formatCbvWebUri(expandCbvShortName(kind, value.trim()));
  const other = ALSO_CBV.find((prefix) => uri.startsWith(prefix));
  if (other !== undefined) uri = CBV + uri.slice(other.length);
  const base = `${CBV}${PREFIX[kind]}`;
  return uri.startsWith(base) ? uri.slice(base.length) : uri;
};

export type Quantity = { item: string; quantity: number; uom: string | undefined };

/** What the rules need of one event. Item lists hold canonical identifiers, without repeats. */
export type EventReading = {
  type: string | undefined;
  action: string | undefined;
  bizStep: string | undefined;
  disposition: string | undefined;
  eventID: string | null;
  /** epcList and quantityList classes (ObjectEvent, TransactionEvent). */
  epcs: string[];
  parent: string | undefined;
  /** childEPCs and childQuantityList classes. */
  children: string[];
  /** childEPCs alone: instances, which are in one parent at a time (a class may be split). */
  childInstances: string[];
  inputs: string[];
  outputs: string[];
  inputQuantities: Quantity[];
  outputQuantities: Quantity[];
  /** GLNs of the destinationList's parties and locations. */
  destinationGlns: string[];
  /** The declared yield member's value, as given (undefined when absent). */
  declaredYield: unknown;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

// The lists are built in place: the rules read every captured event, and temporary arrays and
// sets per list showed in the service's garbage collection.

/** Appends the canonical form of each non-blank identifier of the list `value` to `into`. */
const addIds = (into: string[], value: unknown): string[] => {
  if (Array.isArray(value)) {
    for (const id of value) {
      if (typeof id === 'string' && id.trim() !== '') into.push(canonicalIdentifier(id));
    }
  }
  return into;
};

const quantities = (value: unknown): Quantity[] => {
  const found: Quantity[] = [];
  if (!Array.isArray(value)) return found;
  for (const element of value) {
    if (!isRecord(element) || typeof element.epcClass !== 'string') continue;
    found.push({
      item: canonicalIdentifier(element.epcClass),
      quantity: typeof element.quantity === 'number' ? element.quantity : NaN,
      uom: typeof element.uom === 'string' ? element.uom : undefined,
    });
  }
  return found;
};

/** Appends the classes of the quantities `read` (a quantity list read by `quantities`) to `into`. */
const addClasses = (into: string[], read: readonly Quantity[]): string[] => {
  for (const q of read) into.push(q.item);
  return into;
};

/** `items` without repeats, first occurrences in order (the same array when it has none). */
const unique = (items: string[]): string[] => {
  if (items.length < 2) return items;
  const set = new Set(items);
  return set.size === items.length ? items : [...set];
};

const declaredYieldOf = (fields: Record<string, unknown>, context: unknown): unknown => {
  let prefixes: ReadonlyMap<string, string>;
  try {
    prefixes = resolvePrefixes(context ?? fields['@context']);
  } catch {
    prefixes = resolvePrefixes(undefined);
  }
  for (const [name, value] of Object.entries(fields)) {
    const colon = name.indexOf(':');
    const namespace = colon > 0 ? prefixes.get(name.slice(0, colon)) : undefined;
    const iri = namespace === undefined ? name : namespace + name.slice(colon + 1);
    if (iri === DECLARED_YIELD_IRI) return value;
  }
  return undefined;
};

/** Reads an event as the rules see it. */
export const readEvent = (fields: Record<string, unknown>, context?: unknown): EventReading => {
  const inputQuantities = quantities(fields.inputQuantityList);
  const outputQuantities = quantities(fields.outputQuantityList);
  const parent =
    typeof fields.parentID === 'string' && fields.parentID.trim() !== ''
      ? canonicalIdentifier(fields.parentID)
      : undefined;
  const childInstances = unique(addIds([], fields.childEPCs));
  const destinationGlns: string[] = [];
  for (const d of arrayOf(fields.destinationList)) {
    const gln = isRecord(d) && typeof d.destination === 'string' ? glnOf(d.destination) : null;
    if (gln !== null && !destinationGlns.includes(gln)) destinationGlns.push(gln);
  }
  return {
    type: typeof fields.type === 'string' ? fields.type : undefined,
    action: typeof fields.action === 'string' ? fields.action : undefined,
    bizStep: cbvWord('bizStep', fields.bizStep),
    disposition: cbvWord('disposition', fields.disposition),
    eventID: typeof fields.eventID === 'string' ? fields.eventID : null,
    epcs: unique(addClasses(addIds([], fields.epcList), quantities(fields.quantityList))),
    parent,
    childInstances,
    children: unique(addClasses([...childInstances], quantities(fields.childQuantityList))),
    inputs: unique(addClasses(addIds([], fields.inputEPCList), inputQuantities)),
    outputs: unique(addClasses(addIds([], fields.outputEPCList), outputQuantities)),
    inputQuantities,
    outputQuantities,
    destinationGlns,
    // Only a transformation's yield matters.
    declaredYield:
      fields.type === 'TransformationEvent' ? declaredYieldOf(fields, context) : undefined,
  };
};
