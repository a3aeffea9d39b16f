import { isArray } from '../is-array.js';
import { bytesToUtf8, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';
import { eventFields } from './assemble-event.js';
import {
  type DisclosureCodec,
  formatDisclosure,
  portableDisclosureCodec,
  SALT_BYTES,
} from './disclosure.js';

// The leaf of one event in the log (docs/specs/leaf-format.md):
//
//   traceroot-leaf/v1\n
//   <event hash ID>\n
//   <digest>\n            one per field, sorted ascending, no duplicates
//
// Plain text, so any tool can rebuild it; the order of digests is canonical (sorted), so a
// viewer who holds only digests rebuilds the same bytes and hence the same RFC 6962 leaf hash.

export const LEAF_VERSION = 'traceroot-leaf/v1';

export type EventLeaf = {
  /** The event's CBV 2.0 event hash ID (ni:///sha-256;…?ver=CBV2.0). */
  eventHashId: string;
  /** base64url SHA-256 digests of the event's field disclosures (the leaf bytes sort them). */
  digests: readonly string[];
};

export type CommittedEvent = {
  leaf: EventLeaf;
  /** The leaf's bytes: what the log's leaf hash is computed over. */
  leafData: Uint8Array;
  /**
   * One disclosure per field, by field name (`bizStep`, `ilmd/cbvmda:lotNumber`, `@context`); the
   * holder decides which to reveal to whom.
   */
  disclosures: Readonly<Record<string, string>>;
  /** The digest of each disclosure, by field name (the leaf's digests, by what they commit). */
  digestsByField: Readonly<Record<string, string>>;
};

const EVENT_ID_PATTERN = /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/;
const DIGEST_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Commits to an EPCIS event: every top-level member becomes a salted disclosure — except a
 * non-empty `ilmd` object, whose members become one disclosure each, named `ilmd/<member>` — and
 * the leaf carries their digests and the event hash ID (computed by the caller over the whole
 * event). Members named `@…` are pseudo-fields (`@context`, `@ruleSet`): committed like the others,
 * never part of the event (assembleEvent). `randomBytes(n)` must come from a CSPRNG
 * (crypto.getRandomValues in a browser, node:crypto on the server). Throws INVALID_EVENT for a
 * top-level member named `ilmd/…`.
 */
export const commitEvent = (
  event: Readonly<Record<string, unknown>>,
  eventHashId: string,
  randomBytes: (length: number) => Uint8Array,
  /** The SHA-256 to use, or a whole codec (e.g. nodeDisclosureCodec on a server). */
  encoding: Sha256 | DisclosureCodec = sha256,
): CommittedEvent => {
  assertEventHashId(eventHashId);
  const codec = typeof encoding === 'function' ? portableDisclosureCodec(encoding) : encoding;
  const entries = eventFields(event).map(([name, value]): [string, string] => [
    name,
    formatDisclosure(randomBytes(SALT_BYTES), name, value, codec),
  ]);
  // fromEntries defines own properties, so a field named "__proto__" keeps its disclosure.
  const disclosures: Record<string, string> = Object.fromEntries(entries);
  const digests = entries.map(([, d]) => codec.digest(d));
  const digestsByField: Record<string, string> = Object.fromEntries(
    entries.map(([name], i) => [name, digests[i]!]),
  );
  const leaf = { eventHashId, digests: [...digests].sort() };
  return { leaf, leafData: formatLeaf(leaf), disclosures, digestsByField };
};

/**
 * The leaf's bytes, digests in ascending order whatever order they are given in (so one leaf has
 * one byte form). Throws MALFORMED_INPUT for a malformed ID or digest, or a repeated digest.
 */
export const formatLeaf = (leaf: EventLeaf): Uint8Array => {
  assertEventHashId(leaf.eventHashId);
  if (!isArray(leaf.digests)) {
    throw new TraceError('MALFORMED_INPUT', 'leaf digests must be an array');
  }
  leaf.digests.forEach((digest, i) => {
    if (typeof digest !== 'string' || !DIGEST_PATTERN.test(digest)) {
      throw new TraceError('MALFORMED_INPUT', `leaf digest ${i} is not a base64url SHA-256 digest`);
    }
  });
  const digests = [...leaf.digests].sort();
  if (digests.some((digest, i) => i > 0 && digest === digests[i - 1])) {
    throw new TraceError('MALFORMED_INPUT', 'a leaf digest is repeated');
  }
  return utf8ToBytes(
    [LEAF_VERSION, leaf.eventHashId, ...digests].map((line) => `${line}\n`).join(''),
  );
};

/** Parses leaf bytes back into their parts; the inverse of formatLeaf (strict: sorted digests). */
export const parseLeaf = (leafData: Uint8Array): EventLeaf => {
  const text = bytesToUtf8(leafData);
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines[0] !== LEAF_VERSION || lines.length < 2) {
    throw new TraceError('MALFORMED_INPUT', `not a ${LEAF_VERSION} leaf`);
  }
  const leaf = { eventHashId: lines[1]!, digests: lines.slice(2) };
  if (bytesToUtf8(formatLeaf(leaf)) !== text) {
    throw new TraceError('MALFORMED_INPUT', 'leaf digests are not in ascending order');
  }
  return leaf;
};

const assertEventHashId = (eventHashId: unknown): void => {
  if (typeof eventHashId !== 'string' || !EVENT_ID_PATTERN.test(eventHashId)) {
    throw new TraceError('MALFORMED_INPUT', 'the leaf event ID must be a CBV 2.0 event hash ID');
  }
};
