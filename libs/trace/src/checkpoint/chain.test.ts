import { describe, expect, it } from '@jest/globals';

import { codeOf } from '../../test/support/trace-error.js';
import { bytesToBase64, hexToBytes } from '../bytes.js';
import { checkpointBodyHash, previousCheckpointHash, verifyCheckpointChain } from './chain.js';
import { type Checkpoint, formatCheckpoint } from './checkpoint.js';
import { formatPrevExtension, PREV_EXTENSION_KEYWORD } from './prev-extension.js';

const ORIGIN = 'traceroot.example/log';
const root = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const first: Checkpoint = { origin: ORIGIN, treeSize: 3, rootHash: root(1), extensions: [] };
const firstHash = checkpointBodyHash(first);
const second: Checkpoint = {
  origin: ORIGIN,
  treeSize: 5,
  rootHash: root(2),
  extensions: [formatPrevExtension(firstHash)],
};

describe('checkpointBodyHash', () => {
  it('is SHA-256 of the body text, for the body or the parsed checkpoint', () => {
    const body = formatCheckpoint(first);
    expect(body).toBe('traceroot.example/log\n3\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n');
    // printf 'traceroot.example/log\n3\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n' | sha256sum
    const expected = hexToBytes('5330a3157f2a6b0a9167e0e4ffb9e5bbd85fc2a1d4ce8bda81516cebc9208b1f');
    expect(checkpointBodyHash(body)).toEqual(expected);
    expect(firstHash).toEqual(expected);
  });

  it('uses the injected SHA-256', () => {
    const calls: Uint8Array[] = [];
    const sha = (data: Uint8Array): Uint8Array => {
      calls.push(data);
      return new Uint8Array(32);
    };
    expect(checkpointBodyHash(first, sha)).toEqual(new Uint8Array(32));
    expect(calls).toHaveLength(1);
  });

  it('refuses a text that is not a bare checkpoint body', () => {
    expect(codeOf(() => checkpointBodyHash(`${formatCheckpoint(first)}\n— x AAAA\n`))).toBe(
      'CHECKPOINT_MALFORMED',
    );
  });
});

describe('formatPrevExtension / previousCheckpointHash', () => {
  it('writes and reads the chain line', () => {
    expect(second.extensions[0]).toBe(`${PREV_EXTENSION_KEYWORD} ${bytesToBase64(firstHash)}`);
    expect(previousCheckpointHash(second)).toEqual(firstHash);
    expect(previousCheckpointHash(first)).toBeNull();
  });

  it('refuses hashes that are not 32 bytes', () => {
    expect(codeOf(() => formatPrevExtension(root(1).subarray(1)))).toBe('MALFORMED_INPUT');
    expect(codeOf(() => formatPrevExtension('x' as unknown as Uint8Array))).toBe('MALFORMED_INPUT');
  });

  it('refuses a malformed chain line on a hand-built checkpoint', () => {
    const bad = { ...second, extensions: [`${PREV_EXTENSION_KEYWORD} AAAA`] };
    expect(codeOf(() => previousCheckpointHash(bad))).toBe('CHECKPOINT_MALFORMED');
  });
});

describe('verifyCheckpointChain', () => {
  it('accepts a checkpoint that names its predecessor and does not shrink', () => {
    expect(() => verifyCheckpointChain(first, second)).not.toThrow();
    const third = { ...second, extensions: [formatPrevExtension(checkpointBodyHash(second))] };
    expect(() => verifyCheckpointChain(second, third)).not.toThrow();
  });

  it('refuses a checkpoint that names no predecessor or another one', () => {
    expect(codeOf(() => verifyCheckpointChain(first, { ...second, extensions: [] }))).toBe(
      'CHAIN_MISMATCH',
    );
    const other = { ...first, treeSize: 4 };
    expect(codeOf(() => verifyCheckpointChain(other, second))).toBe('CHAIN_MISMATCH');
  });

  it('refuses a shrinking tree and two roots for one size', () => {
    const big = { ...first, treeSize: 9 };
    const smaller = { ...second, extensions: [formatPrevExtension(checkpointBodyHash(big))] };
    expect(codeOf(() => verifyCheckpointChain(big, smaller))).toBe('CHAIN_MISMATCH');
    const fork = { ...first, rootHash: root(7), extensions: [formatPrevExtension(firstHash)] };
    expect(codeOf(() => verifyCheckpointChain(first, fork))).toBe('CHAIN_MISMATCH');
    const same = { ...first, extensions: [formatPrevExtension(firstHash)] };
    expect(() => verifyCheckpointChain(first, same)).not.toThrow();
  });

  it('refuses checkpoints of two origins', () => {
    expect(codeOf(() => verifyCheckpointChain(first, { ...second, origin: 'other/log' }))).toBe(
      'ORIGIN_MISMATCH',
    );
  });
});
