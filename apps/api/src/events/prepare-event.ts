import {
  type CbvVocabulary,
  commitEvent,
  computeEventHashId,
  type DisclosureCodec,
  expandCbvShortName,
  formatCbvWebUri,
  formatDigitalLink,
  GS1_DIGITAL_LINK_BASE,
  type MerkleHasher,
  type Sha256,
} from '@traceroot/trace';

import { partiesOf } from '../privacy/parties.js';
import type { SealedColumn } from '../privacy/sealed.js';
import { indexedForm } from './indexed-identifier.js';

/** Roles of the identifiers an event names, as stored in event_identifiers (EPCIS query MATCH_*). */
export type IdentifierRole =
  | 'epc'
  | 'parentID'
  | 'childEPC'
  | 'inputEPC'
  | 'outputEPC'
  | 'quantity'
  | 'childQuantity'
  | 'inputQuantity'
  | 'outputQuantity';

/**
 * The other terms an event is indexed by (event_terms, for the EPCIS query parameters that are no
 * column of events and no identifier): docs/adr/0009-query-index.md. Values:
 * - readPoint, bizLocation: the location in the index's form (indexedForm: canonical Digital Link);
 * - persistentDisposition.set / .unset, errorReason: the full CBV web URI (cbvForm);
 * - transformationID, correctiveEventID: as written;
 * - errorDeclaration, sensorElementList: '' (the event has one);
 * - bizTransaction, source, destination: `{type as full CBV web URI} {id in indexedForm}`
 *   (typedTermValue; entries without a type are not indexed);
 * - quantity: `{quantity}[ {uom}]`, with the number in event_terms.number;
 * - ilmdLot: the lot Digital Link (…/01/{gtin}/10/{lot}) of the items an event with an ILMD
 *   lotNumber names at instance level (commissioning), one per GTIN.
 */
export type EventTerm =
  | 'readPoint'
  | 'bizLocation'
  | 'persistentDisposition.set'
  | 'persistentDisposition.unset'
  | 'transformationID'
  | 'errorDeclaration'
  | 'errorReason'
  | 'correctiveEventID'
  | 'sensorElementList'
  | 'bizTransaction'
  | 'source'
  | 'destination'
  | 'quantity'
  | 'ilmdLot';

/** One event_terms row of an event (number: the quantity, for term 'quantity'). */
export type PreparedTerm = { term: EventTerm; value: string; number: number | null };

/** The value of a typed term (bizTransaction, source, destination): type URI, a space, the id. */
export const typedTermValue = (type: string, id: string): string => `${type} ${id}`;

/** A CBV vocabulary value as stored and queried: short names and 1.x URNs as full CBV web URIs. */
export const cbvForm = (kind: CbvVocabulary, value: string): string =>
  formatCbvWebUri(expandCbvShortName(kind, value.trim()));

/** An event ready to be sequenced: its row, its identifiers and its leaf. */
export type PreparedEvent = {
  eventId: string;
  eventHashId: string;
  type: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  /** The event as stored and served: as captured, plus eventID (when absent) and recordTime. */
  document: Record<string, unknown>;
  context: unknown;
  disclosures: Record<string, string>;
  leafHash: Uint8Array;
  identifiers: { role: IdentifierRole; identifier: string }[];
  terms: PreparedTerm[];
  /**
   * Privacy (docs/specs/privacy.md): the event's partner and private fields, encrypted
   * (PrivacyService); `document`, `disclosures`, the columns, identifiers and terms hold only the
   * public fields.
   */
  sealed: SealedColumn | null;
  /** GLNs the event names as parties (restricted sharing). */
  parties: string[];
  /** The event's field key wrapped by its organization's data key, when it has sealed fields. */
  eventKey: { organizationKeyId: string; wrapped: Uint8Array } | null;
  /**
   * The fields to hide (planned before the commit: PrivacyService), with their disclosures and
   * digests, until PrivacyService encrypts them into `sealed` and empties this list; never stored.
   */
  pending: PendingField[];
  /** The event as captured, every field (for the rules); never stored. */
  full: Readonly<Record<string, unknown>>;
  /** The rule-set version it was checked against, and the rules it broke (flag mode). */
  ruleSet: string | null;
  ruleViolations: unknown[] | null;
};

/** A field to keep from the public, and who may see it. */
export type HiddenField = [name: string, visibility: 'partner' | 'private'];

/** A hidden field of a prepared event, waiting to be encrypted: its disclosure and digest. */
export type PendingField = {
  name: string;
  visibility: HiddenField[1];
  disclosure: string;
  digest: string;
};

/**
 * The extension member an event with hidden fields is committed with: a secret salt, so that its
 * CBV 2.0 event hash ID (public: the leaf's second line, the default eventID) cannot be used to
 * test guesses of the hidden values (docs/specs/privacy.md §4). A full IRI: no @context needed.
 */
export const SALT_MEMBER = 'https://traceroot.dev/ns/ledger#salt';

