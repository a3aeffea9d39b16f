import { base64ToBytes, bytesEqual, bytesToBase64 } from '../bytes.js';
import { isTraceError, TraceError } from '../errors.js';
import { computeEventHashId } from '../event-hash/index.js';
import type { Sha256 } from '../hash.js';
import { isArray } from '../is-array.js';
import { formatLeaf, hashDisclosure, parseDisclosure } from '../leaf/index.js';
import { HASH_SIZE, type MerkleHasher } from '../merkle/index.js';
import type { AuditLeaf, AuditMismatch } from './types.js';

export type CheckedLeaf =
  | { ok: true; leafHash: Uint8Array; eventHashIdChecked: boolean }
  | { ok: false; mismatch: AuditMismatch };

/** The pseudo-field that carries the document's JSON-LD context (docs/specs/leaf-format.md). */
const CONTEXT_FIELD = '@context';

/**
 * Checks one stored leaf against the stored event it commits to, in this order (the first
 * failure is the finding): its index is `expectedIndex`; its parts are readable; the leaf rebuilt
 * from the event hash ID and the digests of the disclosures (plus any withheld digests) hashes to
 * the stored leaf hash; the disclosures decode, each field once; with every field disclosed, the
 * fields reproduce the event hash ID; the disclosed eventID is the stored one; the stored
 * document, when given, equals the disclosed fields.
 */
export const checkLeaf = (
  leaf: AuditLeaf,
  expectedIndex: number,
  hasher: MerkleHasher,
  sha: Sha256,
): CheckedLeaf => {
  const at = { leafIndex: expectedIndex, eventId: eventIdOf(leaf) };
  const fail = (mismatch: Omit<AuditMismatch, 'leafIndex'>): CheckedLeaf => ({
    ok: false,
    mismatch: { ...at, ...mismatch },
  });
  if (!isRecord(leaf) || !Number.isSafeInteger(leaf.leafIndex)) {
    return fail({
      code: 'LEAF_MALFORMED',
      message: `the leaf after ${expectedIndex - 1} has no index`,
    });
  }
  if (leaf.leafIndex !== expectedIndex) {
    const found = `the next stored leaf is ${leaf.leafIndex}`;
    return fail({
      code: 'LEAF_INDEX_GAP',
      eventId: null,
      message:
        leaf.leafIndex > expectedIndex
          ? `leaf ${expectedIndex} is missing: ${found}`
          : `leaf ${leaf.leafIndex} is stored again (or out of order) where leaf ${expectedIndex} belongs`,
    });
  }
  const { eventHashId, disclosures, hiddenDigests = [] } = leaf;
  const storedHash = readHash(leaf.leafHash);
  if (storedHash === null) {
    return fail({
      code: 'LEAF_MALFORMED',
      message: `the stored leaf hash is not ${HASH_SIZE} bytes`,
    });
  }
  if (eventHashId === null && disclosures === null) {
    return fail({ code: 'LEAF_MALFORMED', message: 'no event is stored for this leaf' });
  }
  if (!isStringArray(disclosures) || !isStringArray(hiddenDigests)) {
    return fail({ code: 'LEAF_MALFORMED', message: 'the disclosures are not a list of strings' });
  }
  const digests = [...disclosures.map((d) => hashDisclosure(d, sha)), ...hiddenDigests];
  let recomputed: Uint8Array;
  try {
    recomputed = hasher.hashLeaf(formatLeaf({ eventHashId: eventHashId as string, digests }));
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return fail({ code: 'LEAF_MALFORMED', reason: error.code, message: error.message });
  }
  if (!bytesEqual(recomputed, storedHash)) {
    const [stored, again] = [bytesToBase64(storedHash), bytesToBase64(recomputed)];
    return fail({
      code: 'LEAF_HASH_MISMATCH',
      stored,
      recomputed: again,
      message: `stored leaf hash ${stored} ≠ recomputed ${again} (from the stored event hash ID and disclosures)`,
    });
  }
  let fields: Record<string, unknown>;
  try {
    fields = openFields(disclosures);
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return fail({ code: 'LEAF_MALFORMED', reason: error.code, message: error.message });
  }
  const eventHashIdChecked = hiddenDigests.length === 0;
  if (eventHashIdChecked) {
    const problem = checkEventHashId(fields, eventHashId as string, sha);
    if (problem) return fail(problem);
  }
  const disclosedId = fields.eventID;
  if (at.eventId !== null && disclosedId !== undefined && disclosedId !== at.eventId) {
    return fail({
      code: 'EVENT_ID_MISMATCH',
      stored: at.eventId,
      recomputed: JSON.stringify(disclosedId),
      message: `the stored eventID is not the committed eventID ${JSON.stringify(disclosedId)}`,
    });
  }
  if (leaf.document !== undefined) {
    const problem = compareDocument(leaf.document, fields);
    if (problem !== null) return fail({ code: 'DOCUMENT_MISMATCH', message: problem });
  }
  return { ok: true, leafHash: storedHash, eventHashIdChecked };
};

