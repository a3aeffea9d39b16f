import { describe, expect, it } from '@jest/globals';

import { TraceError } from '../errors.js';
import {
  STANDARD_PREFIX_MAP,
  expandCompactIri,
  expandKey,
  extendPrefixes,
  resolvePrefixes,
} from './context.js';

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

describe('resolvePrefixes', () => {
  it('knows the EPCIS 2.0.0 context prefixes without any document context', () => {
    for (const context of [undefined, null, EPCIS_CONTEXT]) {
      const prefixes = resolvePrefixes(context);
      expect(prefixes).toBe(STANDARD_PREFIX_MAP);
      expect(prefixes.get('gs1')).toBe('https://gs1.org/voc/');
      expect(prefixes.get('cbvmda')).toBe('urn:epcglobal:cbv:mda:');
    }
  });

  it('adds the prefixes of an object context and of every object of an array context', () => {
    const prefixes = resolvePrefixes([
      EPCIS_CONTEXT,
      { example: 'https://ns.example.com/epcis/' },
      [{ ex2: { '@id': 'urn:x:', '@prefix': true } }],
    ]);
    expect(prefixes.get('example')).toBe('https://ns.example.com/epcis/');
    expect(prefixes.get('ex2')).toBe('urn:x:');
    expect(resolvePrefixes({ single: 'https://single/' }).get('single')).toBe('https://single/');
  });

  it('skips keywords, compact-IRI terms and keyword aliases, which define no prefix', () => {
    const prefixes = resolvePrefixes({
      '@vocab': 'https://vocab/',
      'rail:vehicle': { '@type': '@id' },
      id: '@id',
      typed: { '@type': '@id' },
      rail: 'urn:gs1:epcisapp:rail:',
    });
    expect([...prefixes.keys()].filter((k) => !STANDARD_PREFIX_MAP.has(k))).toEqual(['rail']);
  });

  it('lets the document override a standard prefix (the reference implementation does too)', () => {
    expect(resolvePrefixes([{ cbvmda: 'http://example.com/cbvmda/' }]).get('cbvmda')).toBe(
      'http://example.com/cbvmda/',
    );
  });

  it('resolves an object context once', () => {
    const context = [{ example: 'https://ns.example.com/epcis/' }];
    expect(resolvePrefixes(context)).toBe(resolvePrefixes(context));
  });

  it.each([
    ['a number', 5, '/@context'],
    ['a boolean in an array', [EPCIS_CONTEXT, true], '/@context/1'],
    ['null in a nested array', [[null]], '/@context/0/0'],
  ])('rejects %s, naming the entry', (_name, context, pointer) => {
    expect(() => resolvePrefixes(context)).toThrow(
      new TraceError(
        'INVALID_EVENT',
        `${pointer} is not a JSON-LD context (string, object or array)`,
      ),
    );
  });

  it('extends a prefix map with an event-level context without changing it', () => {
    const extended = extendPrefixes(STANDARD_PREFIX_MAP, { own: 'urn:own:' }, '/@context');
    expect(extended.get('own')).toBe('urn:own:');
    expect(STANDARD_PREFIX_MAP.has('own')).toBe(false);
  });
});

describe('expandKey and expandCompactIri (CBV 2.0 event hash ID rules 15, 19-21)', () => {
  const prefixes = resolvePrefixes([{ example: 'https://ns.example.com/epcis/' }]);

  it.each([
    [
      'example:myField',
      '{https://ns.example.com/epcis/}myField',
      'https://ns.example.com/epcis/myField',
    ],
    ['cbvmda:lotNumber', '{urn:epcglobal:cbv:mda:}lotNumber', 'urn:epcglobal:cbv:mda:lotNumber'],
    ['gs1:Temperature', '{https://gs1.org/voc/}Temperature', 'https://gs1.org/voc/Temperature'],
    ['bizStep', 'bizStep', 'bizStep'],
    ['unknown:x', 'unknown:x', 'unknown:x'],
    [
      'https://ns.example.com/epcis/myField',
      'https://ns.example.com/epcis/myField',
      'https://ns.example.com/epcis/myField',
    ],
    ['example://not-a-curie', 'example://not-a-curie', 'example://not-a-curie'],
    [':x', ':x', ':x'],
  ])('%s', (compact, key, iri) => {
    expect(expandKey(compact, prefixes)).toBe(key);
    expect(expandCompactIri(compact, prefixes)).toBe(iri);
  });
});
