import 'reflect-metadata';

import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Controller, Get } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { AppModule } from '../../src/app.module.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { loadEnv } from '../../src/config/env.js';

// Only here to prove that a DomainError thrown by application code becomes problem details.
@Controller('test-only')
class ThrowingController {
  @Get('missing-product')
  missingProduct(): never {
    throw new DomainError('NOT_FOUND', 'no product with GTIN 09506000134352');
  }
}

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('HTTP surface', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(loadEnv({}))],
      controllers: [ThrowingController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  it('GET /health answers 200 with status and version', async () => {
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(await response.json()).toEqual({ status: 'ok', version });
  });

  it('answers an unknown route with RFC 9457 problem details', async () => {
    const response = await fetch(`${baseUrl}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /no/such/route',
      code: 'NOT_FOUND',
    });
  });

  it('renders a DomainError as problem details with its mapped status', async () => {
    const response = await fetch(`${baseUrl}/test-only/missing-product`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no product with GTIN 09506000134352',
      code: 'NOT_FOUND',
    });
  });
});