const eventIdOf = (leaf: AuditLeaf): string | null =>
  isRecord(leaf) && typeof leaf.eventId === 'string' ? leaf.eventId : null;

/** A stored hash, as bytes or base64, or null when it is not 32 bytes. */
export const readHash = (value: unknown): Uint8Array | null => {
  let bytes: Uint8Array | null = null;
  if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === 'string') {
    try {
      bytes = base64ToBytes(value);
    } catch {
      return null;
    }
  }
  return bytes?.length === HASH_SIZE ? bytes : null;
};

/** The disclosed fields by name (a field named twice is MALFORMED_INPUT). */
const openFields = (disclosures: readonly string[]): Record<string, unknown> => {
  const fields = new Map<string, unknown>();
  for (const disclosure of disclosures) {
    const { name, value } = parseDisclosure(disclosure);
    if (fields.has(name)) {
      throw new TraceError('MALFORMED_INPUT', `field ${name} is disclosed twice`);
    }
    fields.set(name, value);
  }
  // fromEntries defines own properties, so a field named "__proto__" stays a field.
  return Object.fromEntries(fields);
};

const checkEventHashId = (
  fields: Record<string, unknown>,
  eventHashId: string,
  sha: Sha256,
): Omit<AuditMismatch, 'leafIndex' | 'eventId'> | null => {
  const { [CONTEXT_FIELD]: context, ...event } = fields;
  let computed: string;
  try {
    computed = computeEventHashId(event, { context, sha });
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return {
      code: 'EVENT_HASH_MISMATCH',
      reason: error.code,
      message: `the committed fields have no CBV 2.0 event hash ID: ${error.message}`,
    };
  }
  if (computed === eventHashId) return null;
  return {
    code: 'EVENT_HASH_MISMATCH',
    stored: eventHashId,
    recomputed: computed,
    message: `stored event hash ID ${eventHashId} ≠ recomputed ${computed} (from the committed fields)`,
  };
};

/** Why the stored document is not the committed event (every field but @context), or null. */
const compareDocument = (document: unknown, fields: Record<string, unknown>): string | null => {
  if (!isRecord(document)) return 'the stored document is not a JSON object';
  for (const name of Object.keys(document).sort()) {
    if (!Object.hasOwn(fields, name)) {
      return `the stored document has a member ${JSON.stringify(name)} that is not committed`;
    }
    if (!jsonEqual(document[name], fields[name])) {
      return `the stored document's ${JSON.stringify(name)} differs from the committed value`;
    }
  }
  for (const name of Object.keys(fields).sort()) {
    if (name !== CONTEXT_FIELD && !Object.hasOwn(document, name)) {
      return `the committed field ${JSON.stringify(name)} is missing from the stored document`;
    }
  }
  return null;
};

/** Equality of JSON values, object members in any order. */
const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (isArray(a) || isArray(b)) {
    return (
      isArray(a) && isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
    );
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
  );
};

const isStringArray = (value: unknown): value is readonly string[] =>
  isArray(value) && value.every((item) => typeof item === 'string');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !isArray(value) && !(value instanceof Uint8Array);
