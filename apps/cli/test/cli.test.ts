import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from '@jest/globals';
import { parseVerifierKey, verifierKeyOf } from '@traceroot/trace';

import { runCli } from '../src/main.js';
import { buildFixture, ORIGIN } from './bundle-fixture.js';
import { memoryIo } from './memory-io.js';

const VECTORS = new URL('../../../libs/trace/test/vectors/event-hash/', import.meta.url);
const vector = (name: string) => readFileSync(new URL(name, VECTORS), 'utf8');

const run = async (argv: string[], files: Record<string, string> = {}) => {
  const { io, stdout, stderr } = memoryIo(files);
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
};

describe('traceroot --help', () => {
  it('lists every command and the exit codes', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of [
      'event-hash FILE|-',
      'dl URI',
      'epc URN-or-URI',
      'keygen NAME',
      'verify BUNDLE.json|-',
    ]) {
      expect(stdout).toContain(command);
    }
    expect(stdout).toMatch(
      /Exit codes:[\s\S]*0 {2}success[\s\S]*1 {2}the input is invalid[\s\S]*2 {2}usage error[\s\S]*3 {2}a file/,
    );
  });

  it('prints help with exit 2 when called without a command, and per command', async () => {
    expect((await run([])).code).toBe(2);
    expect(await run(['verify', '--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage:'),
    });
  });

  it('rejects an unknown command or option with exit 2 and a hint', async () => {
    expect(await run(['frobnicate'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(await run(['dl', '--nope', 'x'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('see traceroot --help'),
    });
    expect(await run(['dl'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('missing argument URI'),
    });
    expect(await run(['dl', 'a', 'b'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unexpected argument "b"'),
    });
  });

  it('prints its version', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0' });
  });
});

describe('traceroot event-hash', () => {
  it.each([
    'epcisDocWithVariousEventTypes',
    'epcisDocWithSensorDataObjectEvent',
    'ReferenceEventHashAlgorithm',
  ])('prints the published hashes of %s, in order', async (name) => {
    const { code, stdout } = await run(['event-hash', 'doc.jsonld'], {
      'doc.jsonld': vector(`${name}.jsonld`),
    });
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual(
      vector(`${name}.hashes`)
        .trim()
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    );
  });

  it('reads standard input with -, and prints pre-hash strings on request', async () => {
    const { code, stdout } = await run(['event-hash', '-', '--prehash'], {
      '-': vector('epcisDocWithSingleEvent.jsonld'),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0\neventType=ObjectEvent/);
  });

  it('says which file it cannot read (3), what is not JSON (3) and what is not EPCIS (1)', async () => {
    expect(await run(['event-hash', 'missing.json'])).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('cannot read missing.json'),
    });
    expect(await run(['event-hash', 'x'], { x: '{oops' })).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('x is not JSON'),
    });
    expect(await run(['event-hash', 'x'], { x: '{"hello": 1}' })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('INVALID_EVENT'),
    });
  });
});

describe('traceroot dl and epc', () => {
  it('prints the parts of a valid Digital Link as JSON', async () => {
    const { code, stdout } = await run([
      'dl',
      'https://id.gs1.org/01/9520123456788/10/ABC%2F1?17=261231',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      primaryKey: { ai: '01', value: '09520123456788' },
      qualifiers: [{ ai: '10', value: 'ABC/1' }],
    });
  });

  it('explains an invalid Digital Link with exit 1', async () => {
    const { code, stderr } = await run(['dl', 'https://id.gs1.org/01/09520123456789']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/INVALID_IDENTIFIER: .*check digit/i);
  });

  it('converts EPC URNs to Digital Link and back', async () => {
    const dl = await run(['epc', 'urn:epc:id:sgtin:9520123.045678.1001']);
    expect(dl).toMatchObject({ code: 0, stdout: 'https://id.gs1.org/01/09520123456788/21/1001' });
    const urn = await run(['epc', dl.stdout, '--gcp-length', '7']);
    expect(urn).toMatchObject({ code: 0, stdout: 'urn:epc:id:sgtin:9520123.045678.1001' });
  });

  it('asks for the company prefix length when it needs it', async () => {
    const dl = 'https://id.gs1.org/01/09520123456788/21/1001';
    expect(await run(['epc', dl])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--gcp-length'),
    });
    expect(await run(['epc', dl, '--gcp-length', '13'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('6 to 12'),
    });
  });
});

describe('traceroot keygen', () => {
  it('prints a signer key and its matching verifier key', async () => {
    const { code, stdout, stderr } = await run(['keygen', 'trace.example.com/log']);
    expect(code).toBe(0);
    const [signer, verifier] = stdout.split('\n') as [string, string];
    expect(signer).toMatch(/^PRIVATE\+KEY\+trace\.example\.com\/log\+[0-9a-f]{8}\+/);
    expect(verifierKeyOf(signer)).toBe(verifier);
    expect(parseVerifierKey(verifier).name).toBe('trace.example.com/log');
    expect(stderr).toContain('keep it secret');
  });

  it('refuses a key name the note format forbids', async () => {
    expect(await run(['keygen', 'bad name'])).toMatchObject({ code: 1 });
  });
});

describe('traceroot verify', () => {
  const { bundle, verifierKey } = buildFixture();
  const files = { 'bundle.json': JSON.stringify(bundle) };

  it('verifies a good bundle against the pinned key', async () => {
    const { code, stdout } = await run(
      ['verify', 'bundle.json', '--key', verifierKey, '--origin', ORIGIN],
      files,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(`VERIFIED: 1 event(s) included in ${ORIGIN} at tree size 5`);
    expect(stdout).toContain('leaf 3: ni:///sha-256;');
  });

  it('prints the verdict as JSON on request', async () => {
    const { code, stdout } = await run(
      ['verify', 'bundle.json', '--key', verifierKey, '--json'],
      files,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      treeSize: 5,
      entries: [{ leafIndex: 3, eventHashIdChecked: true }],
    });
  });

  it('fails with exit 1 and the coded reason on a tampered bundle', async () => {
    const tampered = { ...bundle, entries: [{ ...bundle.entries[0]!, leafIndex: 2 }] };
    const { code, stderr } = await run(['verify', 'b.json', '--key', verifierKey], {
      'b.json': JSON.stringify(tampered),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('NOT VERIFIED (entry 0): ROOT_MISMATCH');
  });

  it('fails against a key it was not signed with, and without any key', async () => {
    const other = (await run(['keygen', ORIGIN])).stdout.split('\n')[1]!;
    expect(await run(['verify', 'bundle.json', '--key', other], files)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('UNKNOWN_KEY'),
    });
    expect(await run(['verify', 'bundle.json'], files)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--key'),
    });
  });
});

describe('the installed command', () => {
  it('runs from bin/traceroot.js on a real file', async () => {
    const { bundle, verifierKey } = buildFixture();
    const dir = mkdtempSync(join(tmpdir(), 'traceroot-cli-'));
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
    const bin = new URL('../bin/traceroot.js', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'verify',
      join(dir, 'bundle.json'),
      '--key',
      verifierKey,
    ]);
    expect(stdout).toContain('VERIFIED');
    await expect(
      promisify(execFile)(process.execPath, [bin, 'dl', 'nonsense']),
    ).rejects.toMatchObject({ code: 1 });
  });
});
