import { describe, expect, it } from '@jest/globals';

import { expectTraceError } from '../../test/support/trace-error.js';
import { bytesToBase64, utf8ToBytes } from '../bytes.js';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { generateNoteKeys, parseSignerKey, parseVerifierKey } from './ed25519-key.js';
import { formatPrevExtension } from './prev-extension.js';
import { openCheckpoint, signCheckpoint, signNote } from './sign.js';

const ORIGIN = 'traceroot.example/log';
const keys = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(9));
const ROOT = new Uint8Array(32).map((_, i) => i);
const ROOT_B64 = bytesToBase64(ROOT);
const checkpoint: Checkpoint = { origin: ORIGIN, treeSize: 42, rootHash: ROOT, extensions: [] };

describe('formatCheckpoint', () => {
  it('writes origin, size, base64 root and extension lines, each ending in a newline', () => {
    expect(formatCheckpoint(checkpoint)).toBe(`${ORIGIN}\n42\n${ROOT_B64}\n`);
    expect(formatCheckpoint({ ...checkpoint, treeSize: 0, extensions: ['a b', 'c'] })).toBe(
      `${ORIGIN}\n0\n${ROOT_B64}\na b\nc\n`,
    );
  });

  it.each<[string, Partial<Checkpoint>, RegExp]>([
    ['an empty origin', { origin: '' }, /origin: empty/],
    ['a newline in the origin', { origin: 'a\nb' }, /origin: holds a newline/],
    ['a control character in the origin', { origin: 'a\tb' }, /U\+0009/],
    ['a non-string origin', { origin: 5 as unknown as string }, /not a string/],
    ['a negative size', { treeSize: -1 }, /safe integer/],
    ['a fractional size', { treeSize: 1.5 }, /safe integer/],
    ['an unsafe size', { treeSize: 2 ** 53 }, /safe integer/],
    ['a short root', { rootHash: ROOT.subarray(1) }, /32 bytes/],
    ['a root that is not bytes', { rootHash: 'x' as unknown as Uint8Array }, /32 bytes/],
    ['an empty extension', { extensions: ['a', ''] }, /line 5 \(extension\): empty/],
    ['a newline in an extension', { extensions: ['a\n'] }, /line 4/],
    ['a bad chain line', { extensions: ['traceroot.dev/prev AAAA'] }, /32 bytes/],
  ])('refuses %s', (_, change, text) => {
    expectTraceError(() => formatCheckpoint({ ...checkpoint, ...change }), 'MALFORMED_INPUT', text);
  });
});

