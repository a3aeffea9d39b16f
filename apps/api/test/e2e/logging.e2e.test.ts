import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Body, Controller, Get, Logger, Post } from '@nestjs/common';

import type { StartedApp } from '../support/start-app.js';
import { startApp } from '../support/start-app.js';

const SECRET_KEY = 'trk_live_0123456789abcdefSECRET';
const BODY_MARKER = 'body-marker-that-must-never-be-logged';

@Controller('test-only')
class LoggingController {
  private readonly logger = new Logger('Capture');

  @Post('capture')
  capture(@Body() body: { events: unknown[] }): { count: number } {
    this.logger.log(`stored ${body.events.length} events`, { apiKey: SECRET_KEY, count: 1 });
    return { count: body.events.length };
  }

  @Get('bug')
  bug(): never {
    throw new Error('invariant broken');
  }
}

type LogRecord = Record<string, unknown>;

describe('structured logs', () => {
  let server: StartedApp;
  const lines: string[] = [];

  // Node's own process warnings (jest's "VM Modules is experimental") are not app logs.
  const isNodeWarning = (line: string): boolean => /^\((node:\d+|Use `node)/.test(line);

  const records = (): LogRecord[] =>
    lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line !== '' && !isNodeWarning(line))
      .map((line) => JSON.parse(line) as LogRecord);

  const waitForRecord = async (predicate: (record: LogRecord) => boolean): Promise<LogRecord> => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const found = records().find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no such log record');
  };

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        lines.push(String(chunk));
        return true;
      });
    }
    server = await startApp({
      controllers: [LoggingController],
      env: { LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    });
  });

  afterAll(async () => {
    await server.close();
    jest.restoreAllMocks();
  });

  it('writes one JSON object per line, start-up included', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(() => records()).not.toThrow();
    expect(records().some((record) => record.context === 'RoutesResolver')).toBe(true);
  });

  it('writes an access record with request ID, method, path, status and duration', async () => {
    const response = await fetch(`${server.baseUrl}/healthz?token=abc`, {
      headers: { 'X-Request-ID': 'access-1' },
    });
    expect(response.status).toBe(200);
    const record = await waitForRecord((r) => r.requestId === 'access-1' && r.context === 'HTTP');
    expect(record).toEqual({
      level: 'log',
      pid: process.pid,
      timestamp: expect.any(Number),
      message: 'GET /healthz 200',
      context: 'HTTP',
      requestId: 'access-1',
      method: 'GET',
      path: '/healthz',
      status: 200,
      durationMs: expect.any(Number),
    });
  });

  it("tags a handler's own records with the request ID and masks keys", async () => {
    const response = await fetch(`${server.baseUrl}/test-only/capture`, {
      method: 'POST',
      headers: {
        'X-Request-ID': 'capture-1',
        Authorization: `Bearer ${SECRET_KEY}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ events: [BODY_MARKER, 2, 3] }),
    });
    expect(response.status).toBe(201);
    const record = await waitForRecord((r) => r.context === 'Capture');
    expect(record).toMatchObject({
      level: 'log',
      message: 'stored 3 events',
      requestId: 'capture-1',
      apiKey: '[REDACTED]',
      count: 1,
    });
    await waitForRecord((r) => r.requestId === 'capture-1' && r.context === 'HTTP');
  });

  it('logs a 500 with its stack and request ID on stderr, answering without it', async () => {
    const response = await fetch(`${server.baseUrl}/test-only/bug`, {
      headers: { 'X-Request-ID': 'bug-1' },
    });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('invariant broken');
    const record = await waitForRecord((r) => r.context === 'Errors' && r.requestId === 'bug-1');
    expect(record).toMatchObject({
      level: 'error',
      message: 'Request failed',
      method: 'GET',
      path: '/test-only/bug',
      status: 500,
      error: { name: 'Error', message: 'invariant broken', stack: expect.stringContaining('bug') },
    });
  });

  it('never writes an Authorization header, an API key or a body', async () => {
    await fetch(`${server.baseUrl}/test-only/capture`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Content-Type': 'application/json' },
      body: `{"events": ["${BODY_MARKER}",`,
    });
    await fetch(`${server.baseUrl}/test-only/capture`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Content-Type': 'text/plain' },
      body: BODY_MARKER,
    });
    await waitForRecord((r) => r.status === 415);
    const everything = lines.join('');
    expect(everything).not.toContain(SECRET_KEY);
    expect(everything).not.toContain(BODY_MARKER);
    expect(everything).not.toMatch(/authorization/i);
    expect(everything).not.toContain('token=abc');
  });
});
