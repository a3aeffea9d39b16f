import { bytesToBase64, concatBytes, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';
import {
  type Checkpoint,
  formatCheckpoint,
  type OpenedCheckpoint,
  openedCheckpoint,
} from './checkpoint.js';
import { parseSignerKey, parseVerifierKey } from './ed25519-key.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import {
  findNoteTextProblem,
  MAX_NOTE_SIGNATURES,
  type OpenedNote,
  openNoteWith,
  SIGNATURE_PREFIX,
} from './signed-note.js';

// Signing, and opening with key strings: the parts of signed notes and checkpoints that need the
// Ed25519 arithmetic of ed25519-key.ts (@noble/curves). signed-note.ts and checkpoint.ts hold the
// rest, free of it, so that a browser that brings its own Ed25519 ships none (ADR 0008).

/**
 * Signs `text` with every signer key and returns the signed note. Preconditions: `text` ends in
 * "\n", is well-formed and holds no control character but "\n" (otherwise MALFORMED_INPUT);
 * 1 ≤ signers ≤ MAX_NOTE_SIGNATURES. Signature lines come out in the order of `signerKeys`.
 * The text may contain blank lines and lines that look like signatures: C2SP cuts at the last
 * blank line, so they stay text.
 */
export const signNote = (
  text: string,
  signerKeys: readonly (string | NoteSigner)[],
  sha: Sha256 = sha256,
): string => {
  const problem = findNoteTextProblem(text);
  if (problem !== null) throw new TraceError('MALFORMED_INPUT', `note text: ${problem}`);
  if (signerKeys.length === 0 || signerKeys.length > MAX_NOTE_SIGNATURES) {
    throw new TraceError('MALFORMED_INPUT', `a note needs 1 to ${MAX_NOTE_SIGNATURES} signers`);
  }
  const message = utf8ToBytes(text);
  let note = `${text}\n`;
  for (const key of signerKeys) {
    const signer = typeof key === 'string' ? parseSignerKey(key, sha) : key;
    const keyId = new Uint8Array(4);
    new DataView(keyId.buffer).setUint32(0, signer.keyHash, false);
    const encoded = bytesToBase64(concatBytes(keyId, signer.sign(message)));
    note += `${SIGNATURE_PREFIX}${signer.name} ${encoded}\n`;
  }
  return note;
};

/**
 * Opens a signed note (C2SP signed-note §Signatures): parses it, verifies every signature whose
 * (key name, key ID) matches a trusted key, ignores the others, and returns the text with the
 * names of the keys that verified. Every field of `note` is attacker-controlled; `verifierKeys`
 * is the trust configuration (strings or parsed keys; pass parsed ones when opening many notes).
 * Throws as openNoteWith does; MALFORMED_INPUT for a bad verifier key.
 */
export const openNote = (
  note: string | Uint8Array,
  verifierKeys: readonly (string | NoteVerifier)[],
  sha: Sha256 = sha256,
): OpenedNote =>
  openNoteWith(
    note,
    verifierKeys.map((key) => (typeof key === 'string' ? parseVerifierKey(key, sha) : key)),
  );

/**
 * Signs `checkpoint` as a C2SP signed note. Precondition (else MALFORMED_INPUT): the signer's
 * key name equals the origin, our reading of tlog-checkpoint §Signatures ("The log's key name
 * in its signature line SHOULD match the origin line"), which catches a mis-configured key.
 */
export const signCheckpoint = (
  checkpoint: Checkpoint,
  signerKey: string | NoteSigner,
  sha: Sha256 = sha256,
): string => {
  const signer = typeof signerKey === 'string' ? parseSignerKey(signerKey, sha) : signerKey;
  const text = formatCheckpoint(checkpoint);
  if (signer.name !== checkpoint.origin) {
    throw new TraceError(
      'MALFORMED_INPUT',
      `signer key "${signer.name}" is not named after origin "${checkpoint.origin}"`,
    );
  }
  return signNote(text, [signer], sha);
};

/**
 * Opens a signed checkpoint: openNote's rules first (the text counts only once a trusted key has
 * signed it), then parseCheckpoint, then, when `options.origin` is given, an exact origin match
 * (ORIGIN_MISMATCH). Trust anchors (keys, origin) must come from configuration, never from the
 * response being checked. Throws CHECKPOINT_MALFORMED, SIGNATURE_INVALID, UNKNOWN_KEY,
 * ORIGIN_MISMATCH; MALFORMED_INPUT for a bad verifier key.
 */
export const openCheckpoint = (
  note: string | Uint8Array,
  trustedVerifierKeys: readonly (string | NoteVerifier)[],
  options: { origin?: string; sha?: Sha256 } = {},
): OpenedCheckpoint =>
  openedCheckpoint(openNote(note, trustedVerifierKeys, options.sha ?? sha256), options.origin);
