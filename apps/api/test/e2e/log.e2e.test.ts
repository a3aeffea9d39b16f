// The public log endpoints (issue 3 §4) of the full service on real PostgreSQL, checked the way an
// outside verifier checks them: signed checkpoints opened with the published key, inclusion and
// consistency proofs verified by libs/trace, bundles verified by verifyTraceBundle and by the
// `traceroot verify` CLI. Client mistakes are 4xx problem documents, never 5xx.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  base64ToBytes,
  type Checkpoint,
  computeEventHashId,
  openCheckpoint,
  type TraceBundle,
  verifyCheckpointChain,
  verifyConsistency,
  verifyInclusion,
  verifyTraceBundle,
} from '@traceroot/trace';

import {
  call,
  epcisDocument,
  type LedgerApp,
  objectEvent,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(REPO_ROOT, 'apps/cli/bin/traceroot.js');
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];

/** Runs `traceroot verify FILE --key KEY`; resolves with its exit code and output. */
const cliVerify = (file: string, key: string) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'verify', file, '--key', key],
      { cwd: REPO_ROOT },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });

type InclusionView = { leafIndex: number; treeSize: number; leafHash: string; path: string[] };

describe('the public log: checkpoints, proofs and bundles', () => {
  let ledger: LedgerApp;
  let verifierKey: string;
  /** Every captured event's eventID, in log order (leaf index = position). */
  const eventIds: string[] = [];
  /** The tree sizes of the checkpoints signed, in order. */
  const sizes: number[] = [];
  let serial = 9000;
  let scratch: string;

  const get = (path: string) => call(ledger.baseUrl, path);
  const json = async <T>(path: string): Promise<T> => {
    const response = await get(path);
    expect([path, response.status]).toEqual([path, 200]);
    return (await response.json()) as T;
  };
  const checkpointAt = async (size: number): Promise<Checkpoint> => {
    const response = await get(`/log/checkpoints/${size}`);
    expect(response.status).toBe(200);
    return openCheckpoint(await response.text(), [verifierKey], { origin: ledger.origin })
      .checkpoint;
  };
  const captureEvents = async (count: number): Promise<void> => {
    const events = Array.from({ length: count }, () => objectEvent(serial++));
    const response = await call(ledger.baseUrl, '/capture', {
      key: ledger.apiKey,
      body: epcisDocument(events),
    });
    expect(response.status).toBe(202);
    eventIds.push(...events.map((event) => computeEventHashId(event, { context: CONTEXT })));
  };
  /** Expects a 4xx problem document with `code`. */
  const expectProblem = async (path: string, status: number, code: string): Promise<void> => {
    const response = await get(path);
    expect([path, response.status]).toEqual([path, status]);
    expect(await problemOf(response)).toMatchObject({ code });
  };

  beforeAll(async () => {
    ledger = await startLedgerApp();
    scratch = mkdtempSync(join(tmpdir(), 'traceroot-log-e2e-'));
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('before any seal: no checkpoint, and proofs of events not yet sealed are 404', async () => {
    await expectProblem('/log/checkpoint', 404, 'NOT_FOUND');
    await captureEvents(1);
    await expectProblem(
      `/log/proof/inclusion?eventID=${encodeURIComponent(eventIds[0]!)}`,
      404,
      'NOT_FOUND',
    );
    await expectProblem(`/events/${encodeURIComponent(eventIds[0]!)}/bundle`, 404, 'NOT_FOUND');
    await expectProblem('/log/proof/inclusion?leafIndex=0', 404, 'NOT_FOUND');
  });

  it('publishes the verifier key as text/plain, the one the test configured', async () => {
    const response = await get('/log/key');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    verifierKey = (await response.text()).trim();
    expect(verifierKey).toBe(ledger.verifierKey);
    expect(verifierKey.startsWith(`${ledger.origin}+`)).toBe(true);
  });

  it('signs a checkpoint per seal; the latest is a text/plain signed note that verifies with the key', async () => {
    // Seal after batches of different sizes: checkpoints at 1, 2, 5, 8, 13, 21 leaves.
    for (const batch of [0, 1, 3, 3, 5, 8]) {
      if (batch > 0) await captureEvents(batch);
      const sealed = await ledger.seal();
      expect(sealed).toEqual([{ treeSize: eventIds.length, leaves: batch || 1 }]);
      sizes.push(eventIds.length);
    }
    expect(sizes).toEqual([1, 2, 5, 8, 13, 21]);
    expect(await ledger.seal()).toEqual([]); // nothing pending: no empty checkpoint

    const response = await get('/log/checkpoint');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const note = await response.text();
    const { checkpoint } = openCheckpoint(note, [verifierKey], { origin: ledger.origin });
    expect(checkpoint.treeSize).toBe(21);
    expect(() => openCheckpoint(note.replace('\n21\n', '\n22\n'), [verifierKey])).toThrow();
  });

  it('serves every checkpoint by tree size, each naming the one before it', async () => {
    let previous: Checkpoint | undefined;
    for (const size of sizes) {
      const checkpoint = await checkpointAt(size);
      expect(checkpoint.treeSize).toBe(size);
      if (previous) expect(() => verifyCheckpointChain(previous!, checkpoint)).not.toThrow();
      previous = checkpoint;
    }
    expect(await (await get('/log/checkpoint')).text()).toBe(
      await (await get('/log/checkpoints/21')).text(),
    );
  });

  it('proves every event included in the latest checkpoint, by eventID and by leaf index', async () => {
    const latest = await checkpointAt(21);
    const stored = await ledger.sql<{ leaf_index: string; leaf_hash: Buffer }>(
      'SELECT leaf_index, leaf_hash FROM log_leaves ORDER BY leaf_index',
    );
    for (const [leafIndex, eventId] of eventIds.entries()) {
      const byId = await json<InclusionView>(
        `/log/proof/inclusion?eventID=${encodeURIComponent(eventId)}`,
      );
      expect(byId).toMatchObject({ leafIndex, treeSize: 21 });
      expect(Buffer.from(base64ToBytes(byId.leafHash))).toEqual(stored[leafIndex]!.leaf_hash);
      const proof = { leafIndex, treeSize: 21, path: byId.path.map(base64ToBytes) };
      expect(() =>
        verifyInclusion(base64ToBytes(byId.leafHash), proof, latest.rootHash),
      ).not.toThrow();
      // The proof is specific: at any other position it fails.
      expect(() =>
        verifyInclusion(
          base64ToBytes(byId.leafHash),
          { ...proof, leafIndex: (leafIndex + 1) % 21 },
          latest.rootHash,
        ),
      ).toThrow();
      expect(
        await json<InclusionView>(`/log/proof/inclusion?leafIndex=${leafIndex}&treeSize=21`),
      ).toEqual(byId);
    }
  });

  it('proves inclusion in every earlier checkpoint that covers the leaf', async () => {
    for (const size of sizes) {
      const { rootHash } = await checkpointAt(size);
      for (let leafIndex = 0; leafIndex < size; leafIndex++) {
        const byIndex = await json<InclusionView>(
          `/log/proof/inclusion?leafIndex=${leafIndex}&treeSize=${size}`,
        );
        const byId = await json<InclusionView>(
          `/log/proof/inclusion?eventID=${encodeURIComponent(eventIds[leafIndex]!)}&treeSize=${size}`,
        );
        expect(byId).toEqual(byIndex);
        expect(byIndex).toMatchObject({ leafIndex, treeSize: size });
        const proof = { leafIndex, treeSize: size, path: byIndex.path.map(base64ToBytes) };
        expect(() =>
          verifyInclusion(base64ToBytes(byIndex.leafHash), proof, rootHash),
        ).not.toThrow();
      }
    }
  });

  it('proves consistency between every pair of checkpoints', async () => {
    const roots = new Map<number, Uint8Array>();
    for (const size of sizes) roots.set(size, (await checkpointAt(size)).rootHash);
    for (const from of sizes) {
      for (const to of sizes.filter((size) => size >= from)) {
        const { path } = await json<{ path: string[] }>(
          `/log/proof/consistency?from=${from}&to=${to}`,
        );
        const proof = { size1: from, size2: to, path: path.map(base64ToBytes) };
        expect(() => verifyConsistency(proof, roots.get(from)!, roots.get(to)!)).not.toThrow();
        if (from < to) {
          expect(() => verifyConsistency(proof, roots.get(to)!, roots.get(to)!)).toThrow();
        }
      }
    }
  });

  it('serves bundles that verifyTraceBundle and `traceroot verify` accept, and a tampered one they refuse', async () => {
    for (const leafIndex of [0, 7, 20]) {
      const bundle = await json<TraceBundle>(
        `/events/${encodeURIComponent(eventIds[leafIndex]!)}/bundle`,
      );
      const verdict = verifyTraceBundle(bundle, [verifierKey], { origin: ledger.origin });
      expect(verdict).toMatchObject({
        ok: true,
        treeSize: 21,
        entries: [{ leafIndex, eventHashId: eventIds[leafIndex], eventHashIdChecked: true }],
      });
      const file = join(scratch, `bundle-${leafIndex}.json`);
      writeFileSync(file, JSON.stringify(bundle));
      const cli = await cliVerify(file, verifierKey);
      expect(cli).toEqual({ code: 0, output: expect.stringContaining('VERIFIED') });
    }
    const bundle = await json<TraceBundle>(`/events/${encodeURIComponent(eventIds[3]!)}/bundle`);
    const tampered = {
      ...bundle,
      entries: bundle.entries.map((entry) => ({ ...entry, leafIndex: entry.leafIndex + 1 })),
    };
    expect(verifyTraceBundle(tampered, [verifierKey])).toMatchObject({ ok: false });
    const file = join(scratch, 'tampered.json');
    writeFileSync(file, JSON.stringify(tampered));
    const cli = await cliVerify(file, verifierKey);
    expect(cli.code).not.toBe(0);
    expect(cli.output).toContain('NOT VERIFIED');
  });

  it('answers proofs of a leaf sequenced but not yet sealed with 404, then serves them after the seal', async () => {
    await captureEvents(1);
    const eventId = eventIds.at(-1)!;
    await expectProblem(
      `/log/proof/inclusion?eventID=${encodeURIComponent(eventId)}`,
      404,
      'NOT_FOUND',
    );
    await expectProblem('/log/proof/inclusion?leafIndex=21', 404, 'NOT_FOUND');
    await expectProblem(`/events/${encodeURIComponent(eventId)}/bundle`, 404, 'NOT_FOUND');
    await expectProblem('/log/checkpoints/22', 404, 'NOT_FOUND');
    expect(await ledger.seal()).toEqual([{ treeSize: 22, leaves: 1 }]);
    const { rootHash } = await checkpointAt(22);
    const proof = await json<InclusionView>(
      `/log/proof/inclusion?eventID=${encodeURIComponent(eventId)}`,
    );
    expect(() =>
      verifyInclusion(
        base64ToBytes(proof.leafHash),
        { leafIndex: 21, treeSize: 22, path: proof.path.map(base64ToBytes) },
        rootHash,
      ),
    ).not.toThrow();
    sizes.push(22);
  });

  it.each([
    [
      'an unknown eventID',
      `/log/proof/inclusion?eventID=${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}`,
      404,
      'NOT_FOUND',
    ],
    [
      'the bundle of an unknown eventID',
      `/events/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}/bundle`,
      404,
      'NOT_FOUND',
    ],
    ['a leaf past the latest checkpoint', '/log/proof/inclusion?leafIndex=1000', 404, 'NOT_FOUND'],
    [
      'a leaf outside the given checkpoint',
      '/log/proof/inclusion?leafIndex=5&treeSize=5',
      404,
      'NOT_FOUND',
    ],
    [
      'a tree size that no checkpoint has',
      '/log/proof/inclusion?leafIndex=0&treeSize=3',
      404,
      'NOT_FOUND',
    ],
    ['neither eventID nor leafIndex', '/log/proof/inclusion', 400, 'QUERY_PARAMETER_INVALID'],
    [
      'a leafIndex that is not a count',
      '/log/proof/inclusion?leafIndex=one',
      400,
      'QUERY_PARAMETER_INVALID',
    ],
    ['a negative leafIndex', '/log/proof/inclusion?leafIndex=-1', 400, 'QUERY_PARAMETER_INVALID'],
    [
      'a huge leafIndex',
      `/log/proof/inclusion?leafIndex=${'9'.repeat(30)}`,
      400,
      'QUERY_PARAMETER_INVALID',
    ],
    ['treeSize 0', '/log/proof/inclusion?leafIndex=0&treeSize=0', 400, 'QUERY_PARAMETER_INVALID'],
    [
      'a checkpoint size that is not a count',
      '/log/checkpoints/latest',
      400,
      'QUERY_PARAMETER_INVALID',
    ],
    ['checkpoint 0', '/log/checkpoints/0', 400, 'QUERY_PARAMETER_INVALID'],
    ['a checkpoint size no seal produced', '/log/checkpoints/3', 404, 'NOT_FOUND'],
    ['a checkpoint size past the log', `/log/checkpoints/${2 ** 40}`, 404, 'NOT_FOUND'],
    ['consistency without parameters', '/log/proof/consistency', 400, 'QUERY_PARAMETER_INVALID'],
    ['consistency from 0', '/log/proof/consistency?from=0&to=5', 400, 'QUERY_PARAMETER_INVALID'],
    [
      'consistency backwards',
      '/log/proof/consistency?from=13&to=5',
      400,
      'QUERY_PARAMETER_INVALID',
    ],
    [
      'consistency to a size without checkpoint',
      '/log/proof/consistency?from=5&to=6',
      404,
      'NOT_FOUND',
    ],
    [
      'consistency from a size without checkpoint',
      '/log/proof/consistency?from=4&to=13',
      404,
      'NOT_FOUND',
    ],
    ['consistency past the log', '/log/proof/consistency?from=5&to=1000', 404, 'NOT_FOUND'],
    [
      'consistency with a fraction',
      '/log/proof/consistency?from=1.5&to=5',
      400,
      'QUERY_PARAMETER_INVALID',
    ],
  ])('answers %s with a %i problem document', async (_, path, status, code) => {
    await expectProblem(path, status, code);
  });

  it('needs no API key for any log read, and refuses a bad key on them', async () => {
    for (const path of [
      '/log/checkpoint',
      '/log/key',
      '/log/checkpoints/5',
      '/log/proof/inclusion?leafIndex=0',
      '/log/proof/consistency?from=1&to=5',
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 200]);
      expect([path, (await call(ledger.baseUrl, path, { key: 'trk_not-a-key' })).status]).toEqual([
        path,
        401,
      ]);
    }
  });
});
