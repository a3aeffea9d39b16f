import { isArray } from './is-array.js';
import { base64ToBytes, bytesToBase64 } from './bytes.js';
import { type NoteVerifier, openCheckpoint } from './checkpoint/index.js';
import { isTraceError, TraceError, type TraceErrorCode } from './errors.js';
import { computeEventHashId } from './event-hash/index.js';
import { type Sha256, sha256 } from './hash.js';
import { formatLeaf, openDisclosures } from './leaf/index.js';
import { createMerkleHasher } from './merkle/hasher.js';
import { verifyInclusion } from './merkle/inclusion.js';

/**
 * What a viewer verifies (docs/specs/trace-bundle.md): one signed checkpoint and, for each event
 * shown, its leaf (event hash ID + field digests), the fields disclosed to this viewer and the
 * inclusion path of the leaf in the checkpoint's tree. All of it is attacker-controlled.
 */
export type TraceBundle = {
  checkpoint: string;
  entries: readonly TraceBundleEntry[];
};

export type TraceBundleEntry = {
  leafIndex: number;
  eventHashId: string;
  digests: readonly string[];
  disclosures: readonly string[];
  /** base64 sibling hashes, bottom-up. */
  inclusionPath: readonly string[];
};

export type VerifiedEntry = {
  leafIndex: number;
  eventHashId: string;
  /** The disclosed fields, each checked against the leaf. */
  fields: Record<string, unknown>;
  /** How many committed fields this viewer sees only as digests. */
  hiddenFieldCount: number;
  /** True when every field was disclosed and they reproduce the event hash ID. */
  eventHashIdChecked: boolean;
};

export type Verdict =
  | {
      ok: true;
      origin: string;
      treeSize: number;
      rootHash: string;
      verifiedBy: readonly string[];
      entries: readonly VerifiedEntry[];
    }
  | { ok: false; code: TraceErrorCode; message: string; entryIndex?: number };

export type VerifyOptions = {
  /** The log's origin line; when given, a checkpoint of any other log fails (ORIGIN_MISMATCH). */
  origin?: string;
  sha?: Sha256;
};

/**
 * Verifies a trace bundle against the viewer's own trusted verifier keys (C2SP note verifier
 * key strings, from the viewer's configuration — never from the bundle). The one entry point that
 * never throws on bad input: every failure is a Verdict with a code. Checks, in order: the
 * checkpoint's signature (and origin), then per entry the leaf's shape, the inclusion of its leaf
 * hash in the checkpoint's tree, each disclosure against the leaf, and — when every field is
 * disclosed — that the fields reproduce the leaf's event hash ID.
 */
export const verifyTraceBundle = (
  bundle: TraceBundle,
  trustedKeys: readonly (string | NoteVerifier)[],
  options: VerifyOptions = {},
): Verdict => {
  let entryIndex: number | undefined;
  try {
    const sha = options.sha ?? sha256;
    if (!isRecord(bundle) || typeof bundle.checkpoint !== 'string' || !isArray(bundle.entries)) {
      throw new TraceError(
        'MALFORMED_INPUT',
        'a bundle needs a checkpoint string and an entries array',
      );
    }
    const { checkpoint, verifiedBy } = openCheckpoint(bundle.checkpoint, trustedKeys, {
      sha,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    const hasher = createMerkleHasher(sha);
    const entries = bundle.entries.map((entry, i) => {
      entryIndex = i;
      return verifyEntry(entry, checkpoint.treeSize, checkpoint.rootHash, hasher, sha);
    });
    return {
      ok: true,
      origin: checkpoint.origin,
      treeSize: checkpoint.treeSize,
      rootHash: bytesToBase64(checkpoint.rootHash),
      verifiedBy,
      entries,
    };
  } catch (error) {
    if (!isTraceError(error)) throw error; // a bug, not a verdict
    const failure = { ok: false as const, code: error.code, message: error.message };
    return entryIndex === undefined ? failure : { ...failure, entryIndex };
  }
};

const verifyEntry = (
  entry: TraceBundleEntry,
  treeSize: number,
  rootHash: Uint8Array,
  hasher: ReturnType<typeof createMerkleHasher>,
  sha: Sha256,
): VerifiedEntry => {
  if (!isRecord(entry) || !isArray(entry.inclusionPath)) {
    throw new TraceError(
      'MALFORMED_INPUT',
      'a bundle entry needs leafIndex, eventHashId, digests, disclosures, inclusionPath',
    );
  }
  const leaf = { eventHashId: entry.eventHashId, digests: entry.digests };
  const leafHash = hasher.hashLeaf(formatLeaf(leaf));
  const path = entry.inclusionPath.map((hash) => base64ToBytes(hash));
  verifyInclusion(leafHash, { leafIndex: entry.leafIndex, treeSize, path }, rootHash, hasher);
  const fields = openDisclosures(leaf, entry.disclosures, sha);
  const hiddenFieldCount = leaf.digests.length - Object.keys(fields).length;
  if (hiddenFieldCount === 0) checkEventHashId(fields, entry.eventHashId, sha);
  return {
    leafIndex: entry.leafIndex,
    eventHashId: entry.eventHashId,
    fields,
    hiddenFieldCount,
    eventHashIdChecked: hiddenFieldCount === 0,
  };
};

// With every field in hand the viewer recomputes the CBV 2.0 event hash ID; the document's
// JSON-LD context, when the event used one, travels as the pseudo-field "@context".
const checkEventHashId = (
  fields: Record<string, unknown>,
  eventHashId: string,
  sha: Sha256,
): void => {
  const { '@context': context, ...event } = fields;
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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
