import { TraceError } from '../errors.js';
import { type PrefixMap, expandKey } from './context.js';
import { sortByCodePoint } from './sort.js';
import { formatHashTimestamp } from './timestamp.js';
import { formatHashScalar, formatHashText } from './value.js';
import { type CbvVocabulary, expandCbvShortName } from './vocabulary.js';

// The pieces of the pre-hash string one field contributes. `inline` pieces take the field's place
// in the canonical property order; `rest` pieces hold what the order does not name (unknown keys,
// extensions outside an extension point) and go to the sorted tail of the event, under their
// parent's name, as the reference implementation places them.
export type Pieces = { readonly inline: string[]; readonly rest: string[] };

export type FieldRenderer = (
  name: string,
  value: unknown,
  prefixes: PrefixMap,
  pointer: string,
  out: Pieces,
) => void;

/** An ordered list of the fields a structure hashes, with how each is written. */
export type FieldOrder = readonly (readonly [name: string, render: FieldRenderer])[];

// Keys no hash covers at any depth: comments are annotations, not event data (the reference
// implementation drops them too), and "#text" only exists in XML-to-JSON conversions.
const IGNORED_KEYS: ReadonlySet<string> = new Set(['comment', 'rdfs:comment', '#text']);

const MAX_EXTENSION_DEPTH = 64;

export const isIgnoredKey = (key: string): boolean => IGNORED_KEYS.has(key);

export const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const invalidEvent = (pointer: string, problem: string): TraceError =>
  new TraceError('INVALID_EVENT', `${pointer} ${problem}`);

