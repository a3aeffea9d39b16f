// `traceroot admin …`: organizations and API keys, through the service's /admin HTTP API.
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import type { CommandArgs } from './args.js';

export const DEFAULT_URL = 'http://localhost:3000';
export const ADMIN_KEY_VARIABLE = 'TRACEROOT_BOOTSTRAP_API_KEY';
const TIMEOUT_MS = 30_000;

type AdminRequest = { method: 'POST' | 'DELETE'; path: string[]; body?: unknown };

type Connection = { baseUrl: URL; adminKey: string };

const SUBCOMMANDS = ['create-organization', 'create-api-key', 'revoke-api-key'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const isSubcommand = (name: string): name is Subcommand =>
  (SUBCOMMANDS as readonly string[]).includes(name);

const flag = (args: CommandArgs, name: string): string | undefined => {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
};

const onePositional = (positionals: readonly string[], name: string, command: string): string => {
  const [value, extra] = positionals;
  if (value === undefined) {
    throw new CliError('USAGE', `admin ${command}: missing argument ${name}`);
  }
  if (extra !== undefined) {
    throw new CliError('USAGE', `admin ${command}: unexpected argument "${extra}" after ${name}`);
  }
  return value;
};

const connection = (args: CommandArgs): Connection => {
  const text = flag(args, 'url') ?? DEFAULT_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(text);
  } catch {
    throw new CliError('USAGE', `--url ${text} is not a URL`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new CliError('USAGE', `--url must be an http:// or https:// URL`);
  }
  const adminKey = flag(args, 'key') ?? process.env[ADMIN_KEY_VARIABLE];
  if (adminKey === undefined || adminKey === '') {
    throw new CliError(
      'USAGE',
      `admin commands need an admin API key: --key KEY or ${ADMIN_KEY_VARIABLE}`,
    );
  }
  return { baseUrl, adminKey };
};

// The base URL may carry a path (a service behind a prefix): segments are appended to it, encoded.
const endpoint = (baseUrl: URL, path: readonly string[]): URL => {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.map(encodeURIComponent).join('/')}`;
  url.search = '';
  url.hash = '';
  return url;
};

type Problem = { title?: unknown; detail?: unknown; errors?: unknown };

// RFC 9457 problem details as the service renders them; anything else is described by its status.
const describeProblem = (status: number, statusText: string, text: string): string => {
  let problem: Problem = {};
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    // not JSON: the status line says enough
  }
  const detail = typeof problem.detail === 'string' ? problem.detail : statusText;
  const fields = Array.isArray(problem.errors)
    ? problem.errors.flatMap((error: { pointer?: unknown; detail?: unknown }) =>
        typeof error.detail === 'string' ? [`\n  ${error.detail}`] : [],
      )
    : [];
  return `HTTP ${status}: ${detail}${fields.join('')}`;
};

/** Sends one admin request; returns the JSON body of a 2xx (undefined for 204). */
const send = async ({ baseUrl, adminKey }: Connection, request: AdminRequest): Promise<unknown> => {
  const url = endpoint(baseUrl, request.path);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        accept: 'application/json, application/problem+json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new CliError('IO', `cannot reach the service at ${url.origin}: ${reason}`);
  }
  const text = await response.text();
  if (!response.ok) {
    const refused =
      response.status === 401 || response.status === 403
        ? `\n  the admin key was refused: pass an admin key with --key or ${ADMIN_KEY_VARIABLE}`
        : '';
    const message = describeProblem(response.status, response.statusText, text) + refused;
    // A 4xx is the service refusing this request; anything else means it could not answer.
    throw new CliError(response.status >= 400 && response.status < 500 ? 'INVALID' : 'IO', message);
  }
  if (response.status === 204 || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(
      'IO',
      `the service at ${url.origin} answered ${response.status} with a body that is not JSON`,
    );
  }
};

const stringField = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | null)?.[name];
  if (typeof value !== 'string') throw new CliError('IO', `the service's answer has no "${name}"`);
  return value;
};

const SHOWN_ONCE = 'The key is shown this once (the service keeps only its hash): store it now.';

const createOrganization = async (
  args: CommandArgs,
  io: CliIo,
  positionals: readonly string[],
): Promise<void> => {
  const name = onePositional(positionals, 'NAME', 'create-organization');
  const gln = flag(args, 'gln');
  const body = await send(connection(args), {
    method: 'POST',
    path: ['admin', 'organizations'],
    body: gln === undefined ? { name } : { name, gln },
  });
  const apiKey = stringField(body, 'apiKey');
  io.out(args.flags.json === true ? JSON.stringify(body, null, 2) : apiKey);
  io.err(
    `Created organization "${name}" with ID ${stringField(body, 'id')}; its first API key is on standard output.\n${SHOWN_ONCE}`,
  );
};

const createApiKey = async (
  args: CommandArgs,
  io: CliIo,
  positionals: readonly string[],
): Promise<void> => {
  const organizationId = onePositional(positionals, 'ORG-ID', 'create-api-key');
  const scopes = flag(args, 'scopes');
  const expiresAt = flag(args, 'expires-at');
  // Without either flag, no body: the service gives its default scopes and no expiry.
  const request =
    scopes === undefined && expiresAt === undefined
      ? {}
      : {
          ...(scopes === undefined
            ? {}
            : {
                scopes: scopes
                  .split(',')
                  .map((scope) => scope.trim())
                  .filter((s) => s !== ''),
              }),
          ...(expiresAt === undefined ? {} : { expiresAt }),
        };
  const body = await send(connection(args), {
    method: 'POST',
    path: ['admin', 'organizations', organizationId, 'api-keys'],
    ...(Object.keys(request).length === 0 ? {} : { body: request }),
  });
  const apiKey = stringField(body, 'apiKey');
  io.out(args.flags.json === true ? JSON.stringify(body, null, 2) : apiKey);
  io.err(
    `Created API key ${stringField(body, 'keyId')} for organization ${organizationId}.\n${SHOWN_ONCE}`,
  );
};

const revokeApiKey = async (
  args: CommandArgs,
  io: CliIo,
  positionals: readonly string[],
): Promise<void> => {
  const keyId = onePositional(positionals, 'KEY-ID', 'revoke-api-key');
  await send(connection(args), { method: 'DELETE', path: ['admin', 'api-keys', keyId] });
  io.err(`Revoked API key ${keyId}: requests with it are refused from now on.`);
};

export const adminCommand = async (args: CommandArgs, io: CliIo): Promise<void> => {
  const [name, ...positionals] = args.positionals;
  if (name === undefined || !isSubcommand(name)) {
    const what = name === undefined ? 'missing admin command' : `unknown admin command "${name}"`;
    throw new CliError('USAGE', `${what}: one of ${SUBCOMMANDS.join(', ')}`);
  }
  if (name !== 'create-organization' && args.flags.gln !== undefined) {
    throw new CliError('USAGE', `--gln belongs to admin create-organization, not admin ${name}`);
  }
  for (const only of ['scopes', 'expires-at']) {
    if (name !== 'create-api-key' && args.flags[only] !== undefined) {
      throw new CliError('USAGE', `--${only} belongs to admin create-api-key, not admin ${name}`);
    }
  }
  switch (name) {
    case 'create-organization':
      return createOrganization(args, io, positionals);
    case 'create-api-key':
      return createApiKey(args, io, positionals);
    case 'revoke-api-key':
      return revokeApiKey(args, io, positionals);
  }
};
