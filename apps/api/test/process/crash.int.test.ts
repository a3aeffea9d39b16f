// Issue 3 §3 and §7: a ledger service process SIGKILLed during sustained capture loses no
// acknowledged event, seals none twice, never reorders sealed leaves and never signs two
// checkpoints of one size. The built service (dist/main.js, `npm run build -w @traceroot/api`)
// runs as a child process on a fresh database and is killed twice: once at an arbitrary moment
// of the load, once at a chosen one — while a seal is between its node rows and its checkpoint
// row and a capture between its event rows and its leaf rows (both held there by table locks
// the test takes). Each time it restarts on the same database and carries on.
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';
import type pg from 'pg';

import { checkLog, logState, withClient } from './support/log-check.js';
import { type CaptureLoad, startCaptureLoad } from './support/load.js';
import {
  createOrganization,
  killAllServices,
  type Service,
  sleep,
  startService,
  waitUntil,
} from './support/service.js';

const ORIGIN = 'crash.traceroot.dev/log';
const keys = generateNoteKeys(ORIGIN, new Uint8Array(randomBytes(32)));
const adminKey = randomBytes(32).toString('base64url');
const CLIENTS = 6;
const EVENTS_PER_DOCUMENT = 20;

describe('a SIGKILLed ledger service (process test)', () => {
  let db: TestDatabase;
  const loads: CaptureLoad[] = [];
  const services: Service[] = [];

  const start = async (name: string): Promise<Service> => {
    const service = await startService({
      name,
      databaseUrl: db.url,
      signingKey: keys.signerKey,
      bootstrapApiKey: adminKey,
      env: { SEAL_INTERVAL_MS: '100' },
    });
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    db = await createTestDatabase('crash');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(loads.map((load) => load.stop()));
    await killAllServices();
    await db?.drop();
  }, 30_000);

  it('keeps every acknowledged event exactly once, in one gap-free log of consistent checkpoints', async () => {
    // 1. Sustained capture, then SIGKILL at an arbitrary moment.
    let service = await start('first');
    const apiKey = await createOrganization(service.baseUrl, adminKey, 'Crash test farm');
    let load = startCaptureLoad({
      targets: [service.baseUrl],
      apiKey,
      clients: CLIENTS,
      eventsPerDocument: EVENTS_PER_DOCUMENT,
    });
    loads.push(load);
    await load.acknowledgedMore(60);
    await sleep(Math.floor(Math.random() * 300));
    expect(await service.kill()).toBe('SIGKILL');
    await load.stop();
    const afterFirst = await logState(db.url);
    expect(afterFirst.sealed).toBeGreaterThan(0); // it had sealed while running…
    expect(afterFirst.leaves).toBeGreaterThanOrEqual(
      load.acknowledged.length * EVENTS_PER_DOCUMENT,
    );

    // 2. Restart; under load, hold a seal before its checkpoint row and a capture before its leaf
    //    rows, and SIGKILL the process right there.
    service = await start('second');
    load = startCaptureLoad({
      targets: [service.baseUrl],
      apiKey,
      clients: CLIENTS,
      eventsPerDocument: EVENTS_PER_DOCUMENT,
    });
    loads.push(load);
    await load.acknowledgedMore(30);
    // pg_stat_activity is read once per transaction: the observer is not the locker.
    const waiting = (observer: pg.Client, statement: string) => async (): Promise<boolean> => {
      const { rows } = await observer.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [`${statement}%`],
      );
      return Number(rows[0]!.n) > 0;
    };
    await withClient(db.url, (observer) =>
      withClient(db.url, async (locker) => {
        await locker.query('BEGIN');
        try {
          await locker.query('LOCK TABLE checkpoints IN EXCLUSIVE MODE');
          await waitUntil(
            waiting(observer, 'INSERT INTO checkpoints'),
            20_000,
            'a seal to block before its checkpoint row',
          );
          await locker.query('LOCK TABLE log_leaves IN EXCLUSIVE MODE');
          await waitUntil(
            // The capture's one sequencing statement (events, log_leaves, identifiers) waits.
            waiting(observer, 'WITH next AS'),
            20_000,
            'a capture to block before its leaf rows',
          );
          expect(await service.kill()).toBe('SIGKILL');
        } finally {
          await locker.query('COMMIT');
        }
      }),
    );
    await load.stop();
    // The killed process's transactions end with it: no checkpoint or leaf was added after the kill.
    const afterSecond = await logState(db.url);
    expect(afterSecond.leaves).toBeGreaterThanOrEqual(
      afterFirst.leaves + load.acknowledged.length * EVENTS_PER_DOCUMENT,
    );

    // 3. Restart: it seals what the dead ones left and keeps capturing.
    service = await start('third');
    load = startCaptureLoad({
      targets: [service.baseUrl],
      apiKey,
      clients: CLIENTS,
      eventsPerDocument: EVENTS_PER_DOCUMENT,
    });
    loads.push(load);
    await load.acknowledgedMore(20);
    await load.stop();
    await waitUntil(
      async () => {
        const state = await logState(db.url);
        return state.sealed === state.leaves;
      },
      20_000,
      'the restarted service to seal everything',
    );

    for (const each of loads) {
      expect(each.refused.map((doc) => `${doc.status} ${doc.body}`)).toEqual([]);
    }
    for (const each of services) {
      expect(each.lines.filter((line) => /seal failed|"level":"error"/.test(line))).toEqual([]);
    }
    const facts = await checkLog({
      databaseUrl: db.url,
      baseUrl: service.baseUrl,
      verifierKey: keys.verifierKey,
      origin: ORIGIN,
      acknowledged: loads.flatMap((each) => each.acknowledged),
      unknown: loads.flatMap((each) => each.unknown),
    });
    const count = (key: 'acknowledged' | 'unknown'): number =>
      loads.reduce((sum, each) => sum + each[key].length, 0);
    process.stderr.write(
      `crash: ${facts.leaves} leaves, ${facts.checkpoints.length} checkpoints; ${count('acknowledged')} documents acknowledged, ` +
        `${count('unknown')} cut off by the kills (${facts.leaves / EVENTS_PER_DOCUMENT - count('acknowledged')} of those stored)\n`,
    );
  }, 150_000);
});
