import type { ErrorObject } from 'ajv';

import { childPointer, showValue } from './json-pointer.js';
import { EPCIS_EVENT_TYPES, schemaNameOf } from './schema-validators.js';
import type { ValidationFailure } from './validation-result.js';

// Ajv's errors, rewritten as sentences a person can act on. Ajv reports the failing keyword deep
// inside the schema ("must match a schema in anyOf"); the sentences name the field, quote the
// value and say what is expected, in the words of the EPCIS 2.0 standard.

/** What the value at the root of a validation is called when the pointer is empty. */
export type Subject = 'The document' | 'The event';

type Describe = {
  readonly error: ErrorObject;
  /** The pointer of the failing value in the body. */
  readonly pointer: string;
  /** The pointer, or the subject when it is the root. */
  readonly name: string;
};

// CBV 2.0 vocabularies by the schema definition that lists their short names.
const VOCABULARIES: Readonly<Record<string, readonly [label: string, examples: string]>> = {
  bizStep: ['business step', 'shipping, receiving'],
  disposition: ['disposition', 'in_transit, active'],
  'bizTransaction-type': ['business transaction type', 'po, inv, desadv'],
  'source-dest-type': ['source/destination type', 'owning_party, possessing_party, location'],
  'error-reason': ['error reason', 'did_not_occur, incorrect_data'],
  measurementType: ['measurement type', 'Temperature, RelativeHumidity'],
  sensorAlertType: ['sensor alert type', 'ALARM_CONDITION, ERROR_CONDITION'],
  component: ['component', 'x, latitude'],
};

const EVENT_TYPE_LIST = `${EPCIS_EVENT_TYPES.slice(0, -1).join(', ')} or ${EPCIS_EVENT_TYPES.at(-1)}`;

// What an event type must name besides its envelope (each event type's allOf/2 in the schema).
const CONTENT_RULES: Readonly<Record<string, string>> = {
  'ObjectEvent/allOf/2':
    'an ObjectEvent needs an epcList, a non-empty quantityList, or a non-empty sensorElementList together with a readPoint',
  'AggregationEvent/allOf/2':
    'an AggregationEvent needs non-empty childEPCs or childQuantityList, unless its action is DELETE',
  'AssociationEvent/allOf/2':
    'an AssociationEvent needs non-empty childEPCs or childQuantityList, unless its action is DELETE',
  'TransactionEvent/allOf/2':
    'a TransactionEvent needs an epcList or a non-empty quantityList, unless its action is DELETE',
  'TransformationEvent/allOf/2':
    'a TransformationEvent needs inputs (inputEPCList or inputQuantityList) and outputs (outputEPCList or outputQuantityList), or a transformationID with at least one of them, each list non-empty',
};

// How the structures whose field names the schema restricts are called in messages.
const STRUCTURES: Readonly<Record<string, string>> = {
  epcisDocument: 'an EPCISDocument',
  epcisQueryDocument: 'an EPCISQueryDocument',
  epcisQueryDocumentBody: 'the body of an EPCISQueryDocument',
  queryResults: 'queryResults',
  resultsBody: 'resultsBody',
  epcisHeader: 'epcisHeader (epcisMasterData or extensions)',
  errorDeclaration: 'an errorDeclaration',
  sensorMetadata: 'sensorMetadata',
  sensorReport: 'a sensorReport',
  sensorElement: 'a sensorElement',
  quantityElement: 'a quantity element (epcClass, quantity, uom)',
  bizTransaction: 'a bizTransaction (type, bizTransaction)',
  source: 'a source (type, source)',
  destination: 'a destination (type, destination)',
  'persistentDisposition/allOf/0': 'persistentDisposition (set, unset)',
  ...Object.fromEntries(EPCIS_EVENT_TYPES.map((type) => [`${type}/allOf/1`, `an ${type}`])),
};

const PATTERNS: Readonly<Record<string, string>> = {
  eventTimeZoneOffset: 'must be a UTC offset ±hh:mm from -14:00 to +14:00, such as +02:00',
  uom: 'must be a UN/ECE Recommendation 20 unit code of 2 or 3 capital letters or digits, such as KGM',
  schemaVersion: 'must be a version number such as 2.0',
  hexBinaryValue: 'must be hexadecimal digits (0-9, A-F)',
};

const article = (type: string): string => (/^[aeiou]/.test(type) ? 'an ' : 'a ') + type;

const jsonTypeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
};

const lastToken = (pointer: string): string => pointer.slice(pointer.lastIndexOf('/') + 1);

const describeFormat = ({ error, name }: Describe, subject: Subject): string => {
  const value = showValue(error.data);
  if (error.params['format'] === 'date-time') {
    return `${name} ${value} is not a valid date-time: a calendar date and a time with seconds and a time zone, such as 2024-05-01T12:00:00.000Z or 2024-05-01T14:00:00+02:00`;
  }
  if (subject === 'The event' && error.instancePath === '/type') {
    return `${name} ${value} is not an EPCIS 2.0 event type: use ${EVENT_TYPE_LIST}`;
  }
  return `${name} ${value} is not an absolute URI: it needs a scheme such as urn:, https: or ni: (GS1 identifiers are EPC URNs or GS1 Digital Link URIs)`;
};

