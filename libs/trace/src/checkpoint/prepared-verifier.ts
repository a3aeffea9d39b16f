import { bytesEqual } from '../bytes.js';
import { type Sha256, sha256 } from '../hash.js';
import { type NoteVerifier, noteVerifierWith } from './note-key.js';
import { openNoteWith } from './signed-note.js';

/** An Ed25519 check that may be asynchronous (WebCrypto's `crypto.subtle.verify` is). */
export type AsyncSignatureCheck = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => Promise<boolean>;

/**
 * A NoteVerifier for `verifierKey` prepared for one signed note: every signature of `note` by that
 * key is checked now, with `check` (e.g. WebCrypto's Ed25519), and the verifier then answers
 * from those results, synchronously, as openNoteWith and verifyTraceBundleWith need. For any other
 * (message, signature) it answers false. A note that does not parse prepares nothing: opening it
 * later reports why.
 */
export const prepareNoteVerifier = async (
  verifierKey: string,
  note: string,
  check: AsyncSignatureCheck,
  sha: Sha256 = sha256,
): Promise<NoteVerifier> => {
  const seen: { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }[] = [];
  const recorder = noteVerifierWith(
    verifierKey,
    (publicKey, message, signature) => {
      seen.push({ publicKey, message, signature });
      return true;
    },
    sha,
  );
  try {
    openNoteWith(note, [recorder]);
  } catch {
    // malformed, or not signed by this key: nothing to prepare
  }
  const results = await Promise.all(
    seen.map(async (pair) => {
      try {
        return { ...pair, ok: await check(pair.publicKey, pair.message, pair.signature) };
      } catch {
        return { ...pair, ok: false };
      }
    }),
  );
  return noteVerifierWith(
    verifierKey,
    (_, message, signature) =>
      results.some(
        (r) => r.ok && bytesEqual(r.message, message) && bytesEqual(r.signature, signature),
      ),
    sha,
  );
};
