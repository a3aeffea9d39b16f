import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
} from '@nestjs/common';

import { DomainError } from '../../src/common/errors/domain-error.js';
import type { StartedApp } from '../support/start-app.js';
import { startApp } from '../support/start-app.js';

const LIMIT = 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Only here to make the app fail in every way a real route can.
@Controller('test-only')
class FailingController {
  @Post('echo')
  echo(@Body() body: unknown): { received: unknown } {
    return { received: body };
  }

  @Post('invalid-capture')
  invalidCapture(): never {
    throw new DomainError('VALIDATION_FAILED', 'eventTime must be a date-time', {
      errors: [
        { pointer: '/epcisBody/eventList/0/eventTime', message: 'must be a date-time' },
        { pointer: '/epcisBody/eventList/1/action', message: 'must be ADD, OBSERVE or DELETE' },
      ],
    });
  }

  @Get('missing-checkpoint')
  missingCheckpoint(): never {
    throw new DomainError('NOT_FOUND', 'no checkpoint was signed at tree size 7');
  }

  @Get('missing-event')
  missingEvent(): never {
    throw new DomainError('NOT_FOUND', 'no event with this eventID', {
      epcisException: 'NoSuchResourceException',
    });
  }

  @Get('not-epcis')
  notEpcis(): never {
    throw new DomainError('VALIDATION_FAILED', 'gln must be a GLN', { epcisException: null });
  }

  @Get('number/:n')
  number(@Param('n', ParseIntPipe) n: number): { n: number } {
    return { n };
  }

  @Get('nest-bad-request')
  nestBadRequest(): never {
    throw new BadRequestException(['name must be a string', 'gln must be 13 digits']);
  }

  @Get('nest-conflict')
  nestConflict(): never {
    throw new ConflictException('already there');
  }

  @Get('bug')
  bug(): never {
    throw new TypeError("Cannot read properties of undefined (reading 'secretColumn')");
  }
}

const problemOf = async (response: Response): Promise<Record<string, unknown>> => {
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  return (await response.json()) as Record<string, unknown>;
};

