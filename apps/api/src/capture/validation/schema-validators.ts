import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

import EPCIS_JSON_SCHEMA from './schema/EPCIS-JSON-Schema.json' with { type: 'json' };

type SchemaDocument = AnySchemaObject & { definitions: Record<string, AnySchemaObject> };

/** The official EPCIS 2.0 JSON schema (schema/README.md), as published. */
export const EPCIS_SCHEMA = EPCIS_JSON_SCHEMA as unknown as SchemaDocument;
export const EPCIS_SCHEMA_ID = 'https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json';

// The same schema with `eventList` reduced to "an array": it checks a document's envelope (header,
// body, master data) and leaves its events to the event validator, one by one. Derived in memory
// so the file stays the published one; the pair is equivalent to the whole-document definitions
// (schema-validators.test.ts checks it on every GS1 example and invalid fixture).
const ENVELOPE_SCHEMA_ID = 'urn:traceroot:epcis-json-schema:envelope';
const ENVELOPE_SCHEMA: SchemaDocument = structuredClone(EPCIS_SCHEMA);
ENVELOPE_SCHEMA.$id = ENVELOPE_SCHEMA_ID;
ENVELOPE_SCHEMA.definitions['eventList'] = { type: 'array' };

/** The EPCIS 2.0 event types Traceroot captures: those the CBV 2.0 event hash ID is defined for. */
export const EPCIS_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;

// Names of the schema objects that Ajv errors point back at (verbose errors carry the very
// object holding the failing keyword as `parentSchema`): definitions by their name, and the
// parts of an event type that hold its field names (allOf/1) and content rule (allOf/2).
const SCHEMA_NAMES = new WeakMap<object, string>();
for (const schema of [EPCIS_SCHEMA, ENVELOPE_SCHEMA]) {
  for (const [name, definition] of Object.entries(schema.definitions)) {
    SCHEMA_NAMES.set(definition, name);
    const parts = (definition as { allOf?: unknown }).allOf;
    if (Array.isArray(parts)) {
      parts.forEach((part: object, i) => SCHEMA_NAMES.set(part, `${name}/allOf/${i}`));
    }
  }
}

/** The definition name (`bizStep`, `ObjectEvent/allOf/2`…) of a schema object, if it has one. */
export const schemaNameOf = (schema: unknown): string | undefined =>
  typeof schema === 'object' && schema !== null ? SCHEMA_NAMES.get(schema) : undefined;

/**
 * An Ajv instance holding the EPCIS 2.0 schema and its envelope variant. Options: one error per
 * validation (the first is reported; collecting all would slow down the valid case for no
 * benefit), verbose errors for readable messages, strict mode on except `strictRequired`, which
 * the official schema does not satisfy (its anyOf branches require properties that the parent
 * schema declares), and the two formats it uses from ajv-formats (full mode: real calendar dates).
 */
export const createEpcisAjv = (): Ajv => {
  const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictRequired: false });
  // ajv-formats is CommonJS: its plugin is `module.exports.default` to TypeScript's node16 rules,
  // and `module.exports.default === module.exports` at run time.
  ajvFormats.default(ajv, ['date-time', 'uri']);
  ajv.addSchema(EPCIS_SCHEMA);
  ajv.addSchema(ENVELOPE_SCHEMA);
  return ajv;
};

export type SchemaValidators = {
  /** An EPCISDocument without looking into its events. */
  readonly document: ValidateFunction;
  /** An EPCISQueryDocument without looking into its events. */
  readonly queryDocument: ValidateFunction;
  /** One event of an event list, or the body of POST /events (EPCIS-Document-Event). */
  readonly event: ValidateFunction;
};

/** Compiles the validators the capture endpoints use; done once, at startup. */
export const compileSchemaValidators = (ajv: Ajv = createEpcisAjv()): SchemaValidators => ({
  document: ajv.compile({ $ref: `${ENVELOPE_SCHEMA_ID}#/definitions/epcisDocument` }),
  queryDocument: ajv.compile({ $ref: `${ENVELOPE_SCHEMA_ID}#/definitions/epcisQueryDocument` }),
  event: ajv.compile({ $ref: `${EPCIS_SCHEMA_ID}#/definitions/EPCIS-Document-Event` }),
});
