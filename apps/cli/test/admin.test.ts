import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';

import { runCli } from '../src/main.js';
import { memoryIo } from './memory-io.js';

const ADMIN_KEY = 'admin-key-0123456789abcdef0123456789abcdef';
const ORG_ID = '3f2b8c1e-7d4a-4e6b-9c0d-1a2b3c4d5e6f';
const KEY_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const API_KEY = `trk_${KEY_ID.replaceAll('-', '')}_${'A'.repeat(43)}`;

type Recorded = {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: string;
};
type Reply = { status: number; body?: unknown; contentType?: string };

// A stand-in for the service's /admin API: records each request and answers from `reply`.
let reply: (request: Recorded) => Reply = () => ({ status: 500 });
const requests: Recorded[] = [];
let server: Server;
let baseUrl: string;
// The tests decide whether the variable is set: the caller's own value is put back afterwards.
const callersAdminKey = process.env.TRACEROOT_BOOTSTRAP_API_KEY;

const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  const recorded: Recorded = {
    method: request.method ?? '',
    url: request.url ?? '',
    ...(request.headers.authorization === undefined
      ? {}
      : { authorization: request.headers.authorization }),
    ...(request.headers['content-type'] === undefined
      ? {}
      : { contentType: request.headers['content-type'] }),
    body,
  };
  requests.push(recorded);
  const { status, body: answer, contentType = 'application/json' } = reply(recorded);
  if (answer === undefined) {
    response.writeHead(status).end();
  } else {
    response.writeHead(status, { 'content-type': contentType });
    response.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
  }
};

const problem = (
  status: number,
  detail: string,
  errors: { pointer: string; detail: string }[] = [],
) => ({
  status,
  contentType: 'application/problem+json',
  body: { type: 'about:blank', title: 'x', status, detail, instance: '/admin', errors },
});

beforeAll(async () => {
  delete process.env.TRACEROOT_BOOTSTRAP_API_KEY;
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (callersAdminKey !== undefined) process.env.TRACEROOT_BOOTSTRAP_API_KEY = callersAdminKey;
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
});

afterEach(() => {
  requests.length = 0;
  delete process.env.TRACEROOT_BOOTSTRAP_API_KEY;
});

const run = async (argv: string[]) => {
  const { io, stdout, stderr } = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
};

