import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { EPCIS_EXCEPTIONS } from './epcis-exception.js';

// The REST binding's OpenAPI document (gs1/EPCIS `REST Bindings/openapi.yaml`), from the
// workplace's conformance set (copied into conformance/, provenance in conformance/SOURCES.md).
const OPENAPI = readFileSync(
  new URL('../../../../../conformance/epcis/openapi/openapi.yaml', import.meta.url),
  'utf8',
);

describe('EPCIS_EXCEPTIONS', () => {
  it.each(Object.entries(EPCIS_EXCEPTIONS))(
    '%s is a problem type of the EPCIS 2.0 REST binding',
    (name, { type, status }) => {
      expect(type).toBe(`epcisException:${name}`);
      expect(OPENAPI).toContain(`- ${type}\n`);
      // A response pairs it with this status, in its example or its schema. (The binding's 409
      // response has `status: 409` in its example but `enum: [406]` in its schema, a slip.)
      expect(OPENAPI).toMatch(
        new RegExp(`(?:status: |enum:\\s*- )${status}\\b[\\s\\S]{0,600}?- ${type}\n`),
      );
    },
  );
});
