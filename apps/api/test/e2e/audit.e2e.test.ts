// `traceroot audit` against the full service on real PostgreSQL (issue 3 §5, and §7 "Tamper"):
// events are captured and sealed, the audit passes over HTTP (GET /log/leaves, /log/checkpoints)
// and on the database (the service's audit script), then a stored event is changed with SQL as
// a superuser would (the append-only triggers guard only log_* and checkpoints) and both audits
// name that leaf and eventID, and the event's bundle fails verification with a coded reason.
// Then a stored tree node (log_nodes) is changed, removed or added behind its trigger: only the
// database audit can see the nodes, and it names the node by level and index.
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatDisclosure, type TraceBundle, verifyTraceBundle } from '@traceroot/trace';

// The CLI runs in-process, from its sources: no dependency on a fresh build of apps/cli.
import { runCli } from '../../../cli/src/main.js';
import { capturingIo, type CliOutput } from '../support/cli-io.js';
import { auditDatabase } from '../../src/audit/audit-database.js';
import { runAuditScript } from '../../src/audit/run-audit.js';
import { LedgerRepository } from '../../src/ledger/ledger.repository.js';
import {
  call,
  epcisDocument,
  type LedgerApp,
  objectEvent,
  startLedgerApp,
} from '../support/ledger-app.js';

type Output = CliOutput;

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { example: 'https://ns.example.com/epcis/' },
];

