import { base64ToBytes, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';
import type { NoteVerifier } from './note-key.js';
import { describeAt, indexOfForbidden, isValidKeyName } from './note-text.js';

// C2SP signed-note (c2sp.org/signed-note) over Ed25519 keys, checked against
// golang.org/x/mod/sumdb/note. A signed note is: text ending in "\n", one blank line, then
// signature lines "— <key name> <base64(4-byte key ID ‖ signature)>\n".

/**
 * Most signature lines a note may carry. C2SP signed-note §Format: verifiers "MUST accept at
 * least up to 16 signatures"; 100 is x/mod/sumdb/note's limit, so we refuse exactly what Go
 * refuses.
 */
export const MAX_NOTE_SIGNATURES = 100;

/** U+2014 EM DASH, U+0020 SPACE: the start of every signature line. */
export const SIGNATURE_PREFIX = '\u2014 ';
/** Key ID (4 bytes) plus at least one signature byte, as Go requires of every line. */
const MIN_SIGNATURE_BYTES = 5;

export type OpenedNote = {
  /** The verified note text, final newline included, blank separator line excluded. */
  readonly text: string;
  /** Names of the trusted keys whose signature verified, once each, in note order. */
  readonly verifiedBy: readonly string[];
};

type SignatureLine = { name: string; keyHash: number; signature: Uint8Array };

const malformed = (message: string): TraceError =>
  new TraceError('CHECKPOINT_MALFORMED', `signed note: ${message}`);

/**
 * Checks that `text` may be the text of a note (C2SP signed-note §Format): ends in "\n", valid
 * UTF-8, no control character but "\n". Returns a message, or null when it is fine.
 */
export const findNoteTextProblem = (text: string): string | null => {
  if (typeof text !== 'string') return 'not a string';
  const at = indexOfForbidden(text);
  if (at >= 0) return `forbidden character ${describeAt(text, at)}`;
  if (!text.endsWith('\n')) return 'text must end with a newline';
  return null;
};

const toKeyId = (name: string, keyHash: number): string => `${name}+${keyHash}`;

/** Parses one signature line; every line must be well-formed, whoever signed it (as in Go). */
const parseSignatureLine = (line: string, lineNumber: number): SignatureLine => {
  const where = `signature line ${lineNumber}`;
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed(`${where} does not start with "— "`);
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  if (space < 0 || !isValidKeyName(name)) {
    throw malformed(`${where} must be "— <key name> <base64 signature>"`);
  }
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(rest.slice(space + 1));
  } catch (cause) {
    throw new TraceError('CHECKPOINT_MALFORMED', `signed note: ${where} is not base64`, { cause });
  }
  if (bytes.length < MIN_SIGNATURE_BYTES) throw malformed(`${where} is too short`);
  const keyHash = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  return { name, keyHash, signature: bytes.subarray(4) };
};

/** Splits a note into its text and its signature lines (C2SP signed-note §Format). */
const splitNote = (note: string): { text: string; lines: SignatureLine[] } => {
  const at = indexOfForbidden(note);
  if (at >= 0) throw malformed(`forbidden character ${describeAt(note, at)}`);
  // "the text is separated from the signatures by the last empty line in the note"
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) {
    throw malformed('the signature block must be non-empty lines, each ending in a newline');
  }
  const raw = block.slice(0, -1).split('\n');
  if (raw.length > MAX_NOTE_SIGNATURES) {
    throw malformed(`more than ${MAX_NOTE_SIGNATURES} signature lines`);
  }
  return { text: note.slice(0, split + 1), lines: raw.map((l, i) => parseSignatureLine(l, i + 1)) };
};

const indexVerifiers = (verifiers: readonly NoteVerifier[]): Map<string, NoteVerifier> => {
  const byId = new Map<string, NoteVerifier>();
  for (const verifier of verifiers) {
    const id = toKeyId(verifier.name, verifier.keyHash);
    const known = byId.get(id);
    // Go refuses an ambiguous (name, key ID) pair too: the trust configuration is broken.
    if (known !== undefined && known.verifierKey !== verifier.verifierKey) {
      throw new TraceError('MALFORMED_INPUT', `two trusted keys share name and key ID: ${id}`);
    }
    byId.set(id, verifier);
  }
  return byId;
};

const decodeNote = (note: string | Uint8Array): string => {
  if (typeof note === 'string') return note;
  try {
    return bytesToUtf8(note);
  } catch (cause) {
    throw new TraceError('CHECKPOINT_MALFORMED', 'signed note: not valid UTF-8', { cause });
  }
};

/**
 * Opens a signed note (C2SP signed-note §Signatures): parses it, verifies every signature whose
 * (key name, key ID) matches a trusted key, ignores the others, and returns the text with the
 * names of the keys that verified. Every field of `note` is attacker-controlled; `verifierKeys`
 * is the trust configuration, as parsed keys (parseVerifierKey, noteVerifierWith; openNote in
 * sign.ts takes key strings too). Free of Ed25519 arithmetic, so a browser bundle can leave it out.
 *
 * Throws, checking in this order: CHECKPOINT_MALFORMED (any line malformed, > 100 signatures,
 * invalid UTF-8 or control characters); SIGNATURE_INVALID (a signature by a trusted key fails:
 * the spec's SHOULD reject the whole note, which we do); UNKNOWN_KEY (no trusted key signed).
 * MALFORMED_INPUT for a bad verifier key. Unlike Go, a repeated signature by a trusted key is
 * verified again rather than skipped (C2SP: matching signatures MUST be verified).
 */

export const openNoteWith = (
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): OpenedNote => {
  const { text, lines } = splitNote(decodeNote(note));
  const byId = indexVerifiers(verifiers);
  const verifiedBy: string[] = [];
  let message: Uint8Array | undefined;
  for (const { name, keyHash, signature } of lines) {
    const verifier = byId.get(toKeyId(name, keyHash));
    if (verifier === undefined) continue; // unknown key: MUST be ignored
    message ??= utf8ToBytes(text);
    if (!verifier.verify(message, signature)) {
      throw new TraceError(
        'SIGNATURE_INVALID',
        `signed note: bad signature by ${verifier.verifierKey}`,
      );
    }
    if (!verifiedBy.includes(name)) verifiedBy.push(name);
  }
  if (verifiedBy.length === 0) {
    const names = lines.map((l) => l.name).join(', ');
    throw new TraceError(
      'UNKNOWN_KEY',
      `signed note: no signature by a trusted key (signed by ${names})`,
    );
  }
  return { text, verifiedBy };
};
