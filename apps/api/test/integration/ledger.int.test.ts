import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '@traceroot/db/testing';
import {
  generateNoteKeys,
  parseSignerKey,
  verifyConsistency,
  verifyTraceBundle,
  base64ToBytes,
  openCheckpoint,
} from '@traceroot/trace';
import { nodeRfc6962, nodeSha256 } from '@traceroot/trace/node';
import pg from 'pg';

import { DatabaseModule } from '../../src/database/database.module.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { EventsModule } from '../../src/events/events.module.js';
import { EventsService } from '../../src/events/events.service.js';
import { LocalKeyEncryptionKeys } from '../../src/privacy/kek.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import type { LedgerConfig } from '../../src/ledger/ledger.config.js';
import { LedgerModule } from '../../src/ledger/ledger.module.js';
import { ProofsService } from '../../src/ledger/proofs.service.js';
import { SealerService } from '../../src/ledger/sealer.service.js';

const ORIGIN = 'int.traceroot.dev/log';
const keys = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(5));
const config: LedgerConfig = {
  origin: ORIGIN,
  signer: parseSignerKey(keys.signerKey),
  verifierKey: keys.verifierKey,
  hasher: nodeRfc6962,
  sha: nodeSha256,
  sealIntervalMs: 0,
  sealBatchSize: 7,
};

const event = (i: number): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventTime: `2026-06-01T10:00:${String(i % 60).padStart(2, '0')}.000+02:00`,
  eventTimeZoneOffset: '+02:00',
  epcList: [`urn:epc:id:sgtin:4012345.011111.${i}`],
  action: 'OBSERVE',
  bizStep: 'shipping',
  readPoint: { id: 'urn:epc:id:sgln:4012345.00001.0' },
});

const TEST_KEKS = new LocalKeyEncryptionKeys([new Uint8Array(randomBytes(32))]);