describe('traceroot audit on the real service and database', () => {
  let ledger: LedgerApp;
  let serial = 100;

  /** `traceroot audit --url` (in-process). */
  const auditUrl = async (): Promise<Output> => {
    const { io, output } = capturingIo();
    return output(
      await runCli(['audit', '--url', ledger.baseUrl, '--key', ledger.verifierKey], io),
    );
  };
  /** `traceroot audit --database-url` (which spawns apps/api/dist/audit/main.js). */
  const auditDatabaseUrl = async (): Promise<Output> => {
    const { io, output } = capturingIo();
    return output(
      await runCli(['audit', '--database-url', ledger.db.url, '--key', ledger.verifierKey], io),
    );
  };
  /** The service's audit script, in-process (what dist/audit/main.js runs). */
  const auditScript = async (): Promise<Output> => {
    const { io, output } = capturingIo();
    return output(
      await runAuditScript(['--key', ledger.verifierKey], () => ledger.db.url, {
        ...io,
        now: () => 0,
      }),
    );
  };

  const capture = async (count: number): Promise<void> => {
    const events = Array.from({ length: count }, () =>
      objectEvent(serial++, { 'example:batch': `B${serial}` }),
    );
    const response = await call(ledger.baseUrl, '/capture', {
      key: ledger.apiKey,
      body: epcisDocument(events, { '@context': CONTEXT }),
    });
    expect(response.status).toBe(202);
  };

  /** The stored event at `leafIndex`. */
  const storedAt = async (leafIndex: number) =>
    (
      await ledger.sql<{
        event_id: string;
        disclosures: Record<string, string>;
        document: Record<string, unknown>;
      }>(
        'SELECT e.event_id, e.disclosures, e.document FROM events e JOIN log_leaves l ON l.event_seq = e.seq WHERE l.leaf_index = $1',
        [leafIndex],
      )
    )[0]!;

  beforeAll(async () => {
    ledger = await startLedgerApp();
    // Checkpoints at 2, 5 and 9 leaves; one more event sequenced but not sealed.
    for (const count of [2, 3, 4]) {
      await capture(count);
      await ledger.seal();
    }
    const single = await call(ledger.baseUrl, '/events', {
      key: ledger.apiKey,
      body: objectEvent(serial++),
    });
    expect(single.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('serves the leaves with their disclosures, and the signed checkpoints, in pages', async () => {
    const page = (await (await call(ledger.baseUrl, '/log/leaves?start=3&end=5')).json()) as {
      leaves: {
        leafIndex: number;
        leafHash: string;
        eventID: string;
        eventHashId: string;
        disclosures: string[];
        hiddenDigests: string[];
      }[];
      next: number | null;
    };
    expect(page.next).toBe(5);
    expect(page.leaves.map((leaf) => leaf.leafIndex)).toEqual([3, 4]);
    expect(page.leaves[0]).toMatchObject({
      leafHash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      eventHashId: expect.stringMatching(/^ni:\/\/\/sha-256;/),
      hiddenDigests: [],
    });
    expect(page.leaves[0]!.disclosures.length).toBeGreaterThan(5);
    expect(await (await call(ledger.baseUrl, '/log/leaves?start=8')).json()).toMatchObject({
      next: null,
      leaves: [{ leafIndex: 8 }, { leafIndex: 9 }],
    });

    const checkpoints = (await (await call(ledger.baseUrl, '/log/checkpoints?limit=2')).json()) as {
      checkpoints: { treeSize: number; note: string }[];
      next: number | null;
    };
    expect(checkpoints.checkpoints.map((c) => c.treeSize)).toEqual([2, 5]);
    expect(checkpoints.next).toBe(9);
    expect(checkpoints.checkpoints[1]!.note).toBe(
      await (await call(ledger.baseUrl, '/log/checkpoints/5')).text(),
    );

    for (const path of [
      '/log/leaves?start=0&end=1001',
      '/log/leaves?start=5&end=4',
      '/log/leaves?start=-1',
      '/log/checkpoints?limit=0',
      '/log/checkpoints?limit=1001',
    ]) {
      const response = await call(ledger.baseUrl, path);
      expect([path, response.status]).toEqual([path, 400]);
    }
  });

  it('passes an intact log: over HTTP, on the database (with its 7 tree nodes), and through the CLI', async () => {
    // Sealed at 9 leaves: the nodes of leaves [0, 2), [2, 4), [4, 6), [6, 8), [0, 4), [4, 8), [0, 8).
    const url = await auditUrl();
    expect(url).toMatchObject({ code: 0, stdout: 'audited 10 leaves and 3 checkpoints: OK' });
    expect(url.stderr).toContain('audit with --database-url for that');
    const expected = 'audited 10 leaves, 3 checkpoints and 7 tree nodes: OK';
    expect(await auditScript()).toMatchObject({ code: 0, stdout: expected });
    expect(await auditDatabaseUrl()).toMatchObject({ code: 0, stdout: expected });
    // Pages of 2 rows: every level of log_nodes is read in several pages.
    const paged = await auditDatabase(
      ledger.app.get(LedgerRepository),
      { trustedKeys: [ledger.verifierKey] },
      2,
    );
    expect(paged).toMatchObject({ ok: true, leaves: 10, checkpoints: 3, nodes: 7 });
  });

  it('names an event changed in the database: its leaf and eventID; its bundle fails to verify', async () => {
    const original = await storedAt(3);
    const forged = formatDisclosure(
      randomBytes(16),
      'bizStep',
      'https://ref.gs1.org/cbv/BizStep-receiving',
    );
    await ledger.sql(
      `UPDATE events SET disclosures = jsonb_set(disclosures, '{bizStep}', to_jsonb($1::text)),
         document = jsonb_set(document, '{bizStep}', '"receiving"'), biz_step = 'https://ref.gs1.org/cbv/BizStep-receiving'
       WHERE event_id = $2`,
      [forged, original.event_id],
    );
    const mismatch = new RegExp(
      `^MISMATCH at leaf 3 \\(eventID ${original.event_id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): stored leaf hash \\S+ ≠ recomputed \\S+ .*\\[LEAF_HASH_MISMATCH\\]$`,
    );
    for (const result of [await auditUrl(), await auditScript(), await auditDatabaseUrl()]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(mismatch);
      expect(result.stderr).toContain('after 3 correct leaves and 1 correct checkpoints');
    }

    const bundle = (await (
      await call(ledger.baseUrl, `/events/${encodeURIComponent(original.event_id)}/bundle`)
    ).json()) as TraceBundle;
    expect(
      verifyTraceBundle(bundle, [ledger.verifierKey], { origin: ledger.origin }),
    ).toMatchObject({
      ok: false,
      code: 'ROOT_MISMATCH',
      entryIndex: 0,
    });

    // Put it back: the audit passes again.
    await ledger.sql('UPDATE events SET disclosures = $1, document = $2 WHERE event_id = $3', [
      original.disclosures,
      original.document,
      original.event_id,
    ]);
    expect(await auditUrl()).toMatchObject({ code: 0 });
  });

  it('names a stored document that differs from the committed event (database audit)', async () => {
    const original = await storedAt(7);
    await ledger.sql(
      `UPDATE events SET document = jsonb_set(document, '{action}', '"DELETE"') WHERE event_id = $1`,
      [original.event_id],
    );
    expect(await auditScript()).toMatchObject({
      code: 1,
      stdout: `MISMATCH at leaf 7 (eventID ${original.event_id}): the stored document's "action" differs from the committed value [DOCUMENT_MISMATCH]`,
    });
    // Readers are not misled meanwhile: GET /events/{id} and GET /events serve the committed
    // fields (from the disclosures the leaf commits to), not the edited document column.
    const path = `/events/${encodeURIComponent(original.event_id)}`;
    const served = (await (await call(ledger.baseUrl, path)).json()) as Record<string, unknown>;
    expect(served.action).toBe((original.document as { action?: unknown }).action);
    const list = (await (await call(ledger.baseUrl, '/events?perPage=100')).json()) as {
      epcisBody: { queryResults: { resultsBody: { eventList: Record<string, unknown>[] } } };
    };
    const listed = list.epcisBody.queryResults.resultsBody.eventList.find(
      (event) => event.eventID === original.event_id,
    );
    expect(listed?.action).toBe((original.document as { action?: unknown }).action);
    await ledger.sql('UPDATE events SET document = $1 WHERE event_id = $2', [
      original.document,
      original.event_id,
    ]);
    expect(await auditScript()).toMatchObject({ code: 0 });
  });

  it('names an event whose row no longer matches its leaf (eventID changed)', async () => {
    const original = await storedAt(1);
    await ledger.sql('UPDATE events SET event_id = $1 WHERE event_id = $2', [
      'urn:uuid:forged',
      original.event_id,
    ]);
    expect(await auditUrl()).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(
        /^MISMATCH at leaf 1 \(eventID urn:uuid:forged\): the stored eventID is not the committed eventID .*\[EVENT_ID_MISMATCH\]$/,
      ),
    });
    await ledger.sql('UPDATE events SET event_id = $1 WHERE event_id = $2', [
      original.event_id,
      'urn:uuid:forged',
    ]);
  });
  describe('a tampered tree node (log_nodes), which proofs are served from', () => {
    /** Runs `statement` on log_nodes with its append-only trigger off, as a superuser could. */
    const behindTheTrigger = async (statement: string, values: unknown[] = []) => {
      await ledger.sql('ALTER TABLE log_nodes DISABLE TRIGGER log_nodes_append_only');
      try {
        await ledger.sql(statement, values);
      } finally {
        await ledger.sql('ALTER TABLE log_nodes ENABLE TRIGGER log_nodes_append_only');
      }
    };
    const nodeAt = async (level: number, index: number) =>
      (
        await ledger.sql<{ hash: Uint8Array }>(
          'SELECT hash FROM log_nodes WHERE level = $1 AND "index" = $2',
          [level, index],
        )
      )[0]?.hash;
    const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

    it('names a changed node by level and index (NODE_MISMATCH), exit 1; the HTTP audit cannot see it', async () => {
      const original = (await nodeAt(2, 1))!;
      const forged = Buffer.from(original);
      forged[0]! ^= 1;
      await behindTheTrigger('UPDATE log_nodes SET hash = $1 WHERE level = 2 AND "index" = 1', [
        forged,
      ]);
      try {
        const mismatch = `MISMATCH at node level 2 index 1 (leaves [4, 8)): stored hash ${base64(forged)} ≠ recomputed ${base64(original)} (the RFC 6962 root of leaves [4, 8), recomputed from the leaves) [NODE_MISMATCH]`;
        for (const result of [await auditScript(), await auditDatabaseUrl()]) {
          expect(result).toMatchObject({ code: 1, stdout: mismatch });
          expect(result.stderr).toContain('stopped at the first mismatch');
        }
        // The service now serves a wrong proof for the events under that node…
        const { event_id: eventId } = await storedAt(3);
        const bundle = (await (
          await call(ledger.baseUrl, `/events/${encodeURIComponent(eventId)}/bundle`)
        ).json()) as TraceBundle;
        expect(
          verifyTraceBundle(bundle, [ledger.verifierKey], { origin: ledger.origin }),
        ).toMatchObject({
          ok: false,
        });
        // …which only the database audit finds: no public endpoint lists the nodes.
        expect(await auditUrl()).toMatchObject({ code: 0 });
      } finally {
        await behindTheTrigger('UPDATE log_nodes SET hash = $1 WHERE level = 2 AND "index" = 1', [
          Buffer.from(original),
        ]);
      }
      expect(await auditScript()).toMatchObject({ code: 0 });
    });

    it('names a node that is missing under a checkpoint (NODE_MISSING)', async () => {
      const original = (await nodeAt(1, 3))!;
      await behindTheTrigger('DELETE FROM log_nodes WHERE level = 1 AND "index" = 3');
      try {
        expect(await auditScript()).toMatchObject({
          code: 1,
          stdout: expect.stringMatching(
            /^MISMATCH at node level 1 index 3 \(leaves \[6, 8\)\): it is not stored, but the checkpoint of tree size 9 covers leaves \[6, 8\).* \[NODE_MISSING\]$/,
          ),
        });
      } finally {
        await ledger.sql('INSERT INTO log_nodes (level, "index", hash) VALUES (1, 3, $1)', [
          Buffer.from(original),
        ]);
      }
      expect(await auditScript()).toMatchObject({ code: 0 });
    });

    it('names a node stored beyond the latest checkpoint (NODE_UNEXPECTED), which a later seal would collide with', async () => {
      await ledger.sql('INSERT INTO log_nodes (level, "index", hash) VALUES (2, 2, $1)', [
        Buffer.alloc(32, 7),
      ]);
      try {
        expect(await auditScript()).toMatchObject({
          code: 1,
          stdout: expect.stringMatching(
            /^MISMATCH at node level 2 index 2 \(leaves \[8, 12\)\): it is stored, but leaves \[8, 12\) are no complete subtree of the 9 leaves .* \[NODE_UNEXPECTED\]$/,
          ),
        });
      } finally {
        await behindTheTrigger('DELETE FROM log_nodes WHERE level = 2 AND "index" = 2');
      }
      expect(await auditScript()).toMatchObject({ code: 0 });
    });
  });
});
