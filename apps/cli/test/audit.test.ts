import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { formatDisclosure } from '@traceroot/trace';

import { findAuditScript, runAuditScript } from '../src/commands/audit-database.js';
import { runCli } from '../src/main.js';
import {
  FakeLog,
  type FakeServer,
  KEYS,
  OTHER_KEYS,
  seeded,
  startFakeServer,
} from './audit-fake-log.js';
import { memoryIo } from './memory-io.js';

const run = async (argv: string[]) => {
  const { io, stdout, stderr } = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
};

/** 12 leaves, checkpoints at 3, 8 and 12 (two more leaves sequenced but not sealed). */
const buildLog = (): FakeLog => {
  const log = new FakeLog();
  log.append(3).seal();
  log.append(5).seal();
  log.append(4).seal();
  return log.append(2);
};

let server: FakeServer;

beforeAll(async () => {
  server = await startFakeServer(buildLog());
});

afterAll(() => server.close());

afterEach(() => {
  server.log = buildLog();
  server.maxLeaves = 1000;
  server.maxCheckpoints = 1000;
  server.override.clear();
  server.requests.length = 0;
});

const audit = (...extra: string[]) =>
  run(['audit', '--url', server.url, '--key', KEYS.verifierKey, ...extra]);

describe('traceroot --help', () => {
  it('documents audit and monitor', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('audit --url URL | --database-url URL');
    expect(stdout).toMatch(
      /--database-url URL .*\n(.*\n)*\s+also checks every stored tree node \(log_nodes\)/,
    );
    expect(stdout).toContain('monitor URL');
    expect(stdout).toMatch(
      /1 {2}the input is invalid .* an audit found a mismatch, a monitor found a\n\s+split view/,
    );
  });
});

describe('traceroot audit --url', () => {
  it('recomputes every leaf and checkpoint of a correct log: exit 0 and a summary', async () => {
    const result = await audit();
    expect(result).toMatchObject({ code: 0, stdout: 'audited 14 leaves and 3 checkpoints: OK' });
    expect(result.stderr).toContain('latest checkpoint: tree size 12');
    expect(result.stderr).toContain('2 leaves not yet covered by a checkpoint');
    expect(result.stderr).toContain('event hash IDs recomputed for 14 of 14 leaves');
    expect(result.stderr).toContain(
      'the stored tree nodes that proofs are served from were not checked (no public endpoint lists them): audit with --database-url',
    );
  });

  it('follows the pages the service gives, whatever their size', async () => {
    server.maxLeaves = 4;
    server.maxCheckpoints = 2;
    expect(await audit()).toMatchObject({
      code: 0,
      stdout: 'audited 14 leaves and 3 checkpoints: OK',
    });
    expect(server.requests.filter((r) => r.startsWith('/log/leaves'))).toEqual([
      '/log/leaves?start=0&end=1000',
      '/log/leaves?start=4&end=1004',
      '/log/leaves?start=8&end=1008',
      '/log/leaves?start=12&end=1012',
    ]);
    expect(server.requests.filter((r) => r.startsWith('/log/checkpoints'))).toEqual([
      '/log/checkpoints?start=0&limit=1000',
      '/log/checkpoints?start=12&limit=1000',
    ]);
  });

  it('names a tampered leaf: its index, eventID, stored and recomputed hashes; exit 1', async () => {
    const leaf = server.log.leaves[5]!;
    leaf.disclosures[2] = formatDisclosure(seeded(99)(16), 'bizStep', 'receiving');
    const result = await audit();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^MISMATCH at leaf 5 \\(eventID ${leaf.eventID}\\): stored leaf hash ${leaf.leafHash.replace(/[+/]/g, '\\$&')} ≠ recomputed \\S+ .*\\[LEAF_HASH_MISMATCH\\]$`,
      ),
    );
    expect(result.stderr).toContain('after 5 correct leaves and 1 correct checkpoints');
  });

  it('names a checkpoint whose signature does not verify', async () => {
    const row = server.log.checkpoints[1]!;
    // One character of the signature proper (after the 4-byte key ID) changes.
    const at = row.note.lastIndexOf(' ') + 20;
    const flipped = row.note[at] === 'A' ? 'B' : 'A';
    server.log.checkpoints[1] = {
      ...row,
      note: row.note.slice(0, at) + flipped + row.note.slice(at + 1),
    };
    const result = await audit();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^MISMATCH at checkpoint of tree size 8: SIGNATURE_INVALID: .*\[CHECKPOINT_INVALID\]$/,
    );
  });

  it('names a checkpoint signed by a key not trusted', async () => {
    const log = new FakeLog().append(3);
    log.seal(undefined, OTHER_KEYS.signerKey);
    server.log = log;
    expect((await audit()).stdout).toMatch(/^MISMATCH at checkpoint of tree size 3: UNKNOWN_KEY/);
  });

  it('names a broken chain', async () => {
    const log = new FakeLog().append(3);
    log.seal();
    log.append(2).seal((body) => ({ ...body, extensions: [] }));
    server.log = log;
    const result = await audit();
    expect(result).toMatchObject({ code: 1 });
    expect(result.stdout).toBe(
      'MISMATCH at checkpoint of tree size 5: checkpoint at size 5 names no previous checkpoint [CHAIN_MISMATCH]',
    );
  });

  it('names a signed root that the leaves do not produce', async () => {
    const log = new FakeLog().append(3);
    log.seal((body) => ({ ...body, rootHash: new Uint8Array(32) }));
    server.log = log;
    expect((await audit()).stdout).toMatch(
      /^MISMATCH at checkpoint of tree size 3: signed root AAAA.* ≠ recomputed root .* of the first 3 leaves \[ROOT_MISMATCH\]$/,
    );
  });

  it('names a missing leaf', async () => {
    server.log.leaves.splice(6, 1);
    expect((await audit()).stdout).toBe(
      'MISMATCH at leaf 6: leaf 6 is missing: the next stored leaf is 7 [LEAF_INDEX_GAP]',
    );
  });

  it('prints the whole result with --json', async () => {
    server.log.leaves[1]!.eventHashId = `ni:///sha-256;${'0'.repeat(64)}?ver=CBV2.0`;
    const result = await audit('--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      leaves: 1,
      checkpoints: 0,
      mismatch: {
        code: 'LEAF_HASH_MISMATCH',
        leafIndex: 1,
        eventId: server.log.leaves[1]!.eventID,
      },
    });
  });

  it('checks the origin when asked', async () => {
    const result = await audit('--origin', 'other.example/log');
    expect(result.stdout).toMatch(/^MISMATCH at checkpoint of tree size 3: ORIGIN_MISMATCH/);
  });

  it('exits 3 when the service cannot be read', async () => {
    server.override.set('/log/leaves', () => ({
      status: 404,
      body: '{"detail":"no route /log/leaves"}',
    }));
    expect(await audit()).toMatchObject({
      code: 3,
      stderr: expect.stringContaining(
        'GET /log/leaves?start=0&end=1000: HTTP 404: no route /log/leaves',
      ),
    });
    server.override.set('/log/leaves', () => ({ status: 200, body: '{"leaves": 3}' }));
    expect(await audit()).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('not a page of leaves'),
    });
    server.override.set('/log/leaves', () => ({ status: 200, body: '{"leaves": [], "next": 0}' }));
    expect(await audit()).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('is not after this one'),
    });
    server.override.set('/log/leaves', () => ({ status: 200, body: 'nope' }));
    expect(await audit()).toMatchObject({ code: 3, stderr: expect.stringContaining('not JSON') });
    const closed = await run(['audit', '--url', 'http://127.0.0.1:1', '--key', KEYS.verifierKey]);
    expect(closed).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('cannot reach the log at http://127.0.0.1:1'),
    });
  });

  it.each([
    [['audit', '--key', KEYS.verifierKey], 'one of --url URL'],
    [
      ['audit', '--url', 'http://x', '--database-url', 'postgresql://x', '--key', KEYS.verifierKey],
      'one of --url URL',
    ],
    [['audit', '--url', 'http://x'], 'audit needs --key VERIFIER-KEY'],
    [['audit', '--url', 'http://x', '--key', 'nope'], '--key nope is not a verifier key'],
    [
      ['audit', '--url', 'ftp://x', '--key', KEYS.verifierKey],
      '--url must be an http:// or https:// URL',
    ],
    [['audit', '--url', 'x y', '--key', KEYS.verifierKey], '--url x y is not a URL'],
    [
      ['audit', 'extra', '--url', 'http://x', '--key', KEYS.verifierKey],
      'unexpected argument "extra"',
    ],
    [
      ['audit', '--database-url', 'postgresql://x', '--json', '--key', KEYS.verifierKey],
      '--json is for --url audits',
    ],
  ])('refuses %j: exit 2', async (argv, message) => {
    expect(await run(argv)).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
  });
});