describe('ledger on PostgreSQL: sequence → seal → prove', () => {
  let db: TestDatabase;
  let events: EventsService;
  let sealer: SealerService;
  let proofs: ProofsService;
  let close: () => Promise<void>;
  let orgId: string;

  beforeAll(async () => {
    db = await createTestDatabase('ledger');
    const moduleRef = await Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot(db.url),
        LedgerModule.forRoot(config),
        PrivacyModule.forRoot(TEST_KEKS),
        EventsModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    close = () => app.close();
    events = app.get(EventsService);
    sealer = app.get(SealerService);
    proofs = app.get(ProofsService);
    const prisma = app.get(PrismaService).client;
    orgId = (await prisma.organization.create({ data: { name: 'Test farm' } })).id;
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await db?.drop();
  });

  const checkpointSizes = async (): Promise<number[]> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ tree_size: string }>(
      'SELECT tree_size FROM checkpoints ORDER BY tree_size',
    );
    await client.end();
    return rows.map((row) => Number(row.tree_size));
  };

  const capture = async (from: number, count: number) =>
    events.sequence(
      await events.prepare(
        Array.from({ length: count }, (_, i) => event(from + i)),
        undefined,
        { organizationId: orgId },
      ),
      {
        organizationId: orgId,
        captureJobId: null,
        behaviour: 'rollback',
        pointerOf: (i) => `/${i}`,
      },
    );

  it('gives consecutive leaf indexes, seals in batches, and serves bundles that verify', async () => {
    expect(await capture(0, 10)).toMatchObject({ firstLeafIndex: 0, count: 10 });
    expect(await capture(10, 5)).toMatchObject({ firstLeafIndex: 10, count: 5 });
    await sealer.sealNow();
    // Whichever call sealed them (a capture of ≥ 7 events nudges the sealer), batches hold ≤ 7.
    const sizes = await checkpointSizes();
    expect(sizes.at(-1)).toBe(15);
    sizes.forEach((size, i) => expect(size - (sizes[i - 1] ?? 0)).toBeLessThanOrEqual(7));
    const first = (await events.list(1, undefined, null)).events[0]!;
    const bundle = await events.bundle(String(first.eventID), null);
    const verdict = verifyTraceBundle(bundle, [keys.verifierKey], { origin: ORIGIN });
    expect(verdict).toMatchObject({
      ok: true,
      treeSize: 15,
      entries: [{ leafIndex: 0, eventHashIdChecked: true }],
    });
  });

  it('proves consistency between every pair of checkpoints', async () => {
    const sizes = await checkpointSizes();
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    for (const from of sizes) {
      for (const to of sizes.filter((s) => s >= from)) {
        const proof = await proofs.consistencyProof(from, to);
        const [a, b] = await Promise.all([proofs.checkpointAt(from), proofs.checkpointAt(to)]);
        expect(() =>
          verifyConsistency(
            { size1: from, size2: to, path: proof.path.map(base64ToBytes) },
            a.rootHash,
            b.rootHash,
            nodeRfc6962,
          ),
        ).not.toThrow();
      }
    }
    const latest = openCheckpoint((await proofs.latestCheckpoint()).note, [keys.verifierKey]);
    expect(latest.checkpoint.extensions[0]).toMatch(/^traceroot\.dev\/prev /);
  });

  it('refuses a duplicate eventID and stores nothing of that capture', async () => {
    const again = await events.prepare(
      [{ ...event(99), eventID: 'urn:uuid:6f5b0c3e-0a4e-4b1d-9c1a-000000000001' }],
      undefined,
      { organizationId: orgId },
    );
    await events.sequence(again, {
      organizationId: orgId,
      captureJobId: null,
      behaviour: 'rollback',
      pointerOf: () => '/0',
    });
    const conflicting = await events.prepare(
      [event(100), { ...event(98), eventID: 'urn:uuid:6f5b0c3e-0a4e-4b1d-9c1a-000000000001' }],
      undefined,
      { organizationId: orgId },
    );
    await expect(
      events.sequence(conflicting, {
        organizationId: orgId,
        captureJobId: null,
        behaviour: 'rollback',
        pointerOf: (i) => `/${i}`,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICTING_EVENT' });
    expect((await events.list(1000, undefined, null)).events).toHaveLength(16);
  });

  it('keeps the log append-only and detects a tampered event', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await expect(
        client.query('UPDATE log_leaves SET leaf_hash = leaf_hash WHERE leaf_index = 0'),
      ).rejects.toThrow(/append-only/i);
      await expect(client.query('DELETE FROM checkpoints')).rejects.toThrow(/append-only/i);
      // A superuser edits an event's stored disclosures behind the service's back.
      const { rows } = await client.query<{
        event_id: string;
        disclosures: Record<string, string>;
      }>('SELECT event_id, disclosures FROM events ORDER BY seq LIMIT 1 OFFSET 3');
      const row = rows[0]!;
      const forged = Buffer.from(
        JSON.stringify(['AAAAAAAAAAAAAAAAAAAAAA', 'bizStep', 'receiving']),
      ).toString('base64url');
      await client.query('UPDATE events SET disclosures = $2 WHERE event_id = $1', [
        row.event_id,
        { ...row.disclosures, bizStep: forged },
      ]);
      await sealer.sealNow();
      const verdict = verifyTraceBundle(await events.bundle(row.event_id, null), [
        keys.verifierKey,
      ]);
      expect(verdict).toMatchObject({ ok: false, code: 'ROOT_MISMATCH' });
    } finally {
      await client.end();
    }
  });

  it('proves inclusion in the newest checkpoint, whether this process or another one sealed it', async () => {
    await sealer.sealNow();
    const before = (await proofs.inclusionProof(0)).treeSize;
    // Sealed here: the next proof names the new checkpoint at once.
    await capture(500, 3);
    await sealer.sealNow();
    expect((await proofs.inclusionProof(0)).treeSize).toBe(before + 3);
    // Sealed by another process on the same database (a second app): a proof of a leaf that this
    // process's recent checkpoint does not cover reads the newest one instead of answering 404.
    const other = await Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot(db.url),
        LedgerModule.forRoot(config),
        PrivacyModule.forRoot(TEST_KEKS),
        EventsModule,
      ],
    }).compile();
    const otherApp = other.createNestApplication();
    await otherApp.init();
    try {
      const { firstLeafIndex } = await otherApp
        .get(EventsService)
        .sequence(
          await otherApp
            .get(EventsService)
            .prepare([event(600), event(601)], undefined, { organizationId: orgId }),
          {
            organizationId: orgId,
            captureJobId: null,
            behaviour: 'rollback',
            pointerOf: (i) => `/${i}`,
          },
        );
      await otherApp.get(SealerService).sealNow();
      const proof = await proofs.inclusionProof(firstLeafIndex + 1);
      expect(proof).toMatchObject({ leafIndex: firstLeafIndex + 1, treeSize: before + 5 });
    } finally {
      await otherApp.close();
    }
  });

  it('retries a capture that lost a race for an eventID, and reports each duplicate once', async () => {
    const [earlier] = await events.prepare(
      [{ ...event(700), eventID: 'urn:uuid:6f5b0c3e-0a4e-4b1d-9c1a-000000000700' }],
      undefined,
      { organizationId: orgId },
    );
    await events.sequence([earlier!], {
      organizationId: orgId,
      captureJobId: null,
      behaviour: 'rollback',
      pointerOf: () => '',
    });
    const racing = { ...event(701), eventID: 'urn:uuid:6f5b0c3e-0a4e-4b1d-9c1a-000000000701' };
    const document = await events.prepare(
      [event(702), earlier!.document, racing, event(703)],
      undefined,
      { organizationId: orgId },
    );
    const attempts: string[][] = [];
    const result = await events.sequence(document, {
      organizationId: orgId,
      captureJobId: null,
      behaviour: 'proceed',
      pointerOf: (i) => `/${i}`,
      beforeSequencing: async (_tx, skipped) => {
        attempts.push(skipped.map((error) => error.errors[0]!.pointer));
        // The first time, another capture stores the racing event after this one checked for
        // duplicates (its own transaction: this one has not taken the sequencer lock yet).
        if (attempts.length === 1) {
          await events.sequence(
            await events.prepare([racing], undefined, { organizationId: orgId }),
            {
              organizationId: orgId,
              captureJobId: null,
              behaviour: 'rollback',
              pointerOf: () => '',
            },
          );
        }
      },
    });
    expect(attempts).toEqual([['/1'], ['/1', '/2']]);
    expect(result.skipped.map((error) => [error.code, error.errors[0]!.pointer])).toEqual([
      ['DUPLICATE_EVENT', '/1'],
      ['DUPLICATE_EVENT', '/2'],
    ]);
    expect(result.count).toBe(2);
  });

  it('seals as soon as SEAL_BATCH_SIZE leaves wait, whichever captures brought them (no timer here)', async () => {
    await sealer.sealNow();
    const before = (await checkpointSizes()).at(-1)!;
    // Single-event captures: none alone reaches the batch size (7), together they do.
    for (let i = 0; i < 6; i += 1) await capture(800 + i, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await checkpointSizes()).at(-1)).toBe(before);
    await capture(806, 1);
    const deadline = Date.now() + 10_000;
    while ((await checkpointSizes()).at(-1)! < before + 7 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await checkpointSizes()).at(-1)).toBe(before + 7);
  });
});
