import { type PrefixMap, expandKey, extendPrefixes, resolvePrefixes } from './context.js';
import {
  type FieldOrder,
  type FieldRenderer,
  type Pieces,
  invalidEvent,
  isIgnoredKey,
  isPlainObject,
  keyPointer,
  listField,
  planFields,
  pushGeneric,
  renderFields,
  repeated,
  structField,
  textField,
  timeField,
  vocabularyField,
} from './render.js';
import { sortByCodePoint } from './sort.js';
import type { CbvVocabulary } from './vocabulary.js';

/** An EPCIS 2.0 event in its JSON/JSON-LD form (one element of `epcisBody.eventList`). */
export type EpcisEvent = Readonly<Record<string, unknown>>;

/**
 * `context`: the JSON-LD context the event's compact names are read with, i.e. the document's
 * `@context` (a JsonLdContext). Typed `unknown` because it often arrives with untrusted data;
 * anything but a string, an object or an array of them throws INVALID_EVENT.
 */
export type PreHashOptions = { readonly context?: unknown };

const EVENT_TYPES: ReadonlySet<string> = new Set([
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
]);

const QUANTITY_ELEMENT: FieldOrder = [
  ['epcClass', textField],
  ['quantity', textField],
  ['uom', textField],
];
const LOCATION: FieldOrder = [['id', textField]];
const PERSISTENT_DISPOSITION: FieldOrder = [
  ['set', repeated(vocabularyField('disposition'))],
  ['unset', repeated(vocabularyField('disposition'))],
];
const SENSOR_METADATA: FieldOrder = [
  ['time', timeField],
  ['startTime', timeField],
  ['endTime', timeField],
  ...['deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules'].map(
    (field) => [field, textField] as const,
  ),
];
const SENSOR_REPORT: FieldOrder = [
  ['type', vocabularyField('measurementType')],
  ['exception', vocabularyField('sensorAlertType')],
  ...['deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod'].map(
    (field) => [field, textField] as const,
  ),
  ['time', timeField],
  ['microorganism', textField],
  ['chemicalSubstance', textField],
  ['value', textField],
  ['component', vocabularyField('component')],
  ...[
    'stringValue',
    'booleanValue',
    'hexBinaryValue',
    'uriValue',
    'minValue',
    'maxValue',
    'meanValue',
  ]
    .concat(['sDev', 'percRank', 'percValue', 'uom', 'coordinateReferenceSystem'])
    .map((field) => [field, textField] as const),
];
const SENSOR_ELEMENT: FieldOrder = [
  ['sensorMetadata', structField(SENSOR_METADATA)],
  ['sensorReport', repeated(structField(SENSOR_REPORT))],
];

const epcs = listField('epc', textField);
const quantities = listField('quantityElement', structField(QUANTITY_ELEMENT));

// CBV 2.0 event hash ID canonical property order, as the reference implementation applies it (whose
// output the conformance vectors are): certificationInfo follows eventTimeZoneOffset, and parentID
// precedes epcList. eventType comes first and is written by formatEventPreHash itself.
const EVENT_ORDER: FieldOrder = [
  ['eventTime', timeField],
  ['eventTimeZoneOffset', textField],
  ['certificationInfo', repeated(textField)],
  ['parentID', textField],
  ['epcList', epcs],
  ['inputEPCList', epcs],
  ['childEPCs', epcs],
  ['quantityList', quantities],
  ['childQuantityList', quantities],
  ['inputQuantityList', quantities],
  ['outputEPCList', epcs],
  ['outputQuantityList', quantities],
  ['action', textField],
  ['transformationID', textField],
  ['bizStep', vocabularyField('bizStep')],
  ['disposition', vocabularyField('disposition')],
  ['persistentDisposition', structField(PERSISTENT_DISPOSITION)],
  ['readPoint', structField(LOCATION)],
  ['bizLocation', structField(LOCATION)],
  ['sensorElementList', listField('sensorElement', structField(SENSOR_ELEMENT))],
];

// One bizTransaction / source / destination: its type first, then its value (rule 13), then any
// extension keys; the elements are then sorted as whole strings (rule 11).
const typedLink = (name: string, kind: CbvVocabulary): FieldRenderer => {
  const plan = planFields([
    ['type', vocabularyField(kind)],
    [name, textField],
  ]);
  return (_name, value, prefixes, pointer, out) => {
    if (!isPlainObject(value)) {
      throw invalidEvent(pointer, `must be an object with "${name}" and "type"`);
    }
    if (value[name] === undefined || value[name] === null) {
      throw invalidEvent(pointer, `has no "${name}"`);
    }
    const { inline, rest, others } = renderFields(value, plan, prefixes, pointer);
    for (const key of others) {
      if (!isIgnoredKey(key)) {
        pushGeneric(expandKey(key, prefixes), value[key], prefixes, keyPointer(pointer, key), rest);
      }
    }
    out.inline.push(inline.join('') + sortByCodePoint(rest).join(''));
  };
};

const ilmd: FieldRenderer = (name, value, prefixes, pointer, out) => {
  if (!isPlainObject(value)) throw invalidEvent(pointer, 'must be an object');
  pushGeneric(name, value, prefixes, pointer, out.inline);
};

// Fields the reference implementation writes after the ordered ones, sorted together with the
// user extensions as whole strings: this is why destinationList precedes sourceList and ilmd sits
// between them in the conformance vectors.
const TAIL_ORDER: FieldOrder = [
  [
    'bizTransactionList',
    listField('bizTransaction', typedLink('bizTransaction', 'bizTransactionType')),
  ],
  ['sourceList', listField('source', typedLink('source', 'sourceDestType'))],
  ['destinationList', listField('destination', typedLink('destination', 'sourceDestType'))],
  ['ilmd', ilmd],
];

