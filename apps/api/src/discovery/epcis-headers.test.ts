import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { EPCIS_DISCOVERY_HEADERS } from './epcis-headers.js';

// The EPCIS 2.0 REST binding's OpenAPI document, from the workplace's conformance set.
const OPENAPI = readFileSync(
  new URL('../../../../conformance/epcis/openapi/openapi.yaml', import.meta.url),
  'utf8',
);

const defaultDiscoveryResponse =
  /\n {4}204DefaultDiscoveryResponse:\n([\s\S]*?)\n {4}\S/.exec(OPENAPI)?.[1] ?? '';

describe('EPCIS_DISCOVERY_HEADERS', () => {
  it.each(Object.keys(EPCIS_DISCOVERY_HEADERS))(
    "%s is a header of the binding's OPTIONS / response",
    (name) => {
      expect(defaultDiscoveryResponse).toContain(`\n        ${name}:\n`);
    },
  );

  it('announces an EPC format the binding defines', () => {
    expect(OPENAPI).toMatch(
      new RegExp(
        `GS1-EPC-Format:[\\s\\S]*?enum:[\\s\\S]*?- ${EPCIS_DISCOVERY_HEADERS['GS1-EPC-Format']}\\n`,
      ),
    );
  });
});
