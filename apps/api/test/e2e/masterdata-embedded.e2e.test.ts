// Master data and scan telemetry on the embedded database (PGlite, the `npm start` default): the
// same SQL — advisory locks, DISTINCT ON, unnest … WITH ORDINALITY, the append-only triggers —
// must run there as on PostgreSQL. The full app in-process, over HTTP.
import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { AppModule } from '../../src/app.module.js';
import { AuthService } from '../../src/auth/auth.service.js';
import { configureApp, nestAppOptions } from '../../src/common/http/configure-app.js';
import { createAppLogger } from '../../src/common/logging/app-logger.js';
import { loadEnv } from '../../src/config/env.js';
import { prepareRuntime } from '../../src/startup/runtime.js';
import { runtimeSettings } from '../../src/startup/settings.js';
import { call, epcisDocument, objectEvent } from '../support/ledger-app.js';

describe('master data and scans on the embedded PGlite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'traceroot-masterdata-'));
  let app: NestExpressApplication | undefined;
  let baseUrl: string;
  let apiKey: string;

  beforeAll(async () => {
    const env = loadEnv({ LOG_LEVEL: 'error', DATA_DIR: dataDir, SEAL_INTERVAL_MS: '0' });
    const runtime = await prepareRuntime(runtimeSettings(env));
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot(env, runtime),
      nestAppOptions(createAppLogger(env)),
    );
    configureApp(app, env);
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace(/\/$/, '').replace('[::1]', '127.0.0.1');
    ({ apiKey } = await app.get(AuthService).createOrganization({ name: 'Embedded farm' }));
  }, 120_000);

  afterAll(async () => {
    await app?.close(); // stops the embedded database too
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('versions master data from PUT and from a captured header, and looks it up', async () => {
    const put = await call(baseUrl, '/masterdata/products/9506000134352', {
      method: 'PUT',
      key: apiKey,
      body: { name: 'Baijiu', private: { sku: 'B1' } },
    });
    expect(put.status).toBe(201);
    const document = epcisDocument([objectEvent(1)], {
      epcisHeader: {
        epcisMasterData: {
          vocabularyList: [
            {
              type: 'urn:epcglobal:epcis:vtype:EPCClass',
              vocabularyElementList: [
                {
                  id: 'urn:epc:idpat:sgtin:9506000.013435.*',
                  attributes: [{ id: 'cbvmda:descriptionShort', attribute: 'Baijiu 52%' }],
                },
              ],
            },
            {
              type: 'urn:epcglobal:epcis:vtype:ReadPoint',
              vocabularyElementList: [
                {
                  id: 'urn:epc:id:sgln:9520123.00001.0',
                  attributes: [{ id: 'cbvmda:name', attribute: 'Packing station' }],
                },
              ],
            },
          ],
        },
      },
    });
    expect((await call(baseUrl, '/capture', { key: apiKey, body: document })).status).toBe(202);
    const lookup = await call(baseUrl, '/masterdata/lookup', {
      body: { ids: ['urn:epc:id:sgtin:9506000.013435.7', 'urn:epc:id:sgln:9520123.00001.0'] },
    });
    const { records } = (await lookup.json()) as {
      records: {
        id: string;
        versions: { version: number; source: string; attributes: object }[];
      }[];
    };
    expect(records.map((r) => [r.id, r.versions.map((v) => [v.version, v.source])])).toEqual([
      [
        'https://id.gs1.org/01/09506000134352',
        [
          [2, 'epcis'],
          [1, 'api'],
        ],
      ],
      ['https://id.gs1.org/414/9520123000011', [[1, 'epcis']]],
    ]);
    const current = await call(baseUrl, '/masterdata/products/09506000134352', { key: apiKey });
    expect(await current.json()).toMatchObject({ name: 'Baijiu 52%', private: { sku: 'B1' } });
  });

  it('counts scans of a recorded item and warns far-apart; refuses an unknown one', async () => {
    const unknown = await call(baseUrl, '/scans', {
      body: { identifier: '/01/09506000134352/21/7' },
    });
    expect(unknown.status).toBe(404);
    const recorded = await call(baseUrl, '/events', {
      key: apiKey,
      body: objectEvent(2, { epcList: ['urn:epc:id:sgtin:9506000.013435.7'] }),
    });
    expect(recorded.status).toBe(201);
    const scan = async (location: object) =>
      (await (
        await call(baseUrl, '/scans', {
          body: { identifier: '/01/09506000134352/21/7', location },
        })
      ).json()) as { scanCount: number; warning: { reason: string } | null };
    expect(await scan({ latitude: 30.66, longitude: 104.07 })).toMatchObject({
      scanCount: 1,
      warning: null,
    });
    // Seconds after Chengdu, in Harbin.
    expect(await scan({ latitude: 45.8, longitude: 126.53 })).toMatchObject({
      scanCount: 2,
      warning: { reason: 'far-apart' },
    });
  });
});