// Never hashed: the JSON-LD type (written as eventType), the ID the hash may become, the capture
// time, and the error declaration, so that declaring an event erroneous keeps its hash ID.
const EXCLUDED: ReadonlySet<string> = new Set([
  'type',
  'eventID',
  'recordTime',
  'errorDeclaration',
  '@context',
]);
const EVENT_PLAN = planFields(EVENT_ORDER);
const TAIL_FIELDS: ReadonlyMap<string, FieldRenderer> = new Map(TAIL_ORDER);

const TIME_ZONE_OFFSET = /^[+-](?:[01]\d|2[0-3]):[0-5]\d$/;

const checkEnvelope = (event: EpcisEvent): string => {
  const type = event['type'];
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    throw invalidEvent(
      '/type',
      `must name an EPCIS 2.0 event type (${[...EVENT_TYPES].join(', ')})`,
    );
  }
  if (typeof event['eventTime'] !== 'string') {
    throw invalidEvent('/eventTime', 'is required, as an xsd:dateTimeStamp string');
  }
  const offset = event['eventTimeZoneOffset'];
  if (typeof offset !== 'string' || !TIME_ZONE_OFFSET.test(offset.trim())) {
    throw invalidEvent('/eventTimeZoneOffset', 'is required, as ±hh:mm');
  }
  return type;
};

/**
 * An event's pre-hash string in its two parts: `head`, `eventType=…` and the fields in canonical
 * property order, and `tail`, the pieces that are sorted as whole strings and follow it (list
 * fields, ILMD, user extensions). The pre-hash string is `head` + the sorted `tail`
 * (joinEventPreHash). Kept apart so that extension members can be added to an event already
 * rendered (joinEventPreHash's `members`) without rendering it again.
 */
export type EventPreHash = {
  readonly head: string;
  readonly tail: readonly string[];
  /** The prefixes the event's compact names are read with (its context and the document's). */
  readonly prefixes: PrefixMap;
};

/**
 * Renders an EPCIS 2.0 event into the parts of its pre-hash string (CBV 2.0 event hash ID, EPCIS
 * Event Hash ID, rules 1-21): see formatEventPreHash, which joins them. Throws as it does.
 */
export const renderEventPreHash = (
  event: EpcisEvent,
  options: PreHashOptions = {},
): EventPreHash => {
  if (!isPlainObject(event)) throw invalidEvent('/', 'an EPCIS event must be a JSON object');
  const type = checkEnvelope(event);
  const own = event['@context'];
  const documentPrefixes = resolvePrefixes(options.context);
  const prefixes =
    own === undefined ? documentPrefixes : extendPrefixes(documentPrefixes, own, '/@context');
  const { inline, rest: tail, others } = renderFields(event, EVENT_PLAN, prefixes, '');
  const tailPieces: Pieces = { inline: tail, rest: tail };
  for (const key of others) {
    const value = event[key];
    const render = TAIL_FIELDS.get(key);
    if (render !== undefined) {
      if (value !== null && value !== undefined) {
        render(key, value, prefixes, `/${key}`, tailPieces);
      }
    } else if (!EXCLUDED.has(key) && !isIgnoredKey(key)) {
      pushGeneric(expandKey(key, prefixes), value, prefixes, keyPointer('', key), tail);
    }
  }
  return { head: `eventType=${type}${inline.join('')}`, tail, prefixes };
};

const STANDARD_FIELDS: ReadonlySet<string> = new Set([
  ...EVENT_ORDER.map(([name]) => name),
  ...TAIL_FIELDS.keys(),
  ...EXCLUDED,
]);

/**
 * The pre-hash string of rendered parts; with `members`, that of the same event with these user
 * extension members added (named as in the event: full IRIs or compact names its context
 * defines): `joinEventPreHash(renderEventPreHash(e, o), m)` equals
 * `formatEventPreHash({ ...e, ...m }, o)` for members the event does not have. Throws
 * INVALID_EVENT when a member is a standard EPCIS field (only extensions can be added this way).
 */
export const joinEventPreHash = (
  parts: EventPreHash,
  members: Readonly<Record<string, unknown>> = {},
): string => {
  const tail = [...parts.tail];
  for (const [key, value] of Object.entries(members)) {
    if (STANDARD_FIELDS.has(key)) {
      throw invalidEvent(keyPointer('', key), 'is a standard EPCIS field, not an extension');
    }
    if (!isIgnoredKey(key)) {
      pushGeneric(expandKey(key, parts.prefixes), value, parts.prefixes, keyPointer('', key), tail);
    }
  }
  return `${parts.head}${sortByCodePoint(tail).join('')}`;
};

/**
 * The pre-hash string of an EPCIS 2.0 event (CBV 2.0 event hash ID, EPCIS Event Hash ID, rules 1-21):
 * `eventType=…`, the fields in canonical property order, then the list fields, ILMD and user
 * extensions sorted. Identifiers become canonical Digital Links on https://id.gs1.org, timestamps
 * UTC with milliseconds, CBV short names full URIs; `eventID`, `recordTime` and
 * `errorDeclaration` are not hashed.
 *
 * `options.context` is the document's `@context`; an event's own `@context` extends it. Throws
 * `TraceError('INVALID_EVENT')` with the JSON pointer of the offending field (relative to the
 * event) when the event has no valid type, eventTime or eventTimeZoneOffset, or a field has the
 * wrong shape.
 */
export const formatEventPreHash = (event: EpcisEvent, options: PreHashOptions = {}): string =>
  joinEventPreHash(renderEventPreHash(event, options));
