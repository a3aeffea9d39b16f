import { describe, expect, it } from '@jest/globals';

import { TraceError } from '../errors.js';
import { eventsOfDocument } from './document.js';

const EVENT = {
  type: 'ObjectEvent',
  eventTime: '2020-01-01T00:00:00Z',
  eventTimeZoneOffset: '+00:00',
};
const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://ex.com/' },
];

describe('eventsOfDocument', () => {
  it('returns the eventList of an EPCISDocument with its @context', () => {
    const second = { ...EVENT, action: 'ADD' };
    const doc = {
      '@context': CONTEXT,
      type: 'EPCISDocument',
      epcisBody: { eventList: [EVENT, second] },
    };
    const { events, context } = eventsOfDocument(doc);
    expect(events).toEqual([EVENT, second]);
    expect(events[0]).toBe(EVENT);
    expect(context).toBe(CONTEXT);
  });

  it('returns the events of an EPCISQueryDocument', () => {
    const doc = {
      '@context': 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      type: 'EPCISQueryDocument',
      epcisBody: {
        queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: [EVENT] } },
      },
    };
    expect(eventsOfDocument(doc)).toEqual({ events: [EVENT], context: doc['@context'] });
  });

  it('gives a plain JSON document (no @context) the empty context', () => {
    expect(eventsOfDocument({ type: 'EPCISDocument', epcisBody: { eventList: [] } })).toEqual({
      events: [],
      context: [],
    });
  });

  it('accepts an object @context', () => {
    const doc = {
      '@context': { ex: 'https://ex.com/' },
      type: 'EPCISDocument',
      epcisBody: { eventList: [EVENT] },
    };
    expect(eventsOfDocument(doc).context).toEqual({ ex: 'https://ex.com/' });
  });

  it.each([
    ['not an object', [], '/ an EPCIS document must be a JSON object'],
    ['null', null, '/ an EPCIS document must be a JSON object'],
    [
      'no type',
      { epcisBody: { eventList: [] } },
      '/type must be "EPCISDocument" or "EPCISQueryDocument"',
    ],
    ['an event, not a document', EVENT, '/type must be "EPCISDocument" or "EPCISQueryDocument"'],
    ['an inherited type name', { type: 'toString' }, '/type must be'],
    ['no epcisBody', { type: 'EPCISDocument' }, '/epcisBody is missing'],
    ['no eventList', { type: 'EPCISDocument', epcisBody: {} }, '/epcisBody/eventList is missing'],
    [
      'an epcisBody that is a list',
      { type: 'EPCISDocument', epcisBody: [] },
      '/epcisBody/eventList is missing',
    ],
    [
      'no resultsBody',
      { type: 'EPCISQueryDocument', epcisBody: { queryResults: {} } },
      '/epcisBody/queryResults/resultsBody is missing',
    ],
    [
      'an eventList that is an object',
      { type: 'EPCISDocument', epcisBody: { eventList: {} } },
      '/epcisBody/eventList must be an array of events',
    ],
    [
      'an event that is a string',
      { type: 'EPCISDocument', epcisBody: { eventList: [EVENT, 'x'] } },
      '/epcisBody/eventList/1 must be an event object',
    ],
    [
      'a numeric @context',
      { '@context': 3, type: 'EPCISDocument', epcisBody: { eventList: [] } },
      '/@context must be a string, an object or an array of them',
    ],
    [
      'a @context array with a number',
      { '@context': ['x', 3], type: 'EPCISDocument', epcisBody: { eventList: [] } },
      '/@context must be',
    ],
  ])('rejects %s, pointing at it', (_name, doc, message) => {
    expect(() => eventsOfDocument(doc)).toThrow(TraceError);
    try {
      eventsOfDocument(doc);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'INVALID_EVENT',
        message: expect.stringContaining(message) as unknown,
      });
    }
  });
});
