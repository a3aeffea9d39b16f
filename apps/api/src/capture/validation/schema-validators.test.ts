import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it, jest } from '@jest/globals';
import { Ajv } from 'ajv';

import {
  EPCIS_SCHEMA,
  EPCIS_SCHEMA_ID,
  compileSchemaValidators,
  createEpcisAjv,
  schemaNameOf,
} from './schema-validators.js';

const SCHEMA_FILE = new URL('./schema/EPCIS-JSON-Schema.json', import.meta.url);
const CONFORMANCE = new URL('../../../../../conformance/epcis/', import.meta.url);
const FIXTURES = new URL('../../../test/fixtures/invalid-documents/', import.meta.url);

const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));
const jsonFiles = (dir: URL, suffix: string): URL[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix) && !file.endsWith('.expected.json'))
    .map((file) => new URL(file, dir));

describe('the EPCIS 2.0 JSON schema copy', () => {
  it('is the published file, unedited (schema/README.md)', () => {
    const bytes = readFileSync(SCHEMA_FILE);

    // sha256sum apps/api/src/capture/validation/schema/EPCIS-JSON-Schema.json
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'ed3228d7867198b4a5be9748fe77f473457c6ed98224fab28a950b4ce634a041',
    );
    expect(bytes.equals(readFileSync(new URL('schema/EPCIS-JSON-Schema.json', CONFORMANCE)))).toBe(
      true,
    );
    expect(EPCIS_SCHEMA.$id).toBe(EPCIS_SCHEMA_ID);
  });

  it('compiles in strict mode with strictRequired as the only exception, and no warnings', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      compileSchemaValidators(createEpcisAjv());
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    const strictest = new Ajv({ strict: true, strictRequired: true, validateFormats: false });
    expect(() => strictest.compile(EPCIS_SCHEMA)).toThrow(/strictRequired/);
  });
});

describe(compileSchemaValidators.name, () => {
  // Validating the envelope and then each event is the whole-document validation, split so that
  // every event gets its own verdict: both must agree on every document we have.
  const ajv = createEpcisAjv();
  const whole = {
    EPCISDocument: ajv.compile({ $ref: `${EPCIS_SCHEMA_ID}#/definitions/epcisDocument` }),
    EPCISQueryDocument: ajv.compile({ $ref: `${EPCIS_SCHEMA_ID}#/definitions/epcisQueryDocument` }),
  };
  const split = compileSchemaValidators(ajv);
  const documents = [
    ...jsonFiles(new URL('gs1-examples/', CONFORMANCE), '.jsonld'),
    ...jsonFiles(FIXTURES, '.json'),
  ].map((url) => ({ file: url.pathname.split('/').slice(-2).join('/'), doc: readJson(url) }));

  const eventsOf = (doc: Record<string, unknown>): unknown => {
    const body = doc['epcisBody'] as Record<string, Record<string, Record<string, unknown>>>;
    return doc['type'] === 'EPCISDocument'
      ? body['eventList']
      : body['queryResults']?.['resultsBody']?.['eventList'];
  };

  it.each(documents)('agrees with the whole-document schema on $file', ({ doc }) => {
    const type = (doc as Record<string, unknown>)['type'];
    if (type !== 'EPCISDocument' && type !== 'EPCISQueryDocument') return;
    const envelope = type === 'EPCISDocument' ? split.document : split.queryDocument;
    const record = doc as Record<string, unknown>;

    const events = envelope(record) ? eventsOf(record) : undefined;
    const splitVerdict = Array.isArray(events) && events.every((event) => split.event(event));

    expect(splitVerdict).toBe(whole[type](doc));
  });

  it('names the schema objects its errors come from', () => {
    const bizStep = {
      type: 'ObjectEvent',
      eventTime: '2026-01-01T00:00:00Z',
      eventTimeZoneOffset: '+00:00',
      action: 'ADD',
      epcList: [],
      bizStep: 'x',
    };

    expect(split.event(bizStep)).toBe(false);
    expect(split.event.errors?.map((e) => schemaNameOf(e.parentSchema))).toContain('bizStep');
    expect(schemaNameOf(EPCIS_SCHEMA.definitions['ObjectEvent'])).toBe('ObjectEvent');
    expect(schemaNameOf({})).toBeUndefined();
    expect(schemaNameOf('bizStep')).toBeUndefined();
  });
});