describe('traceroot admin create-organization', () => {
  it('posts {name, gln} with the admin key and prints the new key alone on stdout', async () => {
    reply = () => ({
      status: 201,
      body: {
        id: ORG_ID,
        name: 'Acme Foods',
        gln: '9520123456788',
        keyId: KEY_ID,
        apiKey: API_KEY,
      },
    });
    const result = await run([
      'admin',
      'create-organization',
      'Acme Foods',
      '--gln',
      '9520123456788',
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);

    expect(result).toMatchObject({ code: 0, stdout: API_KEY });
    expect(result.stderr).toContain(ORG_ID);
    expect(result.stderr).toContain('shown this once');
    expect(requests).toEqual([
      {
        method: 'POST',
        url: '/admin/organizations',
        authorization: `Bearer ${ADMIN_KEY}`,
        contentType: 'application/json',
        body: JSON.stringify({ name: 'Acme Foods', gln: '9520123456788' }),
      },
    ]);
  });

  it('sends no gln when none is given, and prints the whole answer with --json', async () => {
    const answer = { id: ORG_ID, name: 'Acme', gln: null, keyId: KEY_ID, apiKey: API_KEY };
    reply = () => ({ status: 201, body: answer });
    const result = await run([
      'admin',
      'create-organization',
      'Acme',
      '--json',
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(answer);
    expect(requests[0]?.body).toBe(JSON.stringify({ name: 'Acme' }));
  });

  it('takes the admin key from TRACEROOT_BOOTSTRAP_API_KEY when --key is absent', async () => {
    process.env.TRACEROOT_BOOTSTRAP_API_KEY = ADMIN_KEY;
    reply = () => ({ status: 201, body: { id: ORG_ID, apiKey: API_KEY } });
    expect((await run(['admin', 'create-organization', 'Acme', '--url', baseUrl])).code).toBe(0);
    expect(requests[0]?.authorization).toBe(`Bearer ${ADMIN_KEY}`);
  });

  it('keeps a path prefix of --url', async () => {
    reply = () => ({ status: 201, body: { id: ORG_ID, apiKey: API_KEY } });
    await run([
      'admin',
      'create-organization',
      'Acme',
      '--url',
      `${baseUrl}/traceroot/`,
      '--key',
      ADMIN_KEY,
    ]);
    expect(requests[0]?.url).toBe('/traceroot/admin/organizations');
  });

  it('exits 1 and names the field when the service refuses the body', async () => {
    reply = () =>
      problem(400, 'gln must be a GS1 GLN', [
        { pointer: '/gln', detail: '/gln: wrong check digit' },
      ]);
    const result = await run([
      'admin',
      'create-organization',
      'Acme',
      '--gln',
      '9520123456789',
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('HTTP 400: gln must be a GS1 GLN');
    expect(result.stderr).toContain('/gln: wrong check digit');
  });
});

describe('traceroot admin create-api-key', () => {
  it("posts to the organization's api-keys and prints the new key", async () => {
    reply = () => ({ status: 201, body: { keyId: KEY_ID, apiKey: API_KEY } });
    const result = await run([
      'admin',
      'create-api-key',
      ORG_ID,
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);

    expect(result).toMatchObject({ code: 0, stdout: API_KEY });
    expect(result.stderr).toContain(KEY_ID);
    expect(requests).toMatchObject([
      { method: 'POST', url: `/admin/organizations/${ORG_ID}/api-keys`, body: '' },
    ]);
  });

  it('sends --scopes and --expires-at as the key request', async () => {
    reply = () => ({ status: 201, body: { keyId: KEY_ID, apiKey: API_KEY } });
    const result = await run([
      'admin',
      'create-api-key',
      ORG_ID,
      '--scopes',
      'query, admin',
      '--expires-at',
      '2030-01-01T00:00:00Z',
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);
    expect(result).toMatchObject({ code: 0, stdout: API_KEY });
    expect(JSON.parse(requests[0]!.body)).toEqual({
      scopes: ['query', 'admin'],
      expiresAt: '2030-01-01T00:00:00Z',
    });
    const misplaced = await run(['admin', 'revoke-api-key', KEY_ID, '--scopes', 'query']);
    expect(misplaced).toMatchObject({ code: 2 });
    expect(misplaced.stderr).toContain('--scopes belongs to admin create-api-key');
  });

  it('encodes the organization ID into the path', async () => {
    reply = () => problem(404, 'no organization with ID a/b?c');
    const result = await run([
      'admin',
      'create-api-key',
      'a/b?c',
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);
    expect(requests[0]?.url).toBe('/admin/organizations/a%2Fb%3Fc/api-keys');
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('HTTP 404: no organization'),
    });
  });
});

describe('traceroot admin revoke-api-key', () => {
  it('sends DELETE and confirms on stderr, printing nothing on stdout', async () => {
    reply = () => ({ status: 204 });
    const result = await run([
      'admin',
      'revoke-api-key',
      KEY_ID,
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);

    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`Revoked API key ${KEY_ID}`);
    expect(requests).toMatchObject([{ method: 'DELETE', url: `/admin/api-keys/${KEY_ID}` }]);
  });

  it('exits 1 for an unknown key', async () => {
    reply = () => problem(404, `no API key with ID ${KEY_ID}`);
    const result = await run([
      'admin',
      'revoke-api-key',
      KEY_ID,
      '--url',
      baseUrl,
      '--key',
      ADMIN_KEY,
    ]);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('HTTP 404') });
  });
});

describe('traceroot admin: failures', () => {
  it('exits 1 with a hint when the admin key is refused (401 or 403)', async () => {
    for (const status of [401, 403]) {
      reply = () => problem(status, 'the API key is not valid');
      const result = await run([
        'admin',
        'create-api-key',
        ORG_ID,
        '--url',
        baseUrl,
        '--key',
        'wrong',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`HTTP ${status}: the API key is not valid`);
      expect(result.stderr).toContain('the admin key was refused');
      expect(result.stderr).not.toContain('wrong');
    }
  });

  it('exits 3 when the service fails or answers with something that is not JSON', async () => {
    reply = () => problem(500, 'The server failed to handle the request.');
    expect(
      await run(['admin', 'create-api-key', ORG_ID, '--url', baseUrl, '--key', ADMIN_KEY]),
    ).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('HTTP 500'),
    });
    reply = () => ({ status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' });
    expect(
      await run(['admin', 'create-api-key', ORG_ID, '--url', baseUrl, '--key', ADMIN_KEY]),
    ).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('HTTP 502: Bad Gateway'),
    });
    reply = () => ({ status: 201, body: 'not json', contentType: 'text/plain' });
    expect(
      await run(['admin', 'create-api-key', ORG_ID, '--url', baseUrl, '--key', ADMIN_KEY]),
    ).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('not JSON'),
    });
  });

  it('exits 3 when nothing listens at --url', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await run([
      'admin',
      'revoke-api-key',
      KEY_ID,
      '--url',
      `http://127.0.0.1:${port}`,
      '--key',
      ADMIN_KEY,
    ]);
    expect(result).toMatchObject({
      code: 3,
      stderr: expect.stringContaining(`cannot reach the service at http://127.0.0.1:${port}`),
    });
  });

  it.each([
    [['admin'], 'missing admin command'],
    [['admin', 'frobnicate'], 'unknown admin command "frobnicate"'],
    [['admin', 'create-organization'], 'missing argument NAME'],
    [['admin', 'create-api-key', ORG_ID, 'extra'], 'unexpected argument "extra"'],
    [
      ['admin', 'revoke-api-key', KEY_ID, '--gln', '9520123456788'],
      '--gln belongs to admin create-organization',
    ],
    [['admin', 'revoke-api-key', KEY_ID, '--url', 'ftp://example.com'], 'http:// or https://'],
    [['admin', 'revoke-api-key', KEY_ID, '--url', 'not a url'], 'is not a URL'],
    [
      ['admin', 'revoke-api-key', KEY_ID, '--url', 'http://127.0.0.1:9'],
      'TRACEROOT_BOOTSTRAP_API_KEY',
    ],
    [['admin', 'revoke-api-key', KEY_ID, '--nope'], 'see traceroot --help'],
  ])('exits 2 without a request for %j', async (argv, message) => {
    const result = await run(argv);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
    expect(requests).toEqual([]);
  });

  it('is listed in --help with its options', async () => {
    const { stdout } = await run(['--help']);
    for (const text of [
      'admin create-organization NAME',
      'admin create-api-key ORG-ID',
      'admin revoke-api-key KEY-ID',
      '--url URL',
      'TRACEROOT_BOOTSTRAP_API_KEY',
    ]) {
      expect(stdout).toContain(text);
    }
  });
});
