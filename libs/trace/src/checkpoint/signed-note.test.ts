import { describe, expect, it } from '@jest/globals';

import { codeOf } from '../../test/support/trace-error.js';
import { base64ToBytes, bytesToBase64, hexToBytes, utf8ToBytes } from '../bytes.js';
import { generateNoteKeys, parseSignerKey, parseVerifierKey } from './ed25519-key.js';
import { openNote, signNote } from './sign.js';
import { MAX_NOTE_SIGNATURES } from './signed-note.js';

const seed = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const alice = generateNoteKeys('alice.example/log', seed(1));
const bob = generateNoteKeys('bob.example/log', seed(2));
const aliceRotated = generateNoteKeys('alice.example/log', seed(3));
const TEXT = 'hello\nworld\n';

/** Replaces the signature bytes (after the key ID) of signature line `index` (0-based). */
const resign = (note: string, index: number, edit: (raw: Uint8Array) => Uint8Array): string => {
  const split = note.lastIndexOf('\n\n') + 2;
  const lines = note.slice(split, -1).split('\n');
  const line = lines[index] as string;
  const space = line.lastIndexOf(' ');
  lines[index] =
    `${line.slice(0, space)} ${bytesToBase64(edit(base64ToBytes(line.slice(space + 1))))}`;
  return `${note.slice(0, split)}${lines.join('\n')}\n`;
};

describe('signNote', () => {
  it('writes the text, a blank line and one "— name base64" line per signer, in order', () => {
    const note = signNote(TEXT, [alice.signerKey, parseSignerKey(bob.signerKey)]);
    const lines = note.split('\n');
    expect(lines.slice(0, 3)).toEqual(['hello', 'world', '']);
    expect(lines[3]).toMatch(/^\u2014 alice\.example\/log [A-Za-z0-9+/]{91}=$/);
    expect(lines[4]).toMatch(/^\u2014 bob\.example\/log [A-Za-z0-9+/]{91}=$/);
    expect(lines[5]).toBe('');
    // The signature starts with the 4-byte key ID.
    const keyId = base64ToBytes((lines[3] as string).split(' ')[2] as string).subarray(0, 4);
    expect(keyId).toEqual(hexToBytes(alice.verifierKey.split('+')[1] as string));
  });

  it.each([
    ['no final newline', 'hello'],
    ['an empty text', ''],
    ['a carriage return', 'a\r\n'],
    ['a NUL', 'a\u0000\n'],
    ['a lone surrogate', 'a\udc00\n'],
    ['a high surrogate at the end', 'a\n\ud800'],
    ['not a string', 7 as unknown as string],
  ])('refuses a text with %s', (_, text) => {
    expect(codeOf(() => signNote(text, [alice.signerKey]))).toBe('MALFORMED_INPUT');
  });

  it('refuses zero signers and more than the limit', () => {
    expect(codeOf(() => signNote(TEXT, []))).toBe('MALFORMED_INPUT');
    const many = Array.from({ length: MAX_NOTE_SIGNATURES + 1 }, () => alice.signerKey);
    expect(codeOf(() => signNote(TEXT, many))).toBe('MALFORMED_INPUT');
  });

  it('keeps blank lines and signature-looking lines of the text as text', () => {
    const tricky = `intro\n\n\u2014 bob.example/log ${bytesToBase64(new Uint8Array(68))}\n`;
    const note = signNote(tricky, [alice.signerKey]);
    const opened = openNote(note, [alice.verifierKey, bob.verifierKey]);
    expect(opened).toEqual({ text: tricky, verifiedBy: ['alice.example/log'] });
  });

  it('accepts surrogate pairs (valid UTF-8 beyond the BMP)', () => {
    const note = signNote('tree \u{1F333}\n', [alice.signerKey]);
    expect(openNote(note, [alice.verifierKey]).text).toBe('tree \u{1F333}\n');
  });
});

