import { randomBytes } from 'node:crypto';
// Boots the FULL ledger service the way src/main.ts does — loadEnv, prepareRuntime (migrations,
// log key), AppModule.forRoot(env, runtime), configureApp — on a fresh test database (cloned from
// the migrated template), on 127.0.0.1 port 0, for e2e tests that talk to it over HTTP.
// The sealer's timer is off (SEAL_INTERVAL_MS 0): tests seal by hand with `seal()`.
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestDatabase, type TestDatabase } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';
import pg from 'pg';

import { AppModule } from '../../src/app.module.js';
import { AuthService } from '../../src/auth/auth.service.js';
import { configureApp, nestAppOptions } from '../../src/common/http/configure-app.js';
import { createAppLogger } from '../../src/common/logging/app-logger.js';
import { loadEnv } from '../../src/config/env.js';
import { type SealResult, SealerService } from '../../src/ledger/sealer.service.js';
import { PrivacyService } from '../../src/privacy/privacy.service.js';
import { prepareRuntime } from '../../src/startup/runtime.js';
import { runtimeSettings } from '../../src/startup/settings.js';

/** The test log's origin; its key is fixed (a test key, never a secret). */
export const TEST_LOG_ORIGIN = 'e2e.traceroot.test/log';
const TEST_LOG_KEYS = generateNoteKeys(TEST_LOG_ORIGIN, new Uint8Array(32).fill(42));

/** Accepted as an admin key of no organization (TRACEROOT_BOOTSTRAP_API_KEY). */
export const TEST_ADMIN_KEY = 'e2e-admin-0123456789abcdef0123456789abcdef';

export type LedgerApp = {
  /** e.g. "http://127.0.0.1:41234", no trailing slash. */
  baseUrl: string;
  /** An API key of the organization "E2E farm". */
  apiKey: string;
  /** The organization of `apiKey` ("E2E farm"). */
  organizationId: string;
  /** An admin key that belongs to no organization. */
  adminKey: string;
  /** The log's verifier key (what GET /log/key serves), to trust in verifications. */
  verifierKey: string;
  origin: string;
  /** Seals every pending event now; resolves with the checkpoints signed. */
  seal: () => Promise<SealResult[]>;
  /** The test database (its `url` for direct SQL). */
  db: TestDatabase;
  /** Runs one SQL statement on the test database, on its own connection. */
  sql: <R extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;
  app: NestExpressApplication;
  /** Closes the app, then drops the database. */
  close: () => Promise<void>;
};

export type LedgerAppOptions = {
  /** Environment variables on top of the test defaults (strings, parsed by loadEnv). */
  env?: Readonly<Record<string, string>>;
  /**
   * Run on this database (e.g. another app's, to restart the service on the same data) instead of
   * a fresh one; it is not dropped on close.
   */
  db?: TestDatabase;
};

export const startLedgerApp = async (options: LedgerAppOptions = {}): Promise<LedgerApp> => {
  const db = options.db ?? (await createTestDatabase('e2e'));
  const drop = options.db === undefined ? () => db.drop() : () => Promise.resolve();
  try {
    const env = loadEnv({
      LOG_LEVEL: 'error',
      DATABASE_URL: db.url,
      LOG_SIGNING_KEY: TEST_LOG_KEYS.signerKey,
      // A fresh key-encryption key per app: nothing a test seals outlives it.
      TRACEROOT_KEK: randomBytes(32).toString('base64'),
      SEAL_INTERVAL_MS: '0',
      TRACEROOT_BOOTSTRAP_API_KEY: TEST_ADMIN_KEY,
      ...options.env,
    });
    const runtime = await prepareRuntime(runtimeSettings(env));
    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot(env, runtime),
      nestAppOptions(createAppLogger(env)),
    );
    configureApp(app, env);
    await app.listen(0, '127.0.0.1');
    const baseUrl = (await app.getUrl()).replace(/\/$/, '').replace('[::1]', '127.0.0.1');
    const { apiKey, id: organizationId } = await app
      .get(AuthService)
      .createOrganization({ name: 'E2E farm' });
    const sealer = app.get(SealerService);
    return {
      baseUrl,
      apiKey,
      organizationId,
      adminKey: TEST_ADMIN_KEY,
      verifierKey: runtime.ledger.verifierKey,
      origin: runtime.ledger.origin,
      seal: () => sealer.sealNow(),
      db,
      sql: async <R extends Record<string, unknown>>(
        text: string,
        values?: unknown[],
      ): Promise<R[]> => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          return (await client.query<R>(text, values)).rows;
        } finally {
          await client.end();
        }
      },
      app,
      close: async () => {
        try {
          await app.close();
        } finally {
          await drop();
        }
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
};

export type CallOptions = {
  method?: string;
  /** Sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** JSON-encoded unless it is a string (then sent as is). */
  body?: unknown;
  headers?: Record<string, string>;
};

/** One HTTP request to the app; a body is JSON (`application/json`) unless headers say otherwise. */
export const call = (
  baseUrl: string,
  path: string,
  options: CallOptions = {},
): Promise<Response> => {
  const { method = options.body === undefined ? 'GET' : 'POST', key, body, headers = {} } = options;
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors: { pointer: string; detail: string }[];
};

/** The body of an RFC 9457 answer, after checking that it is one and that its status matches. */
export const problemOf = async (response: Response): Promise<Problem> => {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (!type.startsWith('application/problem+json')) {
    throw new Error(
      `expected application/problem+json, got ${response.status} ${type}: ${text.slice(0, 500)}`,
    );
  }
  const problem = JSON.parse(text) as Problem;
  if (problem.status !== response.status) {
    throw new Error(`problem status ${problem.status} ≠ HTTP ${response.status}`);
  }
  return problem;
};

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** `object` without the members `keys`. */
export const omit = (object: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));

/** A valid ObjectEvent, different for every `n` (its SGTIN serial and its second), without eventID. */
export const objectEvent = (
  n: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventTime: `2026-03-01T08:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.000+01:00`,
  eventTimeZoneOffset: '+01:00',
  epcList: [`urn:epc:id:sgtin:9520123.045678.${n}`],
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  readPoint: { id: 'urn:epc:id:sgln:9520123.00001.0' },
  ...overrides,
});

/** A valid EPCISDocument carrying `events`. */
export const epcisDocument = (
  events: readonly unknown[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => ({
  '@context': [EPCIS_CONTEXT],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-03-01T09:00:00.000Z',
  epcisBody: { eventList: events },
  ...overrides,
});

/** The events of an EPCISQueryDocument (GET /events). */
export const eventListOf = async (response: Response): Promise<Record<string, unknown>[]> => {
  const body = (await response.json()) as {
    epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
  };
  return body.epcisBody.queryResults.resultsBody.eventList;
};

/**
 * Makes every field of `organizationId`'s future captures public (its policy: default public, no
 * entries): for tests about EPCIS itself, whose events must read back exactly as sent to anyone.
 * The default policy keeps business transactions and the like private (docs/specs/privacy.md).
 */
export const publishEverything = async (
  ledger: LedgerApp,
  organizationId = ledger.organizationId,
): Promise<void> => {
  // Through the service, not PUT /admin/…/policy: that would append an admin record (an
  // ObjectEvent) to the log, which these tests' queries would then find.
  await ledger.app
    .get(PrivacyService)
    .putPolicy(organizationId, { sharing: 'restricted', default: 'public', fields: {} });
};