/** The columns and index rows of an event (all of them, or its public part). */
const indexRowsOf = (
  event: Record<string, unknown>,
): Pick<
  PreparedEvent,
  'action' | 'bizStep' | 'disposition' | 'readPoint' | 'bizLocation' | 'identifiers' | 'terms'
> => {
  const identifiers = identifiersOf(event);
  return {
    action: text(event.action),
    bizStep: vocabulary('bizStep', event.bizStep),
    disposition: vocabulary('disposition', event.disposition),
    readPoint: idOf(event.readPoint),
    bizLocation: idOf(event.bizLocation),
    identifiers,
    terms: termsOf(event, identifiers),
  };
};

export type PrepareTools = {
  now: Date;
  randomBytes: (length: number) => Uint8Array;
  hasher: MerkleHasher;
  sha: Sha256;
  /** How disclosures are encoded and hashed; absent: the portable codec over `sha`. */
  codec?: DisclosureCodec | undefined;
  /**
   * The rule-set version in force (docs/specs/rules.md): committed in the leaf as the
   * pseudo-field `@ruleSet`, which the event hash ignores. Absent: not committed.
   */
  ruleSet?: string | undefined;
};

const LIST_ROLES: readonly [string, IdentifierRole][] = [
  ['epcList', 'epc'],
  ['childEPCs', 'childEPC'],
  ['inputEPCList', 'inputEPC'],
  ['outputEPCList', 'outputEPC'],
];
const QUANTITY_ROLES: readonly [string, IdentifierRole][] = [
  ['quantityList', 'quantity'],
  ['childQuantityList', 'childQuantity'],
  ['inputQuantityList', 'inputQuantity'],
  ['outputQuantityList', 'outputQuantity'],
];

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const idOf = (value: unknown): string | null =>
  typeof value === 'object' && value !== null ? text((value as { id?: unknown }).id) : null;

const identifiersOf = (event: Record<string, unknown>): PreparedEvent['identifiers'] => {
  const found: PreparedEvent['identifiers'] = [];
  const parent = text(event.parentID);
  if (parent) found.push({ role: 'parentID', identifier: indexedForm(parent) });
  for (const [field, role] of LIST_ROLES) {
    const list = event[field];
    if (Array.isArray(list)) {
      for (const id of list) {
        if (typeof id === 'string') found.push({ role, identifier: indexedForm(id) });
      }
    }
  }
  for (const [field, role] of QUANTITY_ROLES) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    for (const q of list) {
      const epcClass =
        typeof q === 'object' && q !== null ? text((q as { epcClass?: unknown }).epcClass) : null;
      if (epcClass) found.push({ role, identifier: indexedForm(epcClass) });
    }
  }
  // One row per (identifier, role): an EPC listed twice is one match.
  const seen = new Set<string>();
  return found.filter(
    ({ role, identifier }) =>
      !seen.has(`${role} ${identifier}`) && seen.add(`${role} ${identifier}`),
  );
};

// Stored as the full CBV web URI whatever form was captured (short name, URI or EPCIS 1.x URN),
// so that queries match every form.
const vocabulary = (kind: 'bizStep' | 'disposition', value: unknown): string | null => {
  const word = text(value);
  return word === null ? null : cbvForm(kind, word);
};

const ILMD_LOT_KEYS = ['cbvmda:lotNumber', 'lotNumber', 'urn:epcglobal:cbv:mda#lotNumber'];
const SERIAL_OF_GTIN = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\//;
const TYPED_LISTS: readonly [
  string,
  string,
  'bizTransaction' | 'source' | 'destination',
  CbvVocabulary,
][] = [
  ['bizTransactionList', 'bizTransaction', 'bizTransaction', 'bizTransactionType'],
  ['sourceList', 'source', 'source', 'sourceDestType'],
  ['destinationList', 'destination', 'destination', 'sourceDestType'],
];

const objectsOf = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];

