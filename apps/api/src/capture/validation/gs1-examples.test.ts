import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { computeEventHashId, eventsOfDocument } from '@traceroot/trace';

import { validateCaptureDocument } from './validate-capture.js';

// The official EPCIS 2.0 JSON-LD examples (gs1/EPCIS `JSON/` at 2b888befbc07), read in place
// from the workplace's conformance set (copied into conformance/, provenance in conformance/SOURCES.md; relative to the
// project's root). Every one of them is a capture document Traceroot accepts, the
// EPCISQueryDocument included: the REST binding says POST /capture "should support both
// EPCISDocument and EPCISQueryDocument as input".
const EXAMPLES = new URL(
  '../../../../../conformance/epcis/gs1-examples/',
  import.meta.url,
);

const examples = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.jsonld'))
  .sort()
  .map((file) => ({
    file,
    doc: JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as unknown,
  }));

describe('validateCaptureDocument on the GS1 EPCIS 2.0 examples', () => {
  it('finds all 47 examples', () => {
    expect(examples).toHaveLength(47);
  });

  it.each(examples)('accepts $file', ({ doc }) => {
    const result = validateCaptureDocument(doc);
    expect(result.failures).toEqual([]);
    expect(result.valid).toBe(true);
    const { events, context } = eventsOfDocument(doc);
    expect(result.events.map((e) => e.eventHashId)).toEqual(
      events.map((event) => computeEventHashId(event, { context })),
    );
  });
});