describe('traceroot audit --database-url (the service audit script, as a child process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'traceroot-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    chmodSync(path, 0o755);
    return path;
  };

  it('forwards the script output line by line and returns its exit code', async () => {
    const echo = script(
      'echo.mjs',
      `console.log('args ' + JSON.stringify(process.argv.slice(2)));
       console.log('url ' + process.env.DATABASE_URL);
       console.error('progress');
       process.exit(1);`,
    );
    const { io, stdout, stderr } = memoryIo();
    const code = await runAuditScript(
      echo,
      ['--key', KEYS.verifierKey],
      'postgresql://u:secret@h/db',
      io,
    );
    expect(code).toBe(1);
    expect(stdout()).toBe(
      `args ${JSON.stringify(['--key', KEYS.verifierKey])}\nurl postgresql://u:secret@h/db`,
    );
    expect(stderr()).toBe('progress');
  });

  it('reports a script that dies or cannot start', async () => {
    const killed = script('killed.mjs', `process.kill(process.pid, 'SIGKILL');`);
    await expect(runAuditScript(killed, [], 'postgresql://x', memoryIo().io)).rejects.toMatchObject(
      {
        kind: 'IO',
        message: 'the audit script stopped (SIGKILL)',
      },
    );
    const odd = script('odd.mjs', `process.exit(7);`);
    await expect(runAuditScript(odd, [], 'postgresql://x', memoryIo().io)).rejects.toMatchObject({
      message: 'the audit script stopped (exit code 7)',
    });
  });

  it('finds the service script beside the CLI, or says it is missing', () => {
    const found = findAuditScript();
    if (found !== null) expect(found).toMatch(/api[/\\]dist[/\\]audit[/\\]main\.js$/);
    expect(findAuditScript(pathToFileURL(join(dir, 'x.js')).href)).toBeNull();
  });
});
