import { randomBytes } from 'node:crypto';
import { it } from '@jest/globals';
import { createTestDatabase } from '@traceroot/db/testing';
import { generateNoteKeys } from '@traceroot/trace';
import { withClient } from './support/log-check.js';
import { startCaptureLoad } from './support/load.js';
import { createOrganization, killAllServices, sleep, startService } from './support/service.js';

it('debug', async () => {
  const db = await createTestDatabase('dbg');
  const keys = generateNoteKeys('d.dev/log', new Uint8Array(randomBytes(32)));
  const adminKey = randomBytes(32).toString('base64url');
  try {
    const s = await startService({ name: 'a', databaseUrl: db.url, signingKey: keys.signerKey, bootstrapApiKey: adminKey, env: { SEAL_INTERVAL_MS: '100', LOG_LEVEL: 'debug' } });
    const apiKey = await createOrganization(s.baseUrl, adminKey, 'x');
    const load = startCaptureLoad({ targets: [s.baseUrl], apiKey, clients: 6, eventsPerDocument: 20 });
    await load.acknowledgedMore(30);
    await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      await c.query('LOCK TABLE checkpoints IN EXCLUSIVE MODE');
      for (let i = 0; i < 6; i++) {
        await sleep(500);
        const { rows } = await c.query(`SELECT pid, state, wait_event_type, wait_event, left(query, 60) q FROM pg_stat_activity WHERE datname = current_database()`);
        console.log(JSON.stringify(rows, null, 0));
      }
      await c.query('COMMIT');
    });
    await load.stop();
    console.log(load.acknowledged.length, load.refused.length, load.refused.slice(0,2), s.lines.filter(l => !l.includes('"HTTP"')).slice(-20).join('\n'));
    await s.kill();
  } finally { await killAllServices(); await db.drop(); }
}, 120000);