const describeVocabulary = ({ error, name }: Describe, definition: string): string => {
  const [label, examples] = VOCABULARIES[definition] ?? [definition, ''];
  const value = error.data;
  if (typeof value !== 'string') return `${name} must be a string, not ${jsonTypeOf(value)}`;
  if (value.startsWith('urn:epcglobal:cbv:')) {
    return `${name} ${showValue(value)} is an EPCIS 1.x CBV URN: EPCIS 2.0 JSON writes a ${label} as a CBV short name (${examples}) or its https://ref.gs1.org/cbv/ URI`;
  }
  return `${name} ${showValue(value)} is neither a CBV 2.0 ${label} short name (such as ${examples}) nor the absolute URI of another vocabulary`;
};

const describeAnyOf = (d: Describe, errors: readonly ErrorObject[]): string => {
  const definition = schemaNameOf(d.error.parentSchema) ?? '';
  if (Object.hasOwn(VOCABULARIES, definition)) return describeVocabulary(d, definition);
  const rule = CONTENT_RULES[definition];
  if (rule !== undefined) return `${d.name} names no objects: ${rule}`;
  if (definition === '@context') {
    return `${d.name} must be a context URI, an object of term definitions, or an array of distinct URIs and objects`;
  }
  if (definition === 'certificationInfo') return `${d.name} must be a URI or an array of URIs`;
  if (definition === 'persistentDisposition/allOf/1') {
    return `${d.name} must have set, unset or both, each a non-empty list of dispositions`;
  }
  // An anyOf the catalogue does not know: the first alternative's complaint is the best hint.
  const hint = errors.find((e) => e.instancePath.startsWith(d.error.instancePath));
  return `${d.name} ${showValue(d.error.data)} matches none of the forms the EPCIS 2.0 schema allows here (the first: ${hint?.message ?? 'unknown'})`;
};

const describeFieldName = (d: Describe): ValidationFailure => {
  const property = String(d.error.params['propertyName'] ?? d.error.params['additionalProperty']);
  const pointer = childPointer(d.pointer, property);
  const structure = STRUCTURES[schemaNameOf(d.error.parentSchema) ?? ''] ?? 'this object';
  const extension =
    d.error.keyword === 'propertyNames'
      ? ', and an extension field must be named by an absolute URI or a compact IRI (prefix:name)'
      : '';
  const message = `${pointer}: ${JSON.stringify(property)} is not a field of ${structure}${extension}`;
  return { pointer, message, exception: 'ValidationException' };
};

const describeKeyword = (d: Describe, errors: readonly ErrorObject[], subject: Subject): string => {
  const { error, name } = d;
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return `${name} is missing the required field ${String(params['missingProperty'])}`;
    case 'type':
      return `${name} must be ${article(String(params['type']))}, not ${jsonTypeOf(error.data)}`;
    case 'format':
      return describeFormat(d, subject);
    case 'enum':
      return `${name} is ${showValue(error.data)} but must be one of ${(params['allowedValues'] as unknown[]).join(', ')}`;
    case 'pattern':
      return `${name} ${showValue(error.data)} ${PATTERNS[lastToken(error.instancePath)] ?? `does not match the pattern ${String(params['pattern'])}`}`;
    case 'minItems':
      return `${name} must list at least ${String(params['limit'])} element(s)`;
    case 'anyOf':
      return describeAnyOf(d, errors);
    default:
      return `${name} ${error.message ?? 'is not valid'}`;
  }
};

/**
 * The failure Ajv's `errors` describe, for a value at `base` in the body. With `allErrors` off
 * Ajv reports one failing keyword plus the keywords that wrap it (anyOf's alternatives before
 * it, the `if` that chose the event type's schema after it): the last error that is not an `if`
 * is the one that names the rule.
 */
export const describeSchemaError = (
  errors: readonly ErrorObject[],
  base: string,
  subject: Subject,
): ValidationFailure => {
  const error = errors.findLast((e) => e.keyword !== 'if') ?? errors[0];
  if (error === undefined) {
    return {
      pointer: base,
      message: `${base || subject} is not valid`,
      exception: 'ValidationException',
    };
  }
  const pointer = base + error.instancePath;
  const d: Describe = { error, pointer, name: pointer === '' ? subject : pointer };
  if (error.keyword === 'propertyNames' || error.keyword === 'additionalProperties') {
    return describeFieldName(d);
  }
  if (error.keyword === 'uniqueItems') {
    const [first, again] = [Number(error.params['j']), Number(error.params['i'])];
    const element = childPointer(pointer, again);
    const value = showValue((error.data as readonly unknown[])[again]);
    return {
      pointer: element,
      message: `${element} ${value} repeats element ${first} of ${d.name}; list each value once`,
      exception: 'ValidationException',
    };
  }
  if (error.keyword === 'required') {
    // A missing field is named by where it should be: the pointer of the absent member.
    const missing = childPointer(pointer, String(error.params['missingProperty']));
    return {
      pointer: missing,
      message: `${missing}: ${describeKeyword(d, errors, subject)}`,
      exception: 'ValidationException',
    };
  }
  return {
    pointer,
    message: describeKeyword(d, errors, subject),
    exception: 'ValidationException',
  };
};
