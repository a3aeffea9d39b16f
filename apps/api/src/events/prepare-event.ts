import {
  commitEvent,
  computeEventHashId,
  type DisclosureCodec,
  expandCbvShortName,
  formatCbvWebUri,
  type MerkleHasher,
  type Sha256,
} from '@traceroot/trace';

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
};

export type PrepareTools = {
  now: Date;
  randomBytes: (length: number) => Uint8Array;
  hasher: MerkleHasher;
  sha: Sha256;
  /** How disclosures are encoded and hashed; absent: the portable codec over `sha`. */
  codec?: DisclosureCodec | undefined;
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
  return word === null ? null : formatCbvWebUri(expandCbvShortName(kind, word.trim()));
};

/**
 * Prepares one validated EPCIS event for the log: its CBV 2.0 event hash ID (the eventID when
 * none was given), the stored document, the salted field disclosures and leaf hash
 * (docs/specs/leaf-format.md), and the columns and identifiers the queries index.
 */
export const prepareEvent = (
  event: Record<string, unknown>,
  context: unknown,
  tools: PrepareTools,
  /** The event hash ID when validation already computed it (it is the costliest step). */
  knownEventHashId?: string,
): PreparedEvent => {
  const hasContext = context !== undefined && !(Array.isArray(context) && context.length === 0);
  const eventHashId = knownEventHashId ?? computeEventHashId(event, { context, sha: tools.sha });
  const eventId = text(event.eventID) ?? eventHashId;
  const recordTime = tools.now.toISOString();
  const document = { ...event, eventID: eventId, recordTime };
  const committed = commitEvent(
    hasContext ? { ...document, '@context': context } : document,
    eventHashId,
    tools.randomBytes,
    tools.codec ?? tools.sha,
  );
  return {
    eventId,
    eventHashId,
    type: String(event.type),
    eventTime: String(event.eventTime),
    eventTimeZoneOffset: text(event.eventTimeZoneOffset) ?? '',
    recordTime,
    action: text(event.action),
    bizStep: vocabulary('bizStep', event.bizStep),
    disposition: vocabulary('disposition', event.disposition),
    readPoint: idOf(event.readPoint),
    bizLocation: idOf(event.bizLocation),
    document,
    context: hasContext ? context : null,
    disclosures: { ...committed.disclosures },
    leafHash: tools.hasher.hashLeaf(committed.leafData),
    identifiers: identifiersOf(event),
  };
};
