import { describe, expect, it, jest } from '@jest/globals';

import { TraceError } from '../errors.js';

// Only INVALID_IDENTIFIER means "not a GS1 identifier, keep the value"; anything else the GS1
// code throws is a bug there and must surface, not be hashed around.
const failures: Record<string, Error> = {};
jest.unstable_mockModule('../gs1/index.js', () => ({
  epcUriToDigitalLink: (uri: string) => {
    throw failures[uri] ?? new TraceError('INVALID_IDENTIFIER', uri);
  },
  parseDigitalLink: (uri: string) => {
    throw failures[uri] ?? new TraceError('INVALID_IDENTIFIER', uri);
  },
  formatDigitalLink: () => '',
}));
const { formatHashText } = await import('./value.js');
const { STANDARD_PREFIX_MAP } = await import('./context.js');

describe('identifier conversion failures', () => {
  it('keeps a value the GS1 code rejects as an identifier', () => {
    expect(formatHashText('urn:epc:id:sgtin:x', STANDARD_PREFIX_MAP)).toBe('urn:epc:id:sgtin:x');
  });

  it.each([
    ['a TypeError', 'urn:epc:id:sgtin:bug', new TypeError('bug')],
    [
      'a TraceError of another code',
      'https://id.gs1.org/01/09506000134352',
      new TraceError('MALFORMED_INPUT', 'bug'),
    ],
  ])('rethrows %s', (_name, value, error) => {
    failures[value] = error;
    expect(() => formatHashText(value, STANDARD_PREFIX_MAP)).toThrow(error);
  });
});
