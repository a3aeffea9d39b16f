import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import type { EpcisExceptionName } from './domain-error.js';
import {
  DEFAULT_EPCIS_EXCEPTION_BY_CODE,
  STATUS_BY_CODE,
  TITLE_BY_EPCIS_EXCEPTION,
  titleOfEpcisException,
} from './problem-types.js';

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

  // The examples of the binding's responses (`type: "epcisException:…"`, `title: "…"`,
  // `status: …`): which title it gives an exception answered with which status.
  const examples = [
    ...OPENAPI.matchAll(/type: "epcisException:(\w+)"\n\s+title: "([^"]+)"\n\s+status: (\d+)\n/g),
  ].map(([, name, title, status]) => ({ name, title, status: Number(status) }));

  it('titles ImplementationException by status: a 501 is an unsupported feature, not a fault', () => {
    expect(examples).toContainEqual({
      name: 'ImplementationException',
      title: 'Functionality not supported by server',
      status: 501,
    });
    for (const status of [500, 501]) {
      expect(titleOfEpcisException('ImplementationException', status)).toBe(
        examples.find((e) => e.name === 'ImplementationException' && e.status === status)?.title,
      );
    }
    expect(STATUS_BY_CODE.NOT_IMPLEMENTED).toBe(501);
    expect(DEFAULT_EPCIS_EXCEPTION_BY_CODE.NOT_IMPLEMENTED).toBe('ImplementationException');
  });

  it('gives every code a 4xx or 5xx status', () => {
    for (const status of Object.values(STATUS_BY_CODE).map(Number)) {
      expect(status >= 400 && status < 600).toBe(true);
    }
  });
});
