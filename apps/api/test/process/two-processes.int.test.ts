// Issue 3 §3 and §7: any number of ledger service processes on one database make one log. Two
// built services (dist/main.js) start at the same moment on an empty database (both migrate it),
// take captures alternately, and seal — one at a time — into one chain of checkpoints. Then the
// one that sealed last is SIGKILLed and the other must carry on sealing alone.
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_SERVER_URL } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';

import { checkLog, logState, withClient } from './support/log-check.js';
import {
  type CaptureLoad,
  makeDocument,
  makeEvent,
  post,
  type SentDocument,
  startCaptureLoad,
} from './support/load.js';
import {
  createOrganization,
  jsonRecords,
  killAllServices,
  type Service,
  startService,
  waitUntil,
} from './support/service.js';

const ORIGIN = 'two.traceroot.dev/log';
const keys = generateNoteKeys(ORIGIN, new Uint8Array(randomBytes(32)));
const adminKey = randomBytes(32).toString('base64url');

/** The checkpoints a service's log says it sealed (SealerService's debug records). */
const sealsOf = (service: Service): number[] =>
  jsonRecords(service)
    .filter((record) => record.context === 'SealerService' && typeof record.treeSize === 'number')
    .map((record) => record.treeSize as number);

describe('two ledger service processes on one database (process test)', () => {
  // An empty database (not the migrated test template): both processes migrate it at boot.
  const dbName = `two_processes_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.href;
  let services: Service[] = [];
  let apiKey = '';
  const loads: CaptureLoad[] = [];
  /** Documents acknowledged outside the load (the duplicate test's). */
  const alsoAcknowledged: SentDocument[] = [];

  beforeAll(async () => {
    await withClient(TEST_SERVER_URL, (admin) => admin.query(`CREATE DATABASE "${dbName}"`));
    services = await Promise.all(
      ['a', 'b'].map((name) =>
        startService({
          name,
          databaseUrl,
          signingKey: keys.signerKey,
          bootstrapApiKey: adminKey,
          env: { SEAL_INTERVAL_MS: '100', LOG_LEVEL: 'debug' },
        }),
      ),
    );
    apiKey = await createOrganization(services[0]!.baseUrl, adminKey, 'Two processes farm');
  }, 90_000);

  afterAll(async () => {
    await Promise.all(loads.map((load) => load.stop()));
    await killAllServices();
    await withClient(TEST_SERVER_URL, (admin) =>
      admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`),
    );
  }, 30_000);

  it('answers one document posted to both at once with one 202 and one 409, never a 5xx', async () => {
    for (let round = 0; round < 5; round += 1) {
      const document = makeDocument(Array.from({ length: 20 }, makeEvent));
      const responses = await Promise.all(
        services.map((service) => post(service.baseUrl, apiKey, document)),
      );
      const statuses = await Promise.all(
        responses.map(
          async (response) =>
            `${response.status} ${response.status >= 300 ? await response.text() : ''}`,
        ),
      );
      expect(statuses.map((status) => status.slice(0, 3)).sort()).toEqual(['202', '409']);
      alsoAcknowledged.push({
        eventIds: document.epcisBody.eventList.map((event) => String(event.eventID)),
        target: 'both',
      });
    }
  }, 30_000);

  it('makes one log, sealed by one process at a time, and the survivor keeps sealing', async () => {
    const [a, b] = services as [Service, Service];
    const load = startCaptureLoad({
      targets: [a.baseUrl, b.baseUrl],
      apiKey,
      clients: 6,
      eventsPerDocument: 20,
    });
    loads.push(load);
    await load.acknowledgedMore(100);
    await waitUntil(
      async () =>
        (await logState(databaseUrl)).sealed > 0 && sealsOf(a).length + sealsOf(b).length > 0,
      20_000,
      'a seal',
    );

    // Kill whichever sealed last; the clients now post to the other one only.
    const last = Math.max(...sealsOf(a), ...sealsOf(b));
    const [dead, survivor] = sealsOf(a).includes(last) ? [a, b] : [b, a];
    expect(await dead.kill()).toBe('SIGKILL');
    load.targets.splice(0, load.targets.length, survivor.baseUrl);
    const sealedAtKill = (await logState(databaseUrl)).sealed;
    await load.acknowledgedMore(40);
    await load.stop();
    await waitUntil(
      async () => {
        const state = await logState(databaseUrl);
        return state.sealed === state.leaves;
      },
      20_000,
      'the survivor to seal everything',
    );
    const final = await logState(databaseUrl);
    expect(final.sealed).toBeGreaterThan(sealedAtKill);
    expect(sealsOf(survivor)).toContain(final.sealed);

    // Every checkpoint was sealed by exactly one of them, none twice, and none failed.
    const sealed = [...sealsOf(a), ...sealsOf(b)];
    expect(new Set(sealed).size).toBe(sealed.length);
    for (const service of services) {
      expect(service.lines.filter((line) => /seal failed|"level":"error"/.test(line))).toEqual([]);
    }
    expect(load.refused.map((doc) => `${doc.status} ${doc.body}`)).toEqual([]);
    // Documents in flight to the killed one may or may not be stored (all or nothing).
    const facts = await checkLog({
      databaseUrl,
      baseUrl: survivor.baseUrl,
      verifierKey: keys.verifierKey,
      origin: ORIGIN,
      acknowledged: [...alsoAcknowledged, ...load.acknowledged],
      unknown: load.unknown,
    });
    // Every seal a process logged is a stored checkpoint. The killed one may have committed one
    // more seal between the moment it was picked and the SIGKILL, without living to log it.
    expect(sealed.filter((size) => !facts.checkpoints.includes(size))).toEqual([]);
    expect(facts.checkpoints.filter((size) => !sealed.includes(size)).length).toBeLessThanOrEqual(
      1,
    );
    process.stderr.write(
      `two processes: ${facts.leaves} leaves, ${facts.checkpoints.length} checkpoints (a sealed ${sealsOf(a).length}, b ${sealsOf(b).length}); killed ${dead.name} after size ${last}\n`,
    );
  }, 90_000);
});