describe('errors as RFC 9457 problem details', () => {
  let server: StartedApp;

  beforeAll(async () => {
    server = await startApp({
      controllers: [FailingController],
      env: { CAPTURE_MAX_BYTES: String(LIMIT) },
      logger: false,
    });
  });

  afterAll(async () => {
    await server.close();
  });

  const post = (
    path: string,
    body: NonNullable<RequestInit['body']>,
    headers: Record<string, string> = {},
  ) => fetch(`${server.baseUrl}${path}`, { method: 'POST', body, headers });

  describe('a DomainError', () => {
    it('becomes a problem with its status, EPCIS type, pointers and request ID', async () => {
      const response = await fetch(`${server.baseUrl}/test-only/invalid-capture`, {
        method: 'POST',
        headers: { 'X-Request-ID': 'req-42' },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('x-request-id')).toBe('req-42');
      expect(await problemOf(response)).toEqual({
        type: 'epcisException:ValidationException',
        title: 'Invalid request',
        status: 400,
        detail: 'eventTime must be a date-time',
        instance: '/test-only/invalid-capture',
        code: 'VALIDATION_FAILED',
        requestId: 'req-42',
        errors: [
          { pointer: '/epcisBody/eventList/0/eventTime', detail: 'must be a date-time' },
          { pointer: '/epcisBody/eventList/1/action', detail: 'must be ADD, OBSERVE or DELETE' },
        ],
      });
    });

    it('without an EPCIS meaning gets a traceroot problem type', async () => {
      const response = await fetch(`${server.baseUrl}/test-only/missing-checkpoint?x=1`);
      expect(response.status).toBe(404);
      const problem = await problemOf(response);
      expect(problem).toEqual({
        type: 'https://traceroot.dev/problems/not-found',
        title: 'Resource not found',
        status: 404,
        detail: 'no checkpoint was signed at tree size 7',
        instance: '/test-only/missing-checkpoint',
        code: 'NOT_FOUND',
        requestId: response.headers.get('x-request-id'),
        errors: [],
      });
      expect(problem.requestId).toMatch(UUID);
    });

    it('takes the EPCIS exception its thrower names, or none when told so', async () => {
      const missing = await problemOf(await fetch(`${server.baseUrl}/test-only/missing-event`));
      expect(missing).toMatchObject({
        type: 'epcisException:NoSuchResourceException',
        title: 'Resource not found',
        status: 404,
        code: 'NOT_FOUND',
      });
      const notEpcis = await problemOf(await fetch(`${server.baseUrl}/test-only/not-epcis`));
      expect(notEpcis).toMatchObject({
        type: 'https://traceroot.dev/problems/validation-failed',
        title: 'Request validation failed',
        status: 400,
      });
    });
  });

  describe('errors that are not DomainErrors', () => {
    it('answers an unknown route with 404', async () => {
      const response = await fetch(`${server.baseUrl}/no/such/route`);
      expect(response.status).toBe(404);
      expect(await problemOf(response)).toMatchObject({
        type: 'https://traceroot.dev/problems/not-found',
        status: 404,
        detail: 'Cannot GET /no/such/route',
        instance: '/no/such/route',
        code: 'NOT_FOUND',
      });
    });

    it("maps a Nest pipe's 400 to VALIDATION_FAILED", async () => {
      const response = await fetch(`${server.baseUrl}/test-only/number/seven`);
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({
        type: 'epcisException:ValidationException',
        status: 400,
        detail: 'Validation failed (numeric string is expected)',
        code: 'VALIDATION_FAILED',
      });
    });

    it("joins a Nest exception's list of messages", async () => {
      const problem = await problemOf(await fetch(`${server.baseUrl}/test-only/nest-bad-request`));
      expect(problem.detail).toBe('name must be a string; gln must be 13 digits');
    });

    it('keeps the status of any other HttpException, as about:blank', async () => {
      const response = await fetch(`${server.baseUrl}/test-only/nest-conflict`);
      expect(response.status).toBe(409);
      const problem = await problemOf(response);
      expect(problem).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'already there',
        instance: '/test-only/nest-conflict',
        requestId: response.headers.get('x-request-id'),
        errors: [],
      });
    });

    it('answers anything else with a generic 500 that leaks nothing', async () => {
      const response = await fetch(`${server.baseUrl}/test-only/bug`);
      expect(response.status).toBe(500);
      const text = await response.clone().text();
      expect(text).not.toContain('secretColumn');
      expect(text).not.toContain('TypeError');
      expect(text).not.toContain('.ts:');
      expect(await problemOf(response)).toEqual({
        type: 'epcisException:ImplementationException',
        title: 'A server-side error occurred',
        status: 500,
        detail: 'The server failed to handle the request. Quote the request ID when reporting it.',
        instance: '/test-only/bug',
        code: 'INTERNAL_ERROR',
        requestId: response.headers.get('x-request-id'),
        errors: [],
      });
    });
  });

  describe('request bodies', () => {
    it('reads application/json and application/ld+json', async () => {
      for (const type of ['application/json', 'application/ld+json; charset=utf-8']) {
        const response = await post('/test-only/echo', '{"a":[1,2]}', { 'Content-Type': type });
        expect(response.status).toBe(201);
        expect(await response.json()).toEqual({ received: { a: [1, 2] } });
      }
    });

    it('reads a gzip-compressed body', async () => {
      const response = await post('/test-only/echo', gzipSync('{"zipped":true}'), {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ received: { zipped: true } });
    });

    it('answers malformed JSON with 400 MALFORMED_JSON naming the problem', async () => {
      const response = await post('/test-only/echo', '{"eventList": [1, 2,', {
        'Content-Type': 'application/json',
      });
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({
        type: 'epcisException:ValidationException',
        title: 'Invalid request',
        status: 400,
        code: 'MALFORMED_JSON',
        instance: '/test-only/echo',
        errors: [],
      });
      expect(problem.detail).toMatch(/^Request body is not valid JSON: .*JSON/);
    });

    it('answers a JSON body that is not an object or array with 400', async () => {
      const response = await post('/test-only/echo', '"just a string"', {
        'Content-Type': 'application/json',
      });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).code).toBe('MALFORMED_JSON');
    });

    it('answers a body over CAPTURE_MAX_BYTES with 413 and the limit header', async () => {
      const body = JSON.stringify({ padding: 'x'.repeat(LIMIT) });
      const response = await post('/test-only/echo', body, { 'Content-Type': 'application/json' });
      expect(response.status).toBe(413);
      expect(response.headers.get('gs1-epcis-capture-file-size-limit')).toBe(String(LIMIT));
      expect(await problemOf(response)).toMatchObject({
        type: 'epcisException:CaptureLimitExceededException',
        title: 'Capture payload too large',
        status: 413,
        detail: `Request body is larger than the limit of ${LIMIT} bytes`,
        code: 'PAYLOAD_TOO_LARGE',
      });
    });

    it('answers a chunked body (no Content-Length) that grows past the limit with 413', async () => {
      const chunk = new TextEncoder().encode(`"${'y'.repeat(300)}",`);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('['));
          if (sent < 10) controller.enqueue(chunk);
          else {
            controller.enqueue(new TextEncoder().encode('"end"]'));
            controller.close();
          }
          sent += 1;
        },
      });
      const response = await fetch(`${server.baseUrl}/test-only/echo`, {
        method: 'POST',
        body: stream,
        headers: { 'Content-Type': 'application/json' },
        duplex: 'half',
      });
      expect(response.status).toBe(413);
      expect((await problemOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('applies the limit to the decompressed size', async () => {
      const bomb = gzipSync(JSON.stringify({ padding: ' '.repeat(50 * LIMIT) }));
      expect(bomb.length).toBeLessThan(LIMIT);
      const response = await post('/test-only/echo', bomb, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
      expect(response.status).toBe(413);
    });

    it.each([
      ['text/plain', '{"a":1}', 'Content-Type "text/plain" is not supported'],
      ['application/xml', '<epcis/>', 'Content-Type "application/xml" is not supported'],
      ['application/x-www-form-urlencoded', 'a=1', 'is not supported'],
    ])('answers a %s body with 415 and Accept', async (type, body, detail) => {
      const response = await post('/test-only/echo', body, { 'Content-Type': type });
      expect(response.status).toBe(415);
      expect(response.headers.get('accept')).toBe('application/json, application/ld+json');
      const problem = await problemOf(response);
      expect(problem).toMatchObject({
        type: 'epcisException:UnsupportedMediaTypeException',
        title: 'Unsupported media type',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      expect(problem.detail).toContain(detail);
    });

    it('answers a large non-JSON upload with 415, not a connection reset', async () => {
      const response = await post('/test-only/echo', 'z'.repeat(4 * 1024 * 1024), {
        'Content-Type': 'text/csv',
      });
      expect(response.status).toBe(415);
    });

    it('answers a body without a Content-Type with 415', async () => {
      const response = await post('/test-only/echo', new Uint8Array([123, 125]));
      expect(response.status).toBe(415);
      expect((await problemOf(response)).detail).toBe(
        'A request body needs a Content-Type: application/json or application/ld+json',
      );
    });

    it('does not echo a hostile Content-Type', async () => {
      const response = await post('/test-only/echo', '{}', {
        'Content-Type': 'text/<script>alert(1)</script>',
      });
      expect(response.status).toBe(415);
      expect(JSON.stringify(await problemOf(response))).not.toContain('script');
    });

    it('answers JSON in a charset other than UTF-8 with 415', async () => {
      const response = await post('/test-only/echo', '{"a":1}', {
        'Content-Type': 'application/json; charset=latin1',
      });
      expect(response.status).toBe(415);
      expect((await problemOf(response)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers an unknown Content-Encoding with 415', async () => {
      const response = await post('/test-only/echo', '{"a":1}', {
        'Content-Type': 'application/json',
        'Content-Encoding': 'snappy',
      });
      expect(response.status).toBe(415);
      expect((await problemOf(response)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('lets a POST without a body through, whatever its Content-Type', async () => {
      const response = await fetch(`${server.baseUrl}/test-only/echo`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'Content-Length': '0' },
      });
      expect(response.status).toBe(201);
    });
  });

  describe('request IDs', () => {
    it('generates a UUID when the client sends none', async () => {
      const response = await fetch(`${server.baseUrl}/healthz`);
      expect(response.headers.get('x-request-id')).toMatch(UUID);
    });

    it("honours the client's X-Request-ID when it is a sane token", async () => {
      const id = '01J9Z3Q4ZK6Y8X7W5V3T1R0P9N:trace/abc+1=';
      const response = await fetch(`${server.baseUrl}/healthz`, {
        headers: { 'X-Request-ID': id },
      });
      expect(response.headers.get('x-request-id')).toBe(id);
    });

    it.each(['has spaces in it', 'x'.repeat(129), 'quote"d', 'semi;colon', '<tag>'])(
      'replaces the insane X-Request-ID %j with a fresh one',
      async (id) => {
        const response = await fetch(`${server.baseUrl}/no/such/route`, {
          headers: { 'X-Request-ID': id },
        });
        const generated = response.headers.get('x-request-id');
        expect(generated).toMatch(UUID);
        expect((await problemOf(response)).requestId).toBe(generated);
      },
    );
  });
});
