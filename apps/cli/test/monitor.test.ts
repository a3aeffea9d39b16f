import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { defaultStatePath } from '../src/commands/monitor-state.js';
import { runCli } from '../src/main.js';
import {
  FakeLog,
  type FakeServer,
  KEYS,
  ORIGIN,
  OTHER_KEYS,
  startFakeServer,
} from './audit-fake-log.js';
import { memoryIo } from './memory-io.js';

const run = async (argv: string[]) => {
  const { io, stdout, stderr } = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
};

let server: FakeServer;
let dir: string;
let statePath: string;

/** A log of 5 leaves with one checkpoint. */
const startLog = () => {
  const log = new FakeLog();
  log.append(5).seal();
  return log;
};

beforeAll(async () => {
  server = await startFakeServer(startLog());
});

afterAll(() => server.close());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'traceroot-monitor-'));
  statePath = join(dir, 'state.json');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  server.log = startLog();
  server.latest = null;
  server.override.clear();
  server.requests.length = 0;
});

const monitor = (...extra: string[]) =>
  run(['monitor', server.url, '--key', KEYS.verifierKey, '--state', statePath, ...extra]);

const state = () =>
  JSON.parse(readFileSync(statePath, 'utf8')) as { treeSize: number; checkpoint: string };

describe('traceroot monitor', () => {
  it('trusts the first checkpoint on first use, says so, and keeps it', async () => {
    const result = await monitor();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^${ORIGIN}: checkpoint of tree size 5 verified \\(root .*\\): trusted on first use$`,
      ),
    );
    expect(result.stderr).toContain('first run for this log');
    expect(state()).toMatchObject({
      version: 1,
      origin: ORIGIN,
      treeSize: 5,
      checkpoint: server.log.checkpoints[0]!.note,
      url: server.url,
    });
    expect(readdirSync(dir)).toEqual(['state.json']); // no temporary file left behind
  });

  it('checks that the log only grows: consistency proof and chain, then advances', async () => {
    await monitor();
    const unchanged = await monitor('--once');
    expect(unchanged).toMatchObject({
      code: 0,
      stdout: `${ORIGIN}: checkpoint of tree size 5 verified: unchanged since the last check`,
    });
    server.log.append(3).seal();
    const grown = await monitor();
    expect(grown).toMatchObject({
      code: 0,
      stdout: `${ORIGIN}: checkpoint of tree size 8 verified: consistent with tree size 5 (consistency proof checked; it names the checkpoint verified before)`,
    });
    expect(server.requests).toContain('/log/proof/consistency?from=5&to=8');
    expect(state()).toMatchObject({ treeSize: 8, checkpoint: server.log.checkpoints[1]!.note });
  });

  it('walks the chain through the checkpoints signed in between', async () => {
    await monitor();
    server.log.append(1).seal();
    server.log.append(2).seal();
    server.log.append(4).seal();
    const result = await monitor();
    expect(result).toMatchObject({
      code: 0,
      stdout: `${ORIGIN}: checkpoint of tree size 12 verified: consistent with tree size 5 (consistency proof checked; chain of 3 checkpoints walked)`,
    });
    expect(server.requests).toContain('/log/checkpoints?start=5&limit=1000');
  });

  it('still proves consistency when the chain cannot be walked, and says why', async () => {
    await monitor();
    server.log.append(1).seal();
    server.log.append(2).seal();
    server.override.set('/log/checkpoints', () => ({ status: 404, body: '{}' }));
    const result = await monitor();
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        'consistent with tree size 5 (consistency proof checked; chain not walked)',
      ),
    });
    expect(result.stderr).toContain('the log serves no checkpoint list');
    expect(state()).toMatchObject({ treeSize: 8 });
  });

  const expectSplitView = async (reason: RegExp | string) => {
    const before = readFileSync(statePath, 'utf8');
    const result = await monitor();
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`!!! SPLIT VIEW: the log ${ORIGIN} at ${server.url}`);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toContain('The monitor state was NOT advanced');
    // Both checkpoints are printed in full.
    const previous = (JSON.parse(before) as { checkpoint: string }).checkpoint;
    expect(result.stderr).toContain(
      `--- verified before (kept in ${statePath}) ---\n${previous.trimEnd()}`,
    );
    expect(result.stderr).toContain(`--- served now ---\n`);
    expect(readFileSync(statePath, 'utf8')).toBe(before);
    return result;
  };

  it('reports a forked log (the consistency proof fails) loudly, exit 1, state kept', async () => {
    const base = new FakeLog();
    base.append(3).seal();
    server.log = base.fork('a', 1);
    server.log.append(2).seal();
    await monitor(); // trusts tree size 5 of one history
    const other = base.fork('b', 2);
    other.append(2).seal();
    other.append(2).seal();
    server.log = other; // another history after leaf 3: its own size 5, then 7
    const result = await expectSplitView(
      /the consistency proof from tree size 5 to 7 FAILS: ROOT_MISMATCH/,
    );
    expect(result.stderr).toContain(
      `--- served now ---\n${other.checkpoints.at(-1)!.note.trimEnd()}`,
    );
  });

  it('reports a smaller tree as a split view', async () => {
    server.log.append(3).seal();
    await monitor();
    server.latest = () => server.log.checkpoints[0]!.note;
    await expectSplitView(
      'the newest checkpoint signs a SMALLER tree (5 leaves) than the one verified before (8 leaves)',
    );
  });

  it('reports another root for the same tree size as a split view', async () => {
    await monitor();
    const other = new FakeLog('b', 3).append(5);
    other.seal();
    server.log = other;
    await expectSplitView('two DIFFERENT root hashes are signed for tree size 5');
  });

  it('reports two different checkpoints of one tree size as a split view', async () => {
    await monitor();
    const again = new FakeLog().append(5);
    again.seal((body) => ({ ...body, extensions: ['example.org/note another'] }));
    server.latest = () => again.checkpoints[0]!.note;
    await expectSplitView(
      'two different checkpoints are signed for tree size 5 (same root, different extension lines)',
    );
  });

  it('reports a log that will not prove the checkpoint verified before', async () => {
    await monitor();
    server.log.append(3).seal();
    server.override.set('/log/proof/consistency', () => ({
      status: 404,
      body: '{"detail":"no checkpoint was signed at tree size 5"}',
    }));
    await expectSplitView(
      /refuses a consistency proof .*HTTP 404: no checkpoint was signed at tree size 5/,
    );
    server.override.set('/log/proof/consistency', () => ({ status: 200, body: '{"path": [1]}' }));
    await expectSplitView("the log's consistency proof from 5 to 8 is not a list of hashes");
  });

  it('reports a broken chain as a split view, even with a good consistency proof', async () => {
    await monitor();
    server.log.append(3).seal((body) => ({ ...body, extensions: [] }));
    await expectSplitView(
      'the checkpoint chain is BROKEN: CHAIN_MISMATCH: checkpoint at size 8 names no previous checkpoint',
    );
  });

  it('reports a checkpoint list that contradicts the newest checkpoint', async () => {
    await monitor();
    server.log.append(1).seal();
    server.log.append(2).seal();
    const listed = server.log.checkpoints.map((c) => ({ treeSize: c.treeSize, note: c.note }));
    const served = (checkpoints: unknown) => () => ({
      status: 200,
      body: JSON.stringify({ checkpoints, next: null }),
    });
    server.override.set('/log/checkpoints', served(listed.slice(1)));
    await expectSplitView('no longer holds the checkpoint of tree size 5 verified before');
    server.override.set('/log/checkpoints', served([listed[0], { ...listed[1], note: 'garbage' }]));
    await expectSplitView(/holds a checkpoint that does not verify \(CHECKPOINT_MALFORMED/);
    const skipping = server.log.fork('a', 1); // a checkpoint of 9 chained to 6, none of 8
    skipping.checkpoints.pop();
    skipping.append(1).seal();
    const nine = { treeSize: 9, note: skipping.checkpoints.at(-1)!.note };
    server.override.set('/log/checkpoints', served([listed[0], listed[1], nine]));
    await expectSplitView(
      "the log's checkpoint list skips the newest checkpoint it serves (tree size 8)",
    );
    const other = server.log.fork('a', 1); // another checkpoint of 8, chained to 6
    other.checkpoints.pop();
    other.seal((body) => ({ ...body, extensions: [...body.extensions, 'example.org/x y'] }));
    const eight = { treeSize: 8, note: other.checkpoints.at(-1)!.note };
    server.override.set('/log/checkpoints', served([listed[0], listed[1], eight]));
    await expectSplitView('holds another checkpoint of tree size 8 than the newest one it serves');
  });

  it('refuses a newest checkpoint that does not verify, and keeps the state', async () => {
    await monitor();
    const before = readFileSync(statePath, 'utf8');
    const foreign = new FakeLog().append(6);
    foreign.seal(undefined, OTHER_KEYS.signerKey);
    server.latest = () => foreign.checkpoints[0]!.note;
    const result = await monitor();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does NOT verify against --key: UNKNOWN_KEY');
    expect(readFileSync(statePath, 'utf8')).toBe(before);
  });

  it('keeps its state per origin under ~/.traceroot by default', () => {
    // Checked on the path alone: a test must not write into the home directory.
    const hash = createHash('sha256').update(ORIGIN).digest('hex').slice(0, 16);
    expect(defaultStatePath(ORIGIN)).toBe(join(homedir(), '.traceroot', `monitor-${hash}.json`));
    expect(defaultStatePath('other.example/log')).not.toBe(defaultStatePath(ORIGIN));
  });

  it('refuses a damaged state, or one that the key does not verify', async () => {
    writeFileSync(statePath, '{"version": 1}');
    expect(await monitor()).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('is damaged'),
    });
    writeFileSync(statePath, 'not json');
    expect(await monitor()).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('is damaged'),
    });
    const foreign = new FakeLog().append(2);
    foreign.seal(undefined, OTHER_KEYS.signerKey);
    writeFileSync(
      statePath,
      JSON.stringify({ version: 1, origin: ORIGIN, checkpoint: foreign.checkpoints[0]!.note }),
    );
    expect(await monitor()).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'holds a checkpoint that does not verify against --key (UNKNOWN_KEY',
      ),
    });
    expect(await monitor('--state', join(dir, 'missing', '\0bad'))).toMatchObject({ code: 3 });
  });

  it('exits 3 when the log cannot be reached or has no checkpoint', async () => {
    expect(
      await run(['monitor', 'http://127.0.0.1:1', '--key', KEYS.verifierKey, '--state', statePath]),
    ).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('cannot reach the log'),
    });
    server.log = new FakeLog();
    expect(await monitor()).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('the log has no checkpoint yet'),
    });
  });

  it('keeps watching with --interval, retries an unreachable log, and stops on a split view', async () => {
    let calls = 0;
    const forked = new FakeLog('b', 4).append(5);
    forked.seal();
    server.override.set('/log/checkpoint', () => {
      calls += 1;
      if (calls === 2) return { status: 503, body: '{"detail":"restarting"}' };
      const note = calls <= 3 ? server.log.checkpoints[0]!.note : forked.checkpoints[0]!.note;
      return { status: 200, body: note, type: 'text/plain' };
    });
    const result = await monitor('--interval', '0.01');
    expect(result.code).toBe(1);
    expect(calls).toBe(4);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringContaining('trusted on first use'),
      expect.stringContaining('unchanged since the last check'),
    ]);
    expect(result.stderr).toContain('HTTP 503: restarting (next try in 0.01 s)');
    expect(result.stderr).toContain('two DIFFERENT root hashes are signed for tree size 5');
  });

  it.each([
    [['monitor', '--key', KEYS.verifierKey], 'missing argument URL'],
    [['monitor', 'http://x'], 'monitor needs --key VERIFIER-KEY'],
    [
      ['monitor', 'http://x', '--key', KEYS.verifierKey, '--once', '--interval', '5'],
      '--once and --interval exclude each other',
    ],
    [
      ['monitor', 'http://x', '--key', KEYS.verifierKey, '--interval', '0'],
      '--interval must be a number of seconds > 0',
    ],
    [
      ['monitor', 'http://x', '--key', KEYS.verifierKey, '--interval', 'soon'],
      '--interval must be a number',
    ],
    [['monitor', 'file:///x', '--key', KEYS.verifierKey], 'URL must be an http:// or https:// URL'],
  ])('refuses %j: exit 2', async (argv, message) => {
    expect(await run(argv)).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
  });
});
