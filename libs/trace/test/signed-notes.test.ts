// Conformance and properties of C2SP signed notes and checkpoints (src/checkpoint/).
// Provenance: test/vectors/tlog/signed-notes.json (see test/vectors/README.md); Go's documented
// x/mod/sumdb/note example key; RFC 8032 §7.1 TEST 1 key as the golden seed. Second
// implementations: node:crypto (OpenSSL) Ed25519 and @noble/curves' own ed25519.verify.
import {
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';

import { base64ToBytes, bytesToBase64, bytesToHex, hexToBytes, utf8ToBytes } from '../src/bytes.js';
import {
  type Checkpoint,
  checkpointBodyHash,
  formatCheckpoint,
  formatPrevExtension,
  generateNoteKeys,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  verifyCheckpointChain,
} from '../src/checkpoint/index.js';
import { codeOf } from './support/trace-error.js';

type NoteCase = {
  desc: string;
  note: string;
  log_vkeys: string[];
  want_ok: boolean;
  plain_note?: boolean;
  want_tree_size?: number;
  want_root_b64?: string;
};

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/tlog/signed-notes.json', import.meta.url), 'utf8'),
) as { vector_type: string; cases: NoteCase[] };

const KNOWN_FIELDS = new Set([
  'desc',
  'note',
  'log_vkeys',
  'want_ok',
  'plain_note',
  'want_tree_size',
  'want_root_b64',
]);

// The codes we expect for the failing cases (the vector file only says want_ok: false).
const WANT_CODE: Record<string, string> = {
  'C2SP example, text altered': 'SIGNATURE_INVALID',
  'PeterNeumann note is not a checkpoint': 'CHECKPOINT_MALFORMED',
  'PeterNeumann note checked with the wrong key only': 'UNKNOWN_KEY',
  'sum.golang.org tree head with size changed': 'SIGNATURE_INVALID',
  'sum.golang.org tree head with root changed': 'SIGNATURE_INVALID',
  'sum.golang.org tree head, signature missing': 'CHECKPOINT_MALFORMED',
  'sum.golang.org tree head, no blank line before signature': 'CHECKPOINT_MALFORMED',
};

describe('signed-notes.json vectors', () => {
  it('holds the cases this test knows how to read', () => {
    expect(vectors.vector_type).toBe('signed-note');
    expect(vectors.cases.length).toBeGreaterThanOrEqual(11);
    for (const c of vectors.cases) {
      expect(Object.keys(c).filter((k) => !KNOWN_FIELDS.has(k))).toEqual([]);
    }
    const failing = vectors.cases.filter((c) => !c.want_ok).map((c) => c.desc);
    expect(failing.sort()).toEqual(Object.keys(WANT_CODE).sort());
  });

  // plain_note: true → a signed note (openNote); otherwise the case is a checkpoint.
  it.each(vectors.cases.map((c) => [c.desc, c] as const))('%s', (_, c) => {
    const open = (): unknown =>
      c.plain_note === true ? openNote(c.note, c.log_vkeys) : openCheckpoint(c.note, c.log_vkeys);
    if (!c.want_ok) {
      expect(codeOf(open)).toBe(WANT_CODE[c.desc]);
      return;
    }
    if (c.plain_note === true) {
      const opened = openNote(c.note, c.log_vkeys);
      expect(c.note.startsWith(`${opened.text}\n\u2014 `)).toBe(true);
      expect(opened.verifiedBy).toEqual([c.log_vkeys[0]?.split('+')[0]]);
      return;
    }
    const { checkpoint } = openCheckpoint(c.note, c.log_vkeys);
    expect(checkpoint.treeSize).toBe(c.want_tree_size);
    expect(bytesToBase64(checkpoint.rootHash)).toBe(c.want_root_b64);
  });
});

describe('Go golden values (x/mod/sumdb/note package documentation)', () => {
  const skey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const text =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const peter = vectors.cases.find((c) => c.desc === 'x/mod sumdb/note doc example (PeterNeumann)');

  it('signs the documented example note byte for byte', () => {
    expect(signNote(text, [skey])).toBe(peter?.note);
  });
});