// RFC 6901 JSON pointer to `key` under `pointer`; EPCIS field names never need escaping, so the
// common case is one concatenation.
export const keyPointer = (pointer: string, key: string): string =>
  key.includes('/') || key.includes('~')
    ? `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
    : `${pointer}/${key}`;

/** `name=text`, or nothing when the value is absent or empty (CBV 2.0 event hash ID rules 3-4). */
const pushPair = (out: Pieces, name: string, text: string | undefined): void => {
  if (text) out.inline.push(`${name}=${text}`);
};

/** A single-valued field: a string, number or boolean written canonically. */
export const textField: FieldRenderer = (name, value, prefixes, pointer, out) =>
  pushPair(out, name, formatHashScalar(value, prefixes, pointer));

/** A timestamp field, written in UTC with milliseconds (rules 8-9). */
export const timeField: FieldRenderer = (name, value, prefixes, pointer, out) => {
  if (value === null || value === undefined) return;
  if (typeof value !== 'string') throw invalidEvent(pointer, 'must be a date-time string');
  pushPair(out, name, formatHashTimestamp(value.trim(), pointer));
};

/** A field whose bare short names expand to CBV URIs (rule 16). */
export const vocabularyField =
  (kind: CbvVocabulary): FieldRenderer =>
  (name, value, prefixes, pointer, out) => {
    if (typeof value !== 'string') return textField(name, value, prefixes, pointer, out);
    pushPair(out, name, formatHashText(expandCbvShortName(kind, value.trim()), prefixes));
  };

/** A field that may repeat (a JSON array, or one value standing for an array of one). */
export const repeated =
  (render: FieldRenderer): FieldRenderer =>
  (name, value, prefixes, pointer, out) => {
    if (!Array.isArray(value)) return render(name, value, prefixes, pointer, out);
    value.forEach((item, i) => render(name, item, prefixes, `${pointer}/${i}`, out));
  };

/**
 * A list field: the list's name once, then its elements written as `elementName…` and sorted
 * (rule 11), e.g. `epcList` + sorted `epc=…`. An empty list is omitted (rule 4).
 */
export const listField = (elementName: string, render: FieldRenderer): FieldRenderer => {
  const each = repeated(render);
  return (name, value, prefixes, pointer, out) => {
    const elements: Pieces = { inline: [], rest: [] };
    each(elementName, value, prefixes, pointer, elements);
    if (elements.inline.length > 0) {
      out.inline.push(name + sortByCodePoint(elements.inline).join(''));
    }
    if (elements.rest.length > 0) out.rest.push(name + sortByCodePoint(elements.rest).join(''));
  };
};

/**
 * Any value in generic form (rules 19-21): `{namespace}name=value` for a scalar, the name then
 * its sorted children for an object, one sibling per element for an array. Used for ILMD, user
 * extensions and every key the canonical property order does not name.
 */
export const pushGeneric = (
  name: string,
  value: unknown,
  prefixes: PrefixMap,
  pointer: string,
  out: string[],
  depth = 0,
): void => {
  // Extensions come from untrusted documents: bound the recursion before the stack does.
  if (depth > MAX_EXTENSION_DEPTH) {
    throw invalidEvent(pointer, `is nested deeper than ${MAX_EXTENSION_DEPTH} levels`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      pushGeneric(name, item, prefixes, `${pointer}/${i}`, out, depth + 1),
    );
  } else if (isPlainObject(value)) {
    const children: string[] = [];
    for (const [key, child] of Object.entries(value)) {
      if (key === '@context') {
        throw invalidEvent(
          keyPointer(pointer, key),
          'is a nested JSON-LD context, which the hash cannot resolve',
        );
      }
      if (!isIgnoredKey(key)) {
        const childPointer = keyPointer(pointer, key);
        pushGeneric(expandKey(key, prefixes), child, prefixes, childPointer, children, depth + 1);
      }
    }
    out.push(name + sortByCodePoint(children).join(''));
  } else {
    const text = formatHashScalar(value, prefixes, pointer);
    if (text !== undefined) out.push(text === '' ? name : `${name}=${text}`);
  }
};

// Rule 21: a user extension inside a structure is written right after the structure's regular
// fields. The reference implementation treats a key as such an extension when its namespace ends
// in "/"; keys in other namespaces, and unknown plain keys, go to the event's sorted tail.
const isInlineExtension = (expandedKey: string): boolean =>
  expandedKey.startsWith('{') && expandedKey.includes('/}');

/** A FieldOrder with each field's position, so an object's keys are read in one pass. */
export type FieldPlan = {
  readonly order: FieldOrder;
  readonly position: ReadonlyMap<string, number>;
};

export const planFields = (order: FieldOrder): FieldPlan => ({
  order,
  position: new Map(order.map(([field], i) => [field, i])),
});

/** What renderFields produced, and the keys of the object that the plan does not name. */
export type RenderedFields = Pieces & { readonly others: string[] };

/**
 * The fields of `object` that `plan` names, in its order, each field's own values sorted
 * (rule 12); what they leave over is collected in `rest`, and the keys the plan does not name
 * are returned in `others`, in object order.
 */
export const renderFields = (
  object: Readonly<Record<string, unknown>>,
  plan: FieldPlan,
  prefixes: PrefixMap,
  pointer: string,
): RenderedFields => {
  const values: unknown[] = new Array<unknown>(plan.order.length);
  const others: string[] = [];
  for (const key of Object.keys(object)) {
    const at = plan.position.get(key);
    if (at === undefined) others.push(key);
    else values[at] = object[key];
  }
  const inline: string[] = [];
  const pieces: Pieces = { inline: [], rest: [] };
  plan.order.forEach(([field, render], i) => {
    if (values[i] === undefined) return;
    render(field, values[i], prefixes, `${pointer}/${field}`, pieces);
    for (const piece of sortByCodePoint(pieces.inline)) inline.push(piece);
    pieces.inline.length = 0;
  });
  return { inline, rest: pieces.rest, others };
};

/**
 * A structure (readPoint, quantityElement, sensorReport…): its name, its fields in `order`
 * (each field's values sorted among themselves, rule 12), then its user extensions sorted.
 * Omitted when nothing in it has a value (rule 4).
 */
export const structField = (order: FieldOrder): FieldRenderer => {
  const plan = planFields(order);
  return (name, value, prefixes, pointer, out) => {
    if (value === null || value === undefined) return;
    if (!isPlainObject(value)) throw invalidEvent(pointer, 'must be an object');
    const { inline, rest, others } = renderFields(value, plan, prefixes, pointer);
    const extensions: string[] = [];
    for (const key of others) {
      if (isIgnoredKey(key)) continue;
      const expanded = expandKey(key, prefixes);
      const target = isInlineExtension(expanded) ? extensions : rest;
      pushGeneric(expanded, value[key], prefixes, keyPointer(pointer, key), target);
    }
    const body = inline.join('') + sortByCodePoint(extensions).join('');
    if (body !== '') out.inline.push(name + body);
    if (rest.length > 0) out.rest.push(name + sortByCodePoint(rest).join(''));
  };
};
