import { isArray } from './is-array.js';
import { base64ToBytes, bytesToBase64 } from './bytes.js';
import { openCheckpointWith } from './checkpoint/checkpoint.js';
import type { NoteVerifier } from './checkpoint/note-key.js';
import { isTraceError, TraceError, type TraceErrorCode } from './errors.js';
import { type Sha256, sha256 } from './hash.js';
import { type AssembledEvent, assembleEvent, formatLeaf, openDisclosures } from './leaf/index.js';
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
  /**
   * The disclosed fields, each checked against the leaf, as committed: one per top-level member,
   * `ilmd/<member>` per ILMD member, pseudo-fields such as `@context` (docs/specs/leaf-format.md).
   */
  fields: Record<string, unknown>;
  /**
   * The EPCIS event the disclosed fields make (assembleEvent): ILMD members merged into `ilmd`,
   * pseudo-fields (`@…`) left out. Partial when fields are hidden.
   */
  event: Record<string, unknown>;
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

export type VerifyWithOptions = VerifyOptions & {
  /**
   * Recomputes the CBV 2.0 event hash ID from a fully disclosed event (assembled from its fields,
   * with its `@context`) and throws LEAF_MISMATCH when it differs (verifyTraceBundle passes the
   * library's). Without it that one step is skipped and `eventHashIdChecked` is false: the fields
   * are still checked against the leaf's digests.
   */
  eventHashIdCheck?: (assembled: AssembledEvent, eventHashId: string, sha: Sha256) => void;
};

/**
 * verifyTraceBundle with parsed keys (e.g. from prepareNoteVerifier over WebCrypto) and the event
 * hash ID check injected: the same verdicts, and a browser bundle that imports only this carries
 * neither Ed25519 arithmetic nor the CBV canonicalisation tables. Never throws on bad input.
 */
export const verifyTraceBundleWith = (
  bundle: TraceBundle,
  verifiers: readonly NoteVerifier[],
  options: VerifyWithOptions = {},
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
    const { checkpoint, verifiedBy } = openCheckpointWith(bundle.checkpoint, verifiers, {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    const hasher = createMerkleHasher(sha);
    const entries = bundle.entries.map((entry, i) => {
      entryIndex = i;
      return verifyEntry(
        entry,
        checkpoint.treeSize,
        checkpoint.rootHash,
        hasher,
        sha,
        options.eventHashIdCheck,
      );
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
  eventHashIdCheck: VerifyWithOptions['eventHashIdCheck'],
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
  const assembled = assembleEvent(fields);
  const hiddenFieldCount = leaf.digests.length - Object.keys(fields).length;
  const checked = hiddenFieldCount === 0 && eventHashIdCheck !== undefined;
  if (checked) eventHashIdCheck(assembled, entry.eventHashId, sha);
  return {
    leafIndex: entry.leafIndex,
    eventHashId: entry.eventHashId,
    fields,
    event: assembled.event,
    hiddenFieldCount,
    eventHashIdChecked: checked,
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