// RFC 8032 §7.1 TEST 1 secret key: its public key d75a9801… is printed in the RFC.
const GOLDEN_SEED = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const GOLDEN_ORIGIN = 'traceroot.example/log';
const EMPTY_ROOT = hexToBytes('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
// Root of the 8 RFC 6962 reference leaves (test/vectors/tlog/rfc6962-reference.json roots[8]).
const ROOT_8 = hexToBytes('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');

/** Ed25519 with OpenSSL: the RFC 8032 seed wrapped in a PKCS #8 envelope (RFC 8410). */
const nodeSignerOf = (seed: Uint8Array) =>
  createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
const nodeVerifierOf = (publicKey: Uint8Array) =>
  createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]),
    format: 'der',
    type: 'spki',
  });
/** `<name>+<hash>+<key data>`; the base64 key data may itself hold '+'. */
const splitVerifierKey = (verifierKey: string): [string, string, string] => {
  const [name = '', hash = '', ...data] = verifierKey.split('+');
  return [name, hash, data.join('+')];
};
const publicKeyOf = (verifierKey: string): Uint8Array =>
  base64ToBytes(splitVerifierKey(verifierKey)[2]).subarray(1);
const signatureLines = (note: string): string[] =>
  note.slice(note.lastIndexOf('\n\n') + 2, -1).split('\n');

describe('golden checkpoints (docs/specs/checkpoint-format.md §Example)', () => {
  const keys = generateNoteKeys(GOLDEN_ORIGIN, GOLDEN_SEED);
  const first: Checkpoint = {
    origin: GOLDEN_ORIGIN,
    treeSize: 0,
    rootHash: EMPTY_ROOT,
    extensions: [],
  };
  const firstHash = checkpointBodyHash(first);
  const second: Checkpoint = {
    origin: GOLDEN_ORIGIN,
    treeSize: 8,
    rootHash: ROOT_8,
    extensions: [formatPrevExtension(firstHash)],
  };
  const NOTE_1 =
    'traceroot.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n' +
    '— traceroot.example/log 5f3WF60JqpInfW9iWyiaAxuUdqmHBhpcPzHZngGyGFqz+OH98oKKbCwtGmwxPFOxyeo4G45WDY0A8LJ5VXqjA/9ZVgo=\n';
  const NOTE_2 =
    'traceroot.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n' +
    'traceroot.dev/prev /V42Q5ZcvzciLe4qGYI4jUBshwFnbIjadSGv8jrodfY=\n\n' +
    '— traceroot.example/log 5f3WF40tvu781VHCl1UiYBfUE0DCgk1uVxCkJl7x9ZCrg+FKxb6tv+y1qkIPTB6MLoBnJeEYCJDsFcPysfUenpO0ZQg=\n';

  it('derives the documented keys from the RFC 8032 test seed', () => {
    expect(keys).toEqual({
      signerKey:
        'PRIVATE+KEY+traceroot.example/log+e5fdd617+AZ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g',
      verifierKey: 'traceroot.example/log+e5fdd617+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea',
    });
    expect(bytesToHex(publicKeyOf(keys.verifierKey))).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
  });

  it('signs the documented notes, which OpenSSL reproduces', () => {
    expect(signCheckpoint(first, keys.signerKey)).toBe(NOTE_1);
    expect(bytesToBase64(firstHash)).toBe('/V42Q5ZcvzciLe4qGYI4jUBshwFnbIjadSGv8jrodfY=');
    expect(signCheckpoint(second, keys.signerKey)).toBe(NOTE_2);
    for (const [note, checkpoint] of [
      [NOTE_1, first],
      [NOTE_2, second],
    ] as const) {
      const sig = base64ToBytes(signatureLines(note)[0]?.split(' ')[2] as string);
      const body = Buffer.from(formatCheckpoint(checkpoint), 'utf8');
      expect(bytesToHex(sig.subarray(0, 4))).toBe('e5fdd617');
      expect(new Uint8Array(nodeSign(null, body, nodeSignerOf(GOLDEN_SEED)))).toEqual(
        sig.subarray(4),
      );
    }
  });

  it('opens and chains the documented notes', () => {
    const opened1 = openCheckpoint(NOTE_1, [keys.verifierKey], { origin: GOLDEN_ORIGIN });
    const opened2 = openCheckpoint(NOTE_2, [keys.verifierKey], { origin: GOLDEN_ORIGIN });
    expect(opened2.checkpoint).toEqual(second);
    expect(checkpointBodyHash(opened1.text)).toEqual(firstHash);
    expect(() => verifyCheckpointChain(opened1.checkpoint, opened2.checkpoint)).not.toThrow();
    expect(codeOf(() => verifyCheckpointChain(opened2.checkpoint, opened1.checkpoint))).toBe(
      'CHAIN_MISMATCH',
    );
  });
});