const termsOf = (
  event: Record<string, unknown>,
  identifiers: PreparedEvent['identifiers'],
): PreparedTerm[] => {
  const found: PreparedTerm[] = [];
  const add = (term: EventTerm, value: string, number: number | null = null): void => {
    found.push({ term, value, number });
  };
  const readPoint = idOf(event.readPoint);
  if (readPoint) add('readPoint', indexedForm(readPoint));
  const bizLocation = idOf(event.bizLocation);
  if (bizLocation) add('bizLocation', indexedForm(bizLocation));
  const persistent = event.persistentDisposition;
  if (typeof persistent === 'object' && persistent !== null) {
    for (const side of ['set', 'unset'] as const) {
      const list = (persistent as Record<string, unknown>)[side];
      if (!Array.isArray(list)) continue;
      for (const d of list) {
        if (typeof d === 'string') add(`persistentDisposition.${side}`, cbvForm('disposition', d));
      }
    }
  }
  const transformationId = text(event.transformationID);
  if (transformationId) add('transformationID', transformationId);
  const error = event.errorDeclaration;
  if (typeof error === 'object' && error !== null) {
    const declaration = error as Record<string, unknown>;
    add('errorDeclaration', '');
    const reason = text(declaration.reason);
    if (reason) add('errorReason', cbvForm('errorReason', reason));
    if (Array.isArray(declaration.correctiveEventIDs)) {
      for (const id of declaration.correctiveEventIDs) {
        if (typeof id === 'string') add('correctiveEventID', id);
      }
    }
  }
  if (objectsOf(event.sensorElementList).length > 0) add('sensorElementList', '');
  for (const [list, field, term, kind] of TYPED_LISTS) {
    for (const entry of objectsOf(event[list])) {
      const type = text(entry.type);
      const id = text(entry[field]);
      if (type && id) add(term, typedTermValue(cbvForm(kind, type), indexedForm(id)));
    }
  }
  for (const list of [
    'quantityList',
    'childQuantityList',
    'inputQuantityList',
    'outputQuantityList',
  ]) {
    for (const q of objectsOf(event[list])) {
      if (typeof q.quantity !== 'number' || !Number.isFinite(q.quantity)) continue;
      const uom = text(q.uom);
      add('quantity', uom ? `${q.quantity} ${uom}` : String(q.quantity), q.quantity);
    }
  }
  const ilmd = event.ilmd;
  if (typeof ilmd === 'object' && ilmd !== null) {
    const lot = ILMD_LOT_KEYS.map((k) => text((ilmd as Record<string, unknown>)[k])).find(
      (v) => v !== null && v !== '',
    );
    if (lot) {
      for (const { role, identifier } of identifiers) {
        const gtin = (role === 'epc' || role === 'outputEPC') && SERIAL_OF_GTIN.exec(identifier);
        if (!gtin) continue;
        try {
          add(
            'ilmdLot',
            formatDigitalLink({
              base: GS1_DIGITAL_LINK_BASE,
              primaryKey: { ai: '01', value: gtin[1]! },
              qualifiers: [{ ai: '10', value: lot }],
              dataAttributes: [],
              otherParams: [],
            }),
          );
        } catch {
          // A lotNumber that is no valid AI (10) value names no lot Digital Link: not indexed.
        }
      }
    }
  }
  // One row per (term, value): the primary key.
  const seen = new Set<string>();
  return found.filter(
    ({ term, value }) => !seen.has(`${term} ${value}`) && seen.add(`${term} ${value}`),
  );
};

/**
 * Prepares one validated EPCIS event for the log: its CBV 2.0 event hash ID (the eventID when
 * none was given), the stored document, the salted field disclosures and leaf hash
 * (docs/specs/leaf-format.md), and the columns and identifiers the queries index. `hidden`: the
 * fields to keep from the public (PrivacyService), committed like the others but left out of the
 * stored document, the disclosures and every index, and kept in `pending` for encryption.
 */
export const prepareEvent = (
  event: Record<string, unknown>,
  context: unknown,
  tools: PrepareTools,
  /** The event hash ID when validation already computed it (it is the costliest step). */
  knownEventHashId?: string,
  hidden: readonly HiddenField[] = [],
): PreparedEvent => {
  const hasContext = context !== undefined && !(Array.isArray(context) && context.length === 0);
  const eventHashId = knownEventHashId ?? computeEventHashId(event, { context, sha: tools.sha });
  const eventId = text(event.eventID) ?? eventHashId;
  const recordTime = tools.now.toISOString();
  const full = { ...event, eventID: eventId, recordTime };
  const committed = commitEvent(
    {
      ...full,
      ...(hasContext ? { '@context': context } : {}),
      ...(tools.ruleSet === undefined ? {} : { '@ruleSet': tools.ruleSet }),
    },
    eventHashId,
    tools.randomBytes,
    tools.codec ?? tools.sha,
  );
  const disclosures = { ...committed.disclosures };
  const pending: PendingField[] = [];
  let document = full;
  if (hidden.length > 0) {
    document = { ...full };
    for (const [name, visibility] of hidden) {
      const disclosure = disclosures[name];
      if (disclosure === undefined) continue;
      pending.push({ name, visibility, disclosure, digest: committed.digestsByField[name]! });
      delete disclosures[name];
      withoutField(document, name);
    }
  }
  return {
    eventId,
    eventHashId,
    type: String(event.type),
    eventTime: String(event.eventTime),
    eventTimeZoneOffset: text(event.eventTimeZoneOffset) ?? '',
    recordTime,
    // From the public part only: no index reveals a hidden value.
    ...indexRowsOf(document),
    document,
    context: hasContext ? context : null,
    disclosures,
    leafHash: tools.hasher.hashLeaf(committed.leafData),
    sealed: null,
    pending,
    parties: partiesOf(event),
    eventKey: null,
    full,
    ruleSet: null,
    ruleViolations: null,
  };
};

/** Removes a field from a document: a top-level member, or an ILMD member (`ilmd/…`). */
const withoutField = (document: Record<string, unknown>, name: string): void => {
  if (name.startsWith('ilmd/')) {
    const ilmd = document.ilmd;
    if (typeof ilmd === 'object' && ilmd !== null) {
      const rest = { ...(ilmd as Record<string, unknown>) };
      delete rest[name.slice('ilmd/'.length)];
      document.ilmd = rest;
    }
    return;
  }
  delete document[name];
};
