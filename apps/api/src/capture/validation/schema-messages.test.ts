import { describe, expect, it } from '@jest/globals';
import type { ErrorObject } from 'ajv';

import { describeSchemaError } from './schema-messages.js';
import { compileSchemaValidators } from './schema-validators.js';

// Most messages are pinned by the invalid-document fixtures; these are the ones no document
// reaches through the EPCIS 2.0 schema, and a few worth seeing whole.
const error = (overrides: Partial<ErrorObject>): ErrorObject => ({
  keyword: 'const',
  instancePath: '/x',
  schemaPath: '#/const',
  params: {},
  message: 'must be equal to constant',
  ...overrides,
});

describe(describeSchemaError.name, () => {
  const { event } = compileSchemaValidators();
  const describeEvent = (body: Record<string, unknown>) => {
    expect(event(body)).toBe(false);
    return describeSchemaError(event.errors ?? [], '/e', 'The event');
  };
  const valid = {
    type: 'ObjectEvent',
    eventTime: '2026-01-01T00:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'ADD',
    epcList: ['urn:x:1'],
  };

  it("uses Ajv's words for a keyword it has no sentence for", () => {
    expect(describeSchemaError([error({})], '', 'The document')).toEqual({
      pointer: '/x',
      message: '/x must be equal to constant',
      exception: 'ValidationException',
    });
    expect(describeSchemaError([error({ message: undefined })], '', 'The event').message).toBe(
      '/x is not valid',
    );
  });

  it('still answers when Ajv gave no error', () => {
    expect(describeSchemaError([], '', 'The event').message).toBe('The event is not valid');
    expect(describeSchemaError([], '/e', 'The event').pointer).toBe('/e');
  });

  it('quotes an unexpected pattern', () => {
    const failure = describeSchemaError(
      [error({ keyword: 'pattern', instancePath: '/y', params: { pattern: '^a$' }, data: 'b' })],
      '',
      'The event',
    );
    expect(failure.message).toBe('/y "b" does not match the pattern ^a$');
  });

  it.each([
    [{ certificationInfo: 5 }, '/e/certificationInfo', 'must be a URI or an array of URIs'],
    [{ persistentDisposition: {} }, '/e/persistentDisposition', 'must have set, unset or both'],
    [{ bizStep: 5 }, '/e/bizStep', 'must be a string, not a number'],
    [{ epcList: null }, '/e/epcList', 'must be an array, not null'],
    [
      { sensorElementList: [{ sensorReport: [] }] },
      '/e/sensorElementList/0/sensorReport',
      'must list at least 1 element(s)',
    ],
    [
      {
        errorDeclaration: {
          declarationTime: '2026-01-01T00:00:00Z',
          reason: 'did_not_occur',
          why: 1,
        },
      },
      '/e/errorDeclaration/why',
      '"why" is not a field of an errorDeclaration',
    ],
    [
      { sensorElementList: [{ sensorReport: [{ type: 'Temperature', hexBinaryValue: 'xyz' }] }] },
      '/e/sensorElementList/0/sensorReport/0/hexBinaryValue',
      'must be hexadecimal digits',
    ],
    [
      { bizTransactionList: [{ type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:x:1' }] },
      '/e/bizTransactionList/0/type',
      'is an EPCIS 1.x CBV URN: EPCIS 2.0 JSON writes a business transaction type as a CBV short name (po, inv, desadv)',
    ],
  ])('explains %j', (overrides, pointer, message) => {
    const failure = describeEvent({ ...valid, ...overrides });

    expect(failure.pointer).toBe(pointer);
    expect(failure.message).toContain(message);
  });
});
