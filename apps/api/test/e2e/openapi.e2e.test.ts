import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type LedgerApp, startLedgerApp } from '../support/ledger-app.js';
import type { StartedApp } from '../support/start-app.js';
import { startApp } from '../support/start-app.js';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { required?: string[] }>; securitySchemes: object };
};

type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema?: { enum?: string[] } }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<
    string,
    {
      headers?: Record<string, unknown>;
      content?: Record<string, { schema?: { $ref?: string; allOf?: unknown[] } }>;
    }
  >;
  security?: Record<string, string[]>[];
};

/** What a required response carries: its headers, and for errors the problem types it names. */
type ResponseSpec = { headers?: string[]; json?: string; problems?: string[] };

type OperationSpec = {
  /** Whether it needs an API key (bearer security `api-key`). */
  secured: boolean;
  parameters?: `${'query' | 'header' | 'path'}:${string}`[];
  /** The component schema of a required body, in both JSON media types. */
  body?: string;
  responses: Record<string, ResponseSpec>;
};

const epcis = (...names: string[]) => names.map((name) => `epcisException:${name}`);
const SECURITY = { '401': { problems: epcis('SecurityException') } };
const PAGING: OperationSpec['parameters'] = ['query:perPage', 'query:nextPageToken'];

// The EPCIS 2.0 REST binding's /capture and /events operations as Traceroot serves them, with the
// binding's names (conformance/epcis/openapi/openapi.yaml). Dropping any of these from the
// controllers' decorators fails the test.
const EPCIS_OPERATIONS: Record<string, Record<string, OperationSpec>> = {
  '/capture': {
    options: {
      secured: true,
      responses: {
        '204': {
          headers: [
            'Allow',
            'GS1-EPCIS-Version',
            'GS1-EPCIS-Capture-Limit',
            'GS1-EPCIS-Capture-File-Size-Limit',
            'GS1-Capture-Error-Behaviour',
          ],
        },
      },
    },
    post: {
      secured: true,
      parameters: ['header:GS1-Capture-Error-Behaviour'],
      body: 'EPCISDocument',
      responses: {
        '202': { headers: ['Location'], json: 'CaptureJob' },
        '400': { problems: epcis('ValidationException') },
        ...SECURITY,
        '403': { problems: epcis('SecurityException') },
        '413': {
          headers: ['GS1-EPCIS-Capture-Limit', 'GS1-EPCIS-Capture-File-Size-Limit'],
          problems: epcis('CaptureLimitExceededException'),
        },
        '415': { problems: epcis('UnsupportedMediaTypeException') },
        '501': { problems: epcis('ImplementationException') },
      },
    },
    get: {
      secured: true,
      parameters: PAGING,
      responses: {
        '200': { headers: ['Link'] },
        '400': { problems: epcis('QueryParameterException') },
        ...SECURITY,
      },
    },
  },
  '/capture/{captureID}': {
    get: {
      secured: true,
      parameters: ['path:captureID'],
      responses: {
        '200': { json: 'CaptureJob' },
        '404': { problems: epcis('NoSuchResourceException') },
        ...SECURITY,
      },
    },
  },
  '/events': {
    post: {
      secured: true,
      body: 'EPCISEvent',
      responses: {
        '201': { headers: ['Location'], json: 'LedgerEvent' },
        '400': { problems: epcis('ValidationException') },
        ...SECURITY,
        '409': { problems: epcis('ResourceAlreadyExistsException') },
        '413': { problems: epcis('CaptureLimitExceededException') },
      },
    },
    get: {
      secured: false,
      parameters: PAGING,
      responses: {
        '200': { headers: ['Link'], json: 'EPCISQueryDocument' },
        '400': { problems: epcis('QueryParameterException') },
      },
    },
  },
  '/events/{eventID}': {
    get: {
      secured: false,
      parameters: ['path:eventID'],
      responses: {
        '200': { json: 'LedgerEvent' },
        '404': { problems: epcis('NoSuchResourceException') },
      },
    },
  },
  '/events/{eventID}/bundle': {
    get: {
      secured: false,
      parameters: ['path:eventID'],
      responses: {
        '200': { json: 'TraceBundle' },
        '404': { problems: epcis('NoSuchResourceException') },
      },
    },
  },
};

const ref = (schema: string) => `#/components/schemas/${schema}`;

/** The `type` values an error response's problem+json schema allows. */
const problemTypesOf = (response: Operation['responses'][string] | undefined): string[] => {
  const schema = response?.content?.['application/problem+json']?.schema;
  const parts = (schema?.allOf ?? [schema]) as
    { $ref?: string; properties?: { type?: { enum?: string[] } } }[] | undefined;
  expect(parts?.some((part) => part.$ref === ref('ProblemDetails'))).toBe(true);
  return (parts ?? []).flatMap((part) => part.properties?.type?.enum ?? []);
};

/** Every `$ref` anywhere in a JSON value. */
const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
  );
};