// ---------------------------------------------------------------- properties

const isNoteSafe = (s: string): boolean =>
  [...s].every((ch) => (ch.codePointAt(0) as number) >= 0x20);
const lineArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter(isNoteSafe);
const keyNameArb = lineArb.filter((s) => !/[\p{White_Space}+]/u.test(s));
const textArb = fc
  .array(lineArb, { minLength: 1, maxLength: 5 })
  .map((lines) => `${lines.join('\n')}\n`);
const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const checkpointArb: fc.Arbitrary<Checkpoint> = fc.record({
  origin: lineArb,
  treeSize: fc.maxSafeNat(),
  rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  extensions: fc.array(
    lineArb.filter((s) => !s.startsWith('traceroot.dev/prev')),
    { maxLength: 3 },
  ),
});

const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = bytes.slice();
  const i = Math.floor(bit / 8) % out.length;
  out[i] = (out[i] as number) ^ (1 << (bit % 8));
  return out;
};
/** The note with signature line 0's decoded bytes edited. */
const editSignature = (note: string, edit: (raw: Uint8Array) => Uint8Array): string => {
  const split = note.lastIndexOf('\n\n') + 2;
  const [dash, name, b64] = (signatureLines(note)[0] as string).split(' ') as [
    string,
    string,
    string,
  ];
  return `${note.slice(0, split)}${dash} ${name} ${bytesToBase64(edit(base64ToBytes(b64)))}\n`;
};

// One long-lived key, so that the verifier's precomputed table is exercised too.
const fixed = generateNoteKeys('prop.example/log', new Uint8Array(32).fill(5));
const fixedVerifier = parseVerifierKey(fixed.verifierKey);
const fixedSigner = parseSignerKey(fixed.signerKey);

