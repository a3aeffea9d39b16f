import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from '@jest/globals';

import { codeOf } from '../../test/support/trace-error.js';
import { generateNoteKeys, parseVerifierKey } from './ed25519-key.js';
import { noteVerifierWith, parseNoteKeyParts } from './note-key.js';
import { prepareNoteVerifier } from './prepared-verifier.js';
import { openNote, signNote } from './sign.js';
import { openNoteWith } from './signed-note.js';

const alice = generateNoteKeys('alice.example/log', new Uint8Array(32).fill(1));
const bob = generateNoteKeys('bob.example/log', new Uint8Array(32).fill(2));
const NOTE = signNote('hello\nworld\n', [alice.signerKey, bob.signerKey]);
// An asynchronous Ed25519 check standing in for WebCrypto (the browser test uses the real one).
const asyncCheck = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
  Promise.resolve(ed25519.verify(signature, message, publicKey));
const flip = (note: string): string => {
  const at = note.lastIndexOf('\n\n') + 2 + '— alice.example/log '.length + 20;
  return note.slice(0, at) + (note[at] === 'A' ? 'B' : 'A') + note.slice(at + 1);
};

describe('noteVerifierWith and parseNoteKeyParts', () => {
  it('parse a key like parseVerifierKey and verify with the given implementation', () => {
    const parts = parseNoteKeyParts(alice.verifierKey);
    expect(parts.name).toBe('alice.example/log');
    expect(parts.keyHash).toBe(parseVerifierKey(alice.verifierKey).keyHash);
    const verifier = noteVerifierWith(alice.verifierKey, (pk, m, s) => ed25519.verify(s, m, pk));
    expect(verifier.verifierKey).toBe(parseVerifierKey(alice.verifierKey).verifierKey);
    expect(openNoteWith(NOTE, [verifier]).verifiedBy).toEqual(['alice.example/log']);
  });

  it('never throw from verify, and refuse a signature of the wrong length unseen', () => {
    let calls = 0;
    const throwing = noteVerifierWith(alice.verifierKey, () => {
      calls += 1;
      throw new Error('broken implementation');
    });
    expect(throwing.verify(new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(throwing.verify(new Uint8Array(1), new Uint8Array(63))).toBe(false);
    expect(calls).toBe(1);
  });

  it.each([
    ['not a string', 42],
    ['a wrong key hash', alice.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')],
    ['no separators', 'alice'],
  ])('refuse %s (MALFORMED_INPUT)', (_, key) => {
    expect(codeOf(() => parseNoteKeyParts(key as string))).toBe('MALFORMED_INPUT');
  });
});

describe('prepareNoteVerifier', () => {
  it('checks the note’s signatures asynchronously, then answers like parseVerifierKey', async () => {
    const verifier = await prepareNoteVerifier(alice.verifierKey, NOTE, asyncCheck);
    expect(openNoteWith(NOTE, [verifier])).toEqual(openNote(NOTE, [alice.verifierKey]));
  });

  it('a bad signature stays bad (SIGNATURE_INVALID), as with parseVerifierKey', async () => {
    const tampered = flip(NOTE);
    const verifier = await prepareNoteVerifier(alice.verifierKey, tampered, asyncCheck);
    expect(codeOf(() => openNoteWith(tampered, [verifier]))).toBe('SIGNATURE_INVALID');
    expect(codeOf(() => openNote(tampered, [alice.verifierKey]))).toBe('SIGNATURE_INVALID');
  });

  it('answers false for anything it did not check: another note, or a failed check', async () => {
    const verifier = await prepareNoteVerifier(alice.verifierKey, NOTE, asyncCheck);
    const other = signNote('other\n', [alice.signerKey]);
    expect(codeOf(() => openNoteWith(other, [verifier]))).toBe('SIGNATURE_INVALID');
    const failing = await prepareNoteVerifier(alice.verifierKey, NOTE, () =>
      Promise.reject(new Error('no Ed25519')),
    );
    expect(codeOf(() => openNoteWith(NOTE, [failing]))).toBe('SIGNATURE_INVALID');
  });

  it('prepares nothing for a malformed note, which then fails for its real reason', async () => {
    const verifier = await prepareNoteVerifier(alice.verifierKey, 'no signatures\n', asyncCheck);
    expect(codeOf(() => openNoteWith('no signatures\n', [verifier]))).toBe('CHECKPOINT_MALFORMED');
  });
});