describe('API description', () => {
  let server: StartedApp;

  beforeAll(async () => {
    server = await startApp({ logger: false });
  });

  afterAll(async () => {
    await server.close();
  });

  it('GET /openapi.json serves an OpenAPI 3 document generated from the controllers', async () => {
    const response = await fetch(`${server.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Traceroot API', version });
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/', '/healthz', '/readyz']),
    );
    expect(Object.keys(document.paths['/'] ?? {}).sort()).toEqual(['get', 'options']);
    expect(document.components.securitySchemes).toHaveProperty('api-key');
  });

  it('declares ProblemDetails and makes it the default response of every operation', async () => {
    const document = (await (
      await fetch(`${server.baseUrl}/openapi.json`)
    ).json()) as OpenApiDocument;
    expect(document.components.schemas.ProblemDetails?.required).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'instance',
      'errors',
    ]);
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        expect(operation.responses.default).toEqual({
          description: 'An error, as RFC 9457 problem details',
          content: {
            'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
          },
        });
      }
    }
  });

  it('GET /docs serves Swagger UI whose every asset comes from this server', async () => {
    const response = await fetch(`${server.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html\b/);
    const html = await response.text();
    expect(html).toContain('<title>Traceroot API</title>');

    const assets = [...html.matchAll(/(?:src|href)=['"]([^'"]+)['"]/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset ?? '', `${server.baseUrl}/docs`);
      const assetResponse = await fetch(url);
      expect([url.pathname, assetResponse.status]).toEqual([url.pathname, 200]);
      await assetResponse.arrayBuffer();
    }
  });

  it('inlines the document in the UI and turns the online validator off', async () => {
    const init = await (await fetch(`${server.baseUrl}/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('"title": "Traceroot API"');
    expect(init).toContain('"validatorUrl": null');
  });
});

describe('API description of the EPCIS capture and events operations', () => {
  let ledger: LedgerApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    ledger = await startLedgerApp();
    const response = await fetch(`${ledger.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  const operations = Object.entries(EPCIS_OPERATIONS).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, spec]) => ({ path, method, spec })),
  );

  it.each(operations)(
    '$method $path: parameters, body, responses, security',
    ({ path, method, spec }) => {
      const operation = document.paths[path]?.[method] as Operation | undefined;
      expect(operation).toBeDefined();
      const { parameters = [], requestBody, responses, security } = operation!;

      const named = parameters.map((parameter) => `${parameter.in}:${parameter.name}`);
      expect(named).toEqual(expect.arrayContaining(spec.parameters ?? []));
      expect(new Set(named).size).toBe(named.length);
      for (const parameter of parameters.filter((p) => p.in === 'path')) {
        expect(parameter.required).toBe(true);
      }

      if (spec.body === undefined) {
        expect(requestBody).toBeUndefined();
      } else {
        expect(requestBody?.required).toBe(true);
        for (const type of ['application/json', 'application/ld+json']) {
          expect([type, requestBody?.content[type]?.schema?.$ref]).toEqual([type, ref(spec.body)]);
        }
      }

      expect(Object.keys(responses)).toEqual(expect.arrayContaining(Object.keys(spec.responses)));
      for (const [status, expected] of Object.entries(spec.responses)) {
        const response = responses[status];
        expect([status, Object.keys(response?.headers ?? {})]).toEqual([
          status,
          expect.arrayContaining(expected.headers ?? []),
        ]);
        if (expected.json !== undefined) {
          const schema = response?.content?.['application/json']?.schema;
          expect([status, schema?.$ref ?? schema]).toEqual([status, ref(expected.json)]);
        }
        if (expected.problems !== undefined) {
          expect([status, problemTypesOf(response)]).toEqual([
            status,
            expect.arrayContaining(expected.problems),
          ]);
        }
      }

      if (spec.secured) expect(security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
      else expect(security ?? []).toEqual([]);
    },
  );

  it('GET /capture answers an array of CaptureJob, as in the binding', () => {
    const operation = document.paths['/capture']?.get as Operation | undefined;
    expect(operation?.responses['200']?.content?.['application/json']?.schema).toEqual({
      type: 'array',
      items: { $ref: ref('CaptureJob') },
    });
  });

  it('names the binding values of GS1-Capture-Error-Behaviour', () => {
    const header = (document.paths['/capture']?.post as Operation | undefined)?.parameters?.find(
      (parameter) => parameter.name === 'GS1-Capture-Error-Behaviour',
    );
    expect(header).toMatchObject({ in: 'header', required: false });
    expect(header?.schema?.enum).toEqual(['rollback', 'proceed']);
  });

  it('declares the CaptureJob schema with the binding properties, and resolves every $ref', () => {
    expect(document.components.schemas.CaptureJob?.required).toEqual(
      expect.arrayContaining([
        'captureID',
        'running',
        'success',
        'captureErrorBehaviour',
        'errors',
      ]),
    );
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const target of new Set(refs)) {
      const name = /^#\/components\/schemas\/([^/]+)$/.exec(target)?.[1];
      expect([target, name !== undefined && name in document.components.schemas]).toEqual([
        target,
        true,
      ]);
    }
  });
});