describe('properties', () => {
  it('sign → open round-trips for random keys and texts; OpenSSL agrees byte for byte', () => {
    fc.assert(
      fc.property(keyNameArb, seedArb, textArb, (name, seed, text) => {
        const keys = generateNoteKeys(name, seed);
        const note = signNote(text, [keys.signerKey]);
        expect(openNote(note, [keys.verifierKey])).toEqual({ text, verifiedBy: [name] });
        const sig = base64ToBytes(
          signatureLines(note)[0]?.slice(name.length + 3) as string,
        ).subarray(4);
        expect(new Uint8Array(nodeSign(null, utf8ToBytes(text), nodeSignerOf(seed)))).toEqual(sig);
      }),
      { numRuns: 60 },
    );
  });

  it('verify agrees with OpenSSL and noble on good and bit-flipped signatures', () => {
    const nodeKey = nodeVerifierOf(publicKeyOf(fixed.verifierKey));
    fc.assert(
      fc.property(textArb, fc.option(fc.nat(511)), (text, bit) => {
        const message = utf8ToBytes(text);
        const good = fixedSigner.sign(message);
        const sig = bit === null ? good : flipBit(good, bit);
        const expected = nodeVerify(null, message, nodeKey, sig);
        expect(
          ed25519.verify(sig, message, publicKeyOf(fixed.verifierKey), { zip215: false }),
        ).toBe(expected);
        expect(fixedVerifier.verify(message, sig)).toBe(expected);
        expect(expected).toBe(bit === null);
      }),
      { numRuns: 150 },
    );
  });

  it('any flipped bit in the signature → SIGNATURE_INVALID', () => {
    fc.assert(
      fc.property(textArb, fc.nat(511), (text, bit) => {
        const note = editSignature(signNote(text, [fixedSigner]), (raw) =>
          Uint8Array.of(...raw.subarray(0, 4), ...flipBit(raw.subarray(4), bit)),
        );
        expect(codeOf(() => openNote(note, [fixedVerifier]))).toBe('SIGNATURE_INVALID');
      }),
      { numRuns: 100 },
    );
  });

  it('any flipped bit in the key ID → UNKNOWN_KEY; in a verifier key’s hash → MALFORMED_INPUT', () => {
    fc.assert(
      fc.property(textArb, fc.nat(31), (text, bit) => {
        const note = editSignature(signNote(text, [fixedSigner]), (raw) => flipBit(raw, bit));
        expect(codeOf(() => openNote(note, [fixedVerifier]))).toBe('UNKNOWN_KEY');
        const [name, hash, key] = splitVerifierKey(fixed.verifierKey);
        const badHash = bytesToHex(flipBit(hexToBytes(hash), bit));
        expect(codeOf(() => parseVerifierKey(`${name}+${badHash}+${key}`))).toBe('MALFORMED_INPUT');
      }),
      { numRuns: 60 },
    );
  });

  it('any flipped bit in the signed text → SIGNATURE_INVALID, or CHECKPOINT_MALFORMED if no longer a note', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(textArb, fc.nat(), (text, bit) => {
        const note = signNote(text, [fixedSigner]);
        const textBytes = utf8ToBytes(text);
        const mutated = flipBit(textBytes, bit % (textBytes.length * 8));
        const rest = utf8ToBytes(note).subarray(textBytes.length);
        let expected = 'SIGNATURE_INVALID';
        try {
          const newText = decoder.decode(mutated);
          // The texts here have no blank line, so losing the final "\n" loses the separator.
          if (!isNoteSafe(newText.replaceAll('\n', ' ')) || !newText.endsWith('\n')) {
            expected = 'CHECKPOINT_MALFORMED';
          }
        } catch {
          expected = 'CHECKPOINT_MALFORMED';
        }
        const bytes = Uint8Array.of(...mutated, ...rest);
        expect(codeOf(() => openNote(bytes, [fixedVerifier]))).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('format → parse → format is the identity on random checkpoints', () => {
    fc.assert(
      fc.property(
        checkpointArb,
        fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 })),
        (c, prev) => {
          const checkpoint =
            prev === null ? c : { ...c, extensions: [formatPrevExtension(prev), ...c.extensions] };
          const text = formatCheckpoint(checkpoint);
          const parsed = parseCheckpoint(text);
          expect(parsed).toEqual(checkpoint);
          expect(formatCheckpoint(parsed)).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a checkpoint body with one character changed parses canonically or fails as CHECKPOINT_MALFORMED', () => {
    const alphabet = fc.constantFrom(
      '0',
      '1',
      '9',
      '-',
      '+',
      '=',
      '/',
      'A',
      ' ',
      '\n',
      '\r',
      '\u0000',
      'é',
    );
    fc.assert(
      fc.property(checkpointArb, fc.nat(), alphabet, (c, at, ch) => {
        const text = formatCheckpoint(c);
        const i = at % text.length;
        const mutated = text.slice(0, i) + ch + text.slice(i + 1);
        const code = codeOf(() => expect(formatCheckpoint(parseCheckpoint(mutated))).toBe(mutated));
        expect(['ok', 'CHECKPOINT_MALFORMED']).toContain(code);
      }),
      { numRuns: 300 },
    );
  });
});