describe('parseCheckpoint', () => {
  it('reads what formatCheckpoint writes', () => {
    const full = { ...checkpoint, extensions: [formatPrevExtension(ROOT), 'x: 1'] };
    expect(parseCheckpoint(formatCheckpoint(full))).toEqual(full);
    expect(parseCheckpoint(`a\n9007199254740991\n${ROOT_B64}\n`).treeSize).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it.each([
    ['not a string', 1 as unknown as string, /not a string/],
    ['a control character', `${ORIGIN}\n42\n${ROOT_B64}\n\u0000\n`, /U\+0000/],
    ['no final newline', `${ORIGIN}\n42\n${ROOT_B64}`, /end with a newline/],
    ['two lines', `${ORIGIN}\n42\n`, /2 lines/],
    ['an empty origin', `\n42\n${ROOT_B64}\n`, /line 1/],
    ['an empty size', `${ORIGIN}\n\n${ROOT_B64}\n`, /line 2/],
    ['a leading zero', `${ORIGIN}\n042\n${ROOT_B64}\n`, /line 2/],
    ['a plus sign', `${ORIGIN}\n+42\n${ROOT_B64}\n`, /line 2/],
    ['a minus sign', `${ORIGIN}\n-1\n${ROOT_B64}\n`, /line 2/],
    ['a space', `${ORIGIN}\n42 \n${ROOT_B64}\n`, /line 2/],
    ['hex digits', `${ORIGIN}\n0x2a\n${ROOT_B64}\n`, /line 2/],
    ['an exponent', `${ORIGIN}\n4e1\n${ROOT_B64}\n`, /line 2/],
    ['non-ASCII digits', `${ORIGIN}\n\u0664\u0662\n${ROOT_B64}\n`, /line 2/],
    ['2^53', `${ORIGIN}\n9007199254740992\n${ROOT_B64}\n`, /line 2 \(tree size\) exceeds/],
    [
      'a 20-digit size',
      `${ORIGIN}\n18446744073709551615\n${ROOT_B64}\n`,
      /line 2 \(tree size\) exceeds/,
    ],
    ['a root that is not base64', `${ORIGIN}\n42\nnot base64!\n`, /line 3/],
    ['an unpadded root', `${ORIGIN}\n42\n${ROOT_B64.slice(0, -1)}\n`, /line 3/],
    ['a root of 31 bytes', `${ORIGIN}\n42\n${bytesToBase64(ROOT.subarray(1))}\n`, /line 3.*31/],
    ['an empty extension line', `${ORIGIN}\n42\n${ROOT_B64}\nx\n\n`, /line 5/],
    ['a signed note', signCheckpoint(checkpoint, keys.signerKey), /line 4/],
    [
      'two chain lines',
      `${ORIGIN}\n42\n${ROOT_B64}\n${formatPrevExtension(ROOT)}\n${formatPrevExtension(ROOT)}\n`,
      /more than one/,
    ],
    [
      'a chain line without value',
      `${ORIGIN}\n42\n${ROOT_B64}\ntraceroot.dev/prev\n`,
      /not base64|32 bytes/,
    ],
    [
      'a chain line not in base64',
      `${ORIGIN}\n42\n${ROOT_B64}\ntraceroot.dev/prev %%%%\n`,
      /not base64/,
    ],
  ])('refuses %s, naming the line', (_, text, message) => {
    expectTraceError(() => parseCheckpoint(text), 'CHECKPOINT_MALFORMED', message);
  });

  it('keeps other extension lines opaque, including look-alikes of the chain keyword', () => {
    const text = `${ORIGIN}\n42\n${ROOT_B64}\ntraceroot.dev/previous x\nTimestamp: 1\n`;
    expect(parseCheckpoint(text).extensions).toEqual(['traceroot.dev/previous x', 'Timestamp: 1']);
  });
});

describe('signCheckpoint / openCheckpoint', () => {
  const note = signCheckpoint(checkpoint, keys.signerKey);

  it('round-trips through a signed note with string or parsed keys', () => {
    const opened = openCheckpoint(note, [keys.verifierKey], { origin: ORIGIN });
    expect(opened).toEqual({
      checkpoint,
      text: formatCheckpoint(checkpoint),
      verifiedBy: [ORIGIN],
    });
    expect(signCheckpoint(checkpoint, parseSignerKey(keys.signerKey))).toBe(note);
    expect(
      openCheckpoint(utf8ToBytes(note), [parseVerifierKey(keys.verifierKey)]).checkpoint,
    ).toEqual(checkpoint);
  });

  it('refuses to sign with a key not named after the origin', () => {
    const other = generateNoteKeys('other.example/log', new Uint8Array(32));
    expectTraceError(() => signCheckpoint(checkpoint, other.signerKey), 'MALFORMED_INPUT');
  });

  it('reports ORIGIN_MISMATCH only after the signature verified', () => {
    expectTraceError(
      () => openCheckpoint(note, [keys.verifierKey], { origin: 'x/log' }),
      'ORIGIN_MISMATCH',
    );
    const stranger = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(1));
    expectTraceError(
      () => openCheckpoint(note, [stranger.verifierKey], { origin: 'x/log' }),
      'UNKNOWN_KEY',
    );
  });

  it('refuses a correctly signed note that is not a checkpoint', () => {
    const prose = signNote('just prose\n', [keys.signerKey]);
    expectTraceError(() => openCheckpoint(prose, [keys.verifierKey]), 'CHECKPOINT_MALFORMED');
  });
});
