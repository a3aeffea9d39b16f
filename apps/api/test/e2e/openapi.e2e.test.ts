import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

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