describe('openNote', () => {
  const note = signNote(TEXT, [alice.signerKey, bob.signerKey]);

  it('returns the text and the trusted keys that verified', () => {
    expect(openNote(note, [alice.verifierKey, bob.verifierKey])).toEqual({
      text: TEXT,
      verifiedBy: ['alice.example/log', 'bob.example/log'],
    });
    expect(openNote(note, [parseVerifierKey(bob.verifierKey)]).verifiedBy).toEqual([
      'bob.example/log',
    ]);
  });

  it('reads UTF-8 bytes strictly', () => {
    expect(openNote(utf8ToBytes(note), [alice.verifierKey]).text).toBe(TEXT);
    const bad = utf8ToBytes(note);
    bad[0] = 0xff;
    expect(codeOf(() => openNote(bad, [alice.verifierKey]))).toBe('CHECKPOINT_MALFORMED');
  });

  it('ignores keys that share only the name or only the key ID with a trusted key', () => {
    expect(codeOf(() => openNote(note, [aliceRotated.verifierKey]))).toBe('UNKNOWN_KEY');
    const sameId = note.replace('\u2014 alice.example/log ', '\u2014 mallory.example/log ');
    expect(openNote(sameId, [alice.verifierKey, bob.verifierKey]).verifiedBy).toEqual([
      'bob.example/log',
    ]);
    expect(codeOf(() => openNote(note, []))).toBe('UNKNOWN_KEY');
  });

  it('names each verifying key name once (two trusted keys of one name, or a repeated line)', () => {
    const both = signNote(TEXT, [alice.signerKey, aliceRotated.signerKey, alice.signerKey]);
    expect(openNote(both, [alice.verifierKey, aliceRotated.verifierKey]).verifiedBy).toEqual([
      'alice.example/log',
    ]);
  });

  it('fails the whole note when any trusted signature fails, even a repeated one', () => {
    const flip = (raw: Uint8Array): Uint8Array => {
      raw[10] = (raw[10] as number) ^ 1;
      return raw;
    };
    expect(
      codeOf(() => openNote(resign(note, 1, flip), [alice.verifierKey, bob.verifierKey])),
    ).toBe('SIGNATURE_INVALID');
    const twice = signNote(TEXT, [alice.signerKey, alice.signerKey]);
    expect(codeOf(() => openNote(resign(twice, 1, flip), [alice.verifierKey]))).toBe(
      'SIGNATURE_INVALID',
    );
    // A signature by a trusted key with the wrong length is invalid, not malformed.
    const short = resign(note, 0, (raw) => raw.subarray(0, 20));
    expect(codeOf(() => openNote(short, [alice.verifierKey]))).toBe('SIGNATURE_INVALID');
    // Unknown keys' signatures are not checked.
    expect(openNote(short, [bob.verifierKey]).verifiedBy).toEqual(['bob.example/log']);
  });

  it.each([
    ['control character in the text', note.replace('world', 'wor\u0007ld')],
    ['lone surrogate', note.replace('world', 'wor\ud800ld')],
    ['no blank line', note.replace('\n\n', '\n')],
    ['no signature line', `${TEXT}\n`],
    ['no final newline', note.slice(0, -1)],
    ['line without em dash', note.replace('\u2014 bob', '- bob')],
    ['line without space after the name', note.replace(/\u2014 bob[^\n]*/, '\u2014 bob')],
    ['empty key name', note.replace('\u2014 bob.example/log', '\u2014 ')],
    ['"+" in the key name', note.replace('bob.example/log', 'bob+example/log')],
    ['two spaces', note.replace('bob.example/log ', 'bob.example/log  ')],
    ['signature not base64', note.replace(/(\u2014 bob\.example\/log )\S+/, '$1AAAA=')],
    ['signature of 4 bytes', note.replace(/(\u2014 bob\.example\/log )\S+/, '$1AAAAAA==')],
  ])('refuses a note with %s as CHECKPOINT_MALFORMED', (_, bad) => {
    expect(codeOf(() => openNote(bad, [alice.verifierKey, bob.verifierKey]))).toBe(
      'CHECKPOINT_MALFORMED',
    );
  });

  it('cuts at the last blank line, so a blank line among signatures turns earlier ones into text', () => {
    const cut = note.replace(/\n(\u2014 bob)/, '\n\n$1');
    // Bob signed "hello\nworld\n", not the text that now ends with Alice's line.
    expect(codeOf(() => openNote(cut, [alice.verifierKey, bob.verifierKey]))).toBe(
      'SIGNATURE_INVALID',
    );
    expect(codeOf(() => openNote(cut, [alice.verifierKey]))).toBe('UNKNOWN_KEY');
  });

  it(`accepts ${MAX_NOTE_SIGNATURES} signature lines and refuses one more`, () => {
    const filler = `\u2014 other.example ${bytesToBase64(new Uint8Array(68))}\n`;
    const full = note + filler.repeat(MAX_NOTE_SIGNATURES - 2);
    expect(openNote(full, [alice.verifierKey]).verifiedBy).toEqual(['alice.example/log']);
    expect(codeOf(() => openNote(full + filler, [alice.verifierKey]))).toBe('CHECKPOINT_MALFORMED');
  });

  it('refuses trust configurations that are broken', () => {
    expect(codeOf(() => openNote(note, ['not a key']))).toBe('MALFORMED_INPUT');
    const alias = { ...parseVerifierKey(bob.verifierKey), verifierKey: 'another key' };
    expect(codeOf(() => openNote(note, [bob.verifierKey, alias]))).toBe('MALFORMED_INPUT');
    // The same key twice is not ambiguous.
    expect(openNote(note, [bob.verifierKey, bob.verifierKey]).verifiedBy).toEqual([
      'bob.example/log',
    ]);
  });
});
