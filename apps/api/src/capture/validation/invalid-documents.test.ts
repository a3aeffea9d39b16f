import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import type { EpcisException } from './epcis-exception.js';
import { validateCaptureDocument } from './validate-capture.js';

// One invalid document per rule (test/fixtures/invalid-documents/<rule>.json), each with the one
// failure it must produce beside it (<rule>.expected.json): the pointer, the EPCIS exception and
// a fragment of the message. A fixture breaks exactly one rule of an otherwise valid document.
type Expected = {
  rule: string;
  pointer: string;
  exception: EpcisException;
  message: string;
  /** Per event, whether it is valid; absent when the document itself is refused. */
  eventsValid?: boolean[];
};

const FIXTURES = new URL('../../../test/fixtures/invalid-documents/', import.meta.url);
const files = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json'))
  .sort();
const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));

const fixtures = files
  .filter((file) => !file.endsWith('.expected.json'))
  .map((file) => ({
    name: file.slice(0, -'.json'.length),
    doc: read(file),
    expected: read(file.replace(/\.json$/, '.expected.json')) as Expected,
  }));

describe('validateCaptureDocument on invalid documents, one per rule', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(files).toHaveLength(fixtures.length * 2);
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
  });

  it.each(fixtures)('$name: $expected.rule', ({ doc, expected }) => {
    const result = validateCaptureDocument(doc);

    expect(result.valid).toBe(false);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure?.pointer).toBe(expected.pointer);
    expect(failure?.exception).toBe(expected.exception);
    expect(failure?.message).toContain(expected.message);
    // Every message names the place it is about, so it can stand alone in a log.
    expect(failure?.message.startsWith(expected.pointer || 'The document')).toBe(true);

    if (expected.eventsValid === undefined) {
      expect(result.documentFailures).toEqual(result.failures);
      expect(result.events).toEqual([]);
    } else {
      expect(result.documentFailures).toEqual([]);
      expect(result.events.map((event) => event.valid)).toEqual(expected.eventsValid);
    }
  });
});
