import { describe, it } from '@jest/globals';

import { expectTraceError } from '../../test/support/trace-error.js';
import { formatEventPreHash } from './pre-hash.js';

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://ex.com/ns/' },
];
const BASE = {
  type: 'ObjectEvent',
  eventTime: '2020-01-01T00:00:00Z',
  eventTimeZoneOffset: '+00:00',
};

const deep = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { 'ex:n': value } : [value];
  return value;
};

describe('errors name the offending field with a JSON pointer', () => {
  it.each([
    ['an event that is not an object', ['ObjectEvent'], '/ an EPCIS event must be a JSON object'],
    [
      'an unknown event type',
      { ...BASE, type: 'ExtensionEvent' },
      '/type must name an EPCIS 2.0 event type',
    ],
    ['a missing eventTime', { ...BASE, eventTime: undefined }, '/eventTime is required'],
    [
      'an eventTime that is a number',
      { ...BASE, eventTime: 5 },
      '/eventTime is required, as an xsd:dateTimeStamp string',
    ],
    ['an eventTime that is null', { ...BASE, eventTime: null }, '/eventTime is required'],
    [
      'a sensor time that is a number',
      { ...BASE, sensorElementList: [{ sensorMetadata: { time: 1 } }] },
      '/sensorElementList/0/sensorMetadata/time must be a date-time string',
    ],
    [
      'a missing eventTimeZoneOffset',
      { ...BASE, eventTimeZoneOffset: undefined },
      '/eventTimeZoneOffset is required, as ±hh:mm',
    ],
    [
      'an eventTimeZoneOffset that is Z',
      { ...BASE, eventTimeZoneOffset: 'Z' },
      '/eventTimeZoneOffset is required',
    ],
    [
      'a readPoint that is a string',
      { ...BASE, readPoint: 'urn:x' },
      '/readPoint must be an object',
    ],
    [
      'a bizStep that is an array',
      { ...BASE, bizStep: ['shipping'] },
      '/bizStep must be a string, number or boolean',
    ],
    [
      'an epc that is an object',
      { ...BASE, epcList: ['urn:x', {}] },
      '/epcList/1 must be a string, number or boolean',
    ],
    [
      'a sensor time that is not a date',
      { ...BASE, sensorElementList: [{ sensorMetadata: { time: 'noon' } }] },
      '/sensorElementList/0/sensorMetadata/time "noon" is not an xsd:dateTimeStamp',
    ],
    [
      'a bizTransaction that is a string',
      { ...BASE, bizTransactionList: ['urn:x'] },
      '/bizTransactionList/0 must be an object with "bizTransaction" and "type"',
    ],
    [
      'a source without value',
      { ...BASE, sourceList: [{ type: 'location' }] },
      '/sourceList/0 has no "source"',
    ],
    ['an ilmd that is a string', { ...BASE, ilmd: 'x' }, '/ilmd must be an object'],
    [
      'a nested @context',
      { ...BASE, 'ex:a': { '@context': {} } },
      '/ex:a/@context is a nested JSON-LD context',
    ],
    [
      'an event @context that is a number',
      { ...BASE, '@context': 1 },
      '/@context is not a JSON-LD context',
    ],
    [
      'an escaped key',
      { ...BASE, 'ex:a/b~': { x: {}, y: [1, { z: Number.NaN }] } },
      '/ex:a~1b~0/y/1/z must be a string',
    ],
    [
      'an extension nested too deep',
      { ...BASE, 'ex:a': deep(70) },
      'is nested deeper than 64 levels',
    ],
  ])('%s', (_name, event, message) => {
    expectTraceError(
      () => formatEventPreHash(event as Record<string, unknown>, { context: CONTEXT }),
      'INVALID_EVENT',
      message,
    );
  });
});
