// EPCIS 2.0 master data (a capture document's epcisHeader.epcisMasterData.vocabularyList) as
// updates of master data records: which vocabulary elements name a record (here) and what their
// CBV 2.0 master data attributes map to (cbv-attributes.ts). Pure; docs/specs/master-data.md. The
// document is already valid against the EPCIS JSON schema, which fixes the shape (vocabulary
// `type`, element `id`, `attributes: [{ id, attribute }]`) but not the values.
import { isDigitalLink } from '@traceroot/trace';

import { mergeAttributes } from './attributes.js';
import { mapElement } from './cbv-attributes.js';
import type { Attributes } from './masterdata.dto.js';
import { type RecordKey, RecordKeyError, type RecordKind, recordKeyOf } from './record-key.js';

/** Where the vocabularies are in a capture document (RFC 6901). */
export const VOCABULARY_LIST_POINTER = '/epcisHeader/epcisMasterData/vocabularyList';

/** A vocabulary element (or one of its attributes) that changes nothing, and why. */
export type VocabularyFailure = {
  readonly pointer: string;
  readonly message: string;
  /** SecurityException: the record belongs to another organization. */
  readonly exception: 'ValidationException' | 'SecurityException';
};

/** The mapped attributes of one record, from every element of the document that names it. */
export type VocabularyUpdate = {
  readonly key: RecordKey;
  /** The first vocabulary element naming the record. */
  readonly pointer: string;
  readonly attributes: Attributes;
};

export type VocabularyPlan = {
  readonly updates: readonly VocabularyUpdate[];
  readonly failures: readonly VocabularyFailure[];
};

const VTYPE = 'urn:epcglobal:epcis:vtype:';

// The vocabulary types that carry records, with the kinds of record their elements may name.
// EPCIS 1.2 §6 / CBV: EPCClass, BusinessLocation, ReadPoint, SourceDest (parties and locations);
// Location and Party are not standard types but common in practice (e.g. GDST documents).
const KINDS_BY_VTYPE: Readonly<Record<string, readonly RecordKind[]>> = {
  EPCClass: ['product', 'lot'],
  BusinessLocation: ['location'],
  ReadPoint: ['location'],
  Location: ['location'],
  SourceDest: ['party', 'location'],
  Party: ['party'],
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The header's vocabularyList, or undefined when the document carries no master data. Constant
 * time: this is all a capture without master data pays.
 */
export const vocabularyListOf = (body: unknown): unknown[] | undefined => {
  const header = isObject(body) ? body.epcisHeader : undefined;
  const masterData = isObject(header) ? header.epcisMasterData : undefined;
  const list = isObject(masterData) ? masterData.vocabularyList : undefined;
  return Array.isArray(list) && list.length > 0 ? list : undefined;
};

// The record an element names, null for an identifier that is no GS1 key (a private URI, which
// this service keeps no master data for), or the reason it cannot be one.
const keyOfElement = (
  id: unknown,
  vtype: string,
  kinds: readonly RecordKind[],
  pointer: string,
): RecordKey | VocabularyFailure | null => {
  if (typeof id !== 'string' || (!id.startsWith('urn:epc:') && !isDigitalLink(id))) return null;
  const fail = (reason: string): VocabularyFailure => ({
    pointer: `${pointer}/id`,
    message: `${pointer}/id: ${reason}`,
    exception: 'ValidationException',
  });
  let key: RecordKey;
  try {
    key = recordKeyOf(id);
  } catch (error) {
    if (!(error instanceof RecordKeyError)) throw error;
    return fail(error.message);
  }
  return kinds.includes(key.kind)
    ? key
    : fail(`'${id}' names a ${key.kind}, which a ${vtype} vocabulary does not describe`);
};

/**
 * The record updates a vocabularyList asks for, and the elements (or attributes) that cannot
 * be applied. Vocabularies of other types (business steps, dispositions, …) and elements naming
 * no GS1 key are skipped. Several elements naming one record make one update, in document order.
 */
export const planVocabulary = (vocabularyList: readonly unknown[]): VocabularyPlan => {
  const updates = new Map<string, VocabularyUpdate>();
  const failures: VocabularyFailure[] = [];
  vocabularyList.forEach((vocabulary, i) => {
    const type = isObject(vocabulary) ? vocabulary.type : undefined;
    const vtype =
      typeof type === 'string' && type.startsWith(VTYPE) ? type.slice(VTYPE.length) : '';
    const kinds = KINDS_BY_VTYPE[vtype];
    const elements = isObject(vocabulary) ? vocabulary.vocabularyElementList : undefined;
    if (kinds === undefined || !Array.isArray(elements)) return;
    elements.forEach((element: unknown, j) => {
      const pointer = `${VOCABULARY_LIST_POINTER}/${i}/vocabularyElementList/${j}`;
      if (!isObject(element)) return;
      const key = keyOfElement(element.id, vtype, kinds, pointer);
      if (key === null) return;
      if ('message' in key) {
        failures.push(key);
        return;
      }
      const mapped = mapElement(key.kind, element.attributes, pointer);
      // An element is applied whole or not at all: a record is never half updated.
      if (mapped.failures.length > 0) {
        failures.push(
          ...mapped.failures.map((f) => ({ ...f, exception: 'ValidationException' as const })),
        );
        return;
      }
      // Only attributes this service does not keep (e.g. cbvmda:site, sst): nothing to record.
      if (Object.keys(mapped.attributes).length === 0) return;
      const before = updates.get(key.id);
      updates.set(key.id, {
        key,
        pointer: before?.pointer ?? pointer,
        attributes: mergeAttributes(before?.attributes ?? {}, mapped.attributes),
      });
    });
  });
  return { updates: [...updates.values()], failures };
};
