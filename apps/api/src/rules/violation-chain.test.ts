import { describe, expect, it } from '@jest/globals';
import { generateViolationChain } from '@traceroot/trace';

import { validateCaptureDocument } from '../capture/validation/validate-capture.js';

// The generated chain with deliberate violations (libs/trace) is meant to be captured: each of its
// events is a valid EPCIS 2.0 event as POST /capture checks them (schema, GS1 check digits,
// CBV vocabulary). A rule violation is not a validation failure.
describe('the generated violation chain', () => {
  it.each([1, 2, 3])('passes capture validation, one document per event (seed %i)', (seed) => {
    const chain = generateViolationChain({ seed, lines: 8 });
    const invalid = chain.events.flatMap((event, i) => {
      const result = validateCaptureDocument({
        '@context': chain.context,
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2026-01-01T00:00:00.000Z',
        epcisBody: { eventList: [event.fields] },
      });
      return result.valid ? [] : [{ i, event: event.fields, result }];
    });
    expect(invalid).toEqual([]);
  });
});
