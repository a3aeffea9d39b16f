import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { StartedApp } from '../support/start-app.js';
import { startApp } from '../support/start-app.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

// The headers of the EPCIS 2.0 OpenAPI's 204DefaultDiscoveryResponse that this service sends.
const DISCOVERY_HEADERS = {
  allow: 'OPTIONS, GET, HEAD',
  'gs1-epcis-version': '2.0.0',
  'gs1-epcis-min': '2.0.0',
  'gs1-epcis-max': '2.0.0',
  'gs1-cbv-version': '2.0.0',
  'gs1-cbv-min': '2.0.0',
  'gs1-cbv-max': '2.0.0',
  'gs1-epc-format': 'Never_Translates',
  'gs1-vendor-version': `traceroot-${version}`,
};

const expectDiscoveryHeaders = (response: Response): void => {
  for (const [name, value] of Object.entries(DISCOVERY_HEADERS)) {
    expect([name, response.headers.get(name)]).toEqual([name, value]);
  }
  // Not applicable here: JSON only (no XML), no extensions.
  expect(response.headers.get('gs1-cbv-xml-format')).toBeNull();
  expect(response.headers.get('gs1-extensions')).toBeNull();
};

describe('EPCIS discovery at /', () => {
  let server: StartedApp;

  beforeAll(async () => {
    server = await startApp({ logger: false });
  });

  afterAll(async () => {
    await server.close();
  });

  it('OPTIONS / answers 204 with the discovery headers and Allow', async () => {
    const response = await fetch(`${server.baseUrl}/`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expectDiscoveryHeaders(response);
    expect(await response.text()).toBe('');
  });

  it('GET / answers the top-level resource collection with links, and the same headers', async () => {
    const response = await fetch(`${server.baseUrl}/`);
    expect(response.status).toBe(200);
    expectDiscoveryHeaders(response);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(await response.json()).toEqual({
      '@context': 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      type: 'Collection',
      member: ['capture', 'events'],
      links: {
        openapi: '/openapi.json',
        docs: '/docs',
        capture: '/capture',
        events: '/events',
        checkpoint: '/log/checkpoint',
        health: '/healthz',
        readiness: '/readyz',
      },
    });
  });

  it('HEAD / answers like GET without a body', async () => {
    const response = await fetch(`${server.baseUrl}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expectDiscoveryHeaders(response);
  });

  it('accepts version ranges that include 2.0.0', async () => {
    const response = await fetch(`${server.baseUrl}/`, {
      headers: {
        'GS1-EPCIS-Min': '1.2',
        'GS1-EPCIS-Max': '2.0.0',
        'GS1-CBV-Min': '2.0',
        'GS1-CBV-Max': '3.0.0',
      },
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['GS1-EPCIS-Min', '2.1.0'],
    ['GS1-EPCIS-Max', '1.2.0'],
    ['GS1-CBV-Min', '3'],
    ['GS1-CBV-Max', '1.2.0'],
  ])('answers %s: %s with 406 NotAcceptableException', async (header, value) => {
    const response = await fetch(`${server.baseUrl}/`, { headers: { [header]: value } });
    expect(response.status).toBe(406);
    expect(await response.json()).toMatchObject({
      type: 'epcisException:NotAcceptableException',
      status: 406,
      code: 'NOT_ACCEPTABLE',
      detail: `${header} excludes 2.0.0, the only version served`,
    });
  });

  it('answers a malformed version header with 400 naming the header only', async () => {
    const response = await fetch(`${server.baseUrl}/`, {
      headers: { 'GS1-EPCIS-Min': 'latest<x>' },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.detail).toBe('GS1-EPCIS-Min must be a version such as 2.0.0');
  });
});
