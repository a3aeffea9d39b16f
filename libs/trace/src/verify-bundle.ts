import { type NoteVerifier, parseVerifierKey } from './checkpoint/index.js';
import { isTraceError, TraceError } from './errors.js';
import { computeEventHashId } from './event-hash/index.js';
import { type Sha256, sha256 } from './hash.js';
import type { AssembledEvent } from './leaf/index.js';
import {
  type Verdict,
  type VerifyOptions,
  type TraceBundle,
  verifyTraceBundleWith,
} from './verify-bundle-with.js';

/**
 * Verifies a trace bundle against the viewer's own trusted verifier keys (C2SP note verifier
 * key strings, from the viewer's configuration — never from the bundle). The one entry point that
 * never throws on bad input: every failure is a Verdict with a code. Checks, in order: the
 * checkpoint's signature (and origin), then per entry the leaf's shape, the inclusion of its leaf
 * hash in the checkpoint's tree, each disclosure against the leaf, that the fields assemble into
 * an event (assembleEvent), and — when every field is disclosed — that the event reproduces the
 * leaf's event hash ID. Each verified entry gives the raw `fields` and the assembled `event`.
 */
export const verifyTraceBundle = (
  bundle: TraceBundle,
  trustedKeys: readonly (string | NoteVerifier)[],
  options: VerifyOptions = {},
): Verdict => {
  const sha = options.sha ?? sha256;
  let verifiers: NoteVerifier[];
  try {
    verifiers = trustedKeys.map((key) =>
      typeof key === 'string' ? parseVerifierKey(key, sha) : key,
    );
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
  return verifyTraceBundleWith(bundle, verifiers, {
    ...options,
    eventHashIdCheck: checkEventHashId,
  });
};

// With every field in hand the viewer recomputes the CBV 2.0 event hash ID from the assembled
// event (ILMD members merged, pseudo-fields left out); the document's JSON-LD context, when the
// event used one, travels as the pseudo-field "@context".
const checkEventHashId = (
  { event, context }: AssembledEvent,
  eventHashId: string,
  sha: Sha256,
): void => {
  let computed: string;
  try {
    computed = computeEventHashId(event, { context, sha });
  } catch (cause) {
    if (!isTraceError(cause)) throw cause;
    throw new TraceError(
      'LEAF_MISMATCH',
      `the disclosed event has no event hash ID: ${cause.message}`,
      { cause },
    );
  }
  if (computed !== eventHashId) {
    throw new TraceError(
      'LEAF_MISMATCH',
      'the disclosed event does not reproduce the leaf event hash ID',
    );
  }
};
