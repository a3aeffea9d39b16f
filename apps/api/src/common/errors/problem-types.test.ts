import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import type { EpcisExceptionName } from './domain-error.js';
import { STATUS_BY_CODE, TITLE_BY_EPCIS_EXCEPTION } from './problem-types.js';

// The EPCIS 2.0 REST binding's OpenAPI document, from the workplace's conformance set.
const OPENAPI = readFileSync(
  new URL('../../../../../conformance/epcis/openapi/openapi.yaml', import.meta.url),
  'utf8',
);

describe('problem types', () => {
  it.each(Object.keys(TITLE_BY_EPCIS_EXCEPTION) as EpcisExceptionName[])(
    'epcisException:%s is a problem type the EPCIS 2.0 REST binding uses',
    (name) => {
      expect(OPENAPI).toMatch(new RegExp(`(type: "|- )epcisException:${name}"?\\n`));
    },
  );

  it('gives every code a 4xx or 5xx status', () => {
    for (const status of Object.values(STATUS_BY_CODE).map(Number)) {
      expect(status >= 400 && status < 600).toBe(true);
    }
  });
});
