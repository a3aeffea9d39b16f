import { base64ToBytes, bytesEqual, bytesToBase64 } from '../bytes.js';
import { isTraceError, TraceError } from '../errors.js';
import { computeEventHashId } from '../event-hash/index.js';
import type { Sha256 } from '../hash.js';
import { isArray } from '../is-array.js';
import {
  type AssembledEvent,
  assembleEvent,
  CONTEXT_FIELD,
  formatLeaf,
  hashDisclosure,
  ILMD_FIELD,
  ILMD_MEMBER_PREFIX,
  parseDisclosure,
} from '../leaf/index.js';
import { HASH_SIZE, type MerkleHasher } from '../merkle/index.js';
import type { AuditLeaf, AuditMismatch } from './types.js';

export type CheckedLeaf =
  | { ok: true; leafHash: Uint8Array; eventHashIdChecked: boolean }
  | { ok: false; mismatch: AuditMismatch };

/**
 * Checks one stored leaf against the stored event it commits to, in this order (the first
 * failure is the finding): its index is `expectedIndex`; its parts are readable; the leaf rebuilt
 * from the event hash ID and the digests of the disclosures (plus any withheld digests) hashes to
 * the stored leaf hash; the disclosures decode, each field once, and assemble into an event
 * (assembleEvent); with every field disclosed, the event reproduces the event hash ID; the
 * disclosed eventID is the stored one; the stored document, when given, is the assembled event
 * (less the fields it omits on purpose: compareDocument).
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
  let assembled: AssembledEvent;
  try {
    assembled = assembleEvent(openFields(disclosures));
  } catch (error) {
    if (!isTraceError(error)) throw error;
    return fail({ code: 'LEAF_MALFORMED', reason: error.code, message: error.message });
  }
  const eventHashIdChecked = hiddenDigests.length === 0;
  if (eventHashIdChecked) {
    const problem = checkEventHashId(assembled, eventHashId as string, sha);
    if (problem) return fail(problem);
  }
  const disclosedId = assembled.event.eventID;
  if (at.eventId !== null && disclosedId !== undefined && disclosedId !== at.eventId) {
    return fail({
      code: 'EVENT_ID_MISMATCH',
      stored: at.eventId,
      recomputed: JSON.stringify(disclosedId),
      message: `the stored eventID is not the committed eventID ${JSON.stringify(disclosedId)}`,
    });
  }
  if (leaf.document !== undefined) {
    const { documentOmits = [] } = leaf;
    if (!isStringArray(documentOmits)) {
      return fail({ code: 'LEAF_MALFORMED', message: 'documentOmits is not a list of strings' });
    }
    const withheld = hiddenDigests.length > 0;
    const problem = compareDocument(leaf.document, assembled, new Set(documentOmits), withheld);
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
  { event, context }: AssembledEvent,
  eventHashId: string,
  sha: Sha256,
): Omit<AuditMismatch, 'leafIndex' | 'eventId'> | null => {
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

/**
 * Why the stored document is not the assembled event, or null. Each document member must be a
 * disclosed member with an equal value (an `ilmd` object member by member: each of its members
 * a disclosed ILMD member, equal); each disclosed member must be in the document unless `omits`
 * names its field (`bizTransactionList`, `ilmd/<member>`, or `ilmd` for the whole ILMD); no field
 * that `omits` names may be in the document. Pseudo-fields (`@context`, `@ruleSet`, …) are no
 * event members: a document need not hold them, and one that does must hold the committed value.
 * With fields withheld (`withheld`), a document `ilmd: {}` may stand for ILMD members the auditor
 * cannot see.
 */
const compareDocument = (
  document: unknown,
  { event, context, pseudo }: AssembledEvent,
  omits: ReadonlySet<string>,
  withheld: boolean,
): string | null => {
  if (!isRecord(document)) return 'the stored document is not a JSON object';
  const committed = new Map(Object.entries(event));
  if (context !== undefined) committed.set(CONTEXT_FIELD, context);
  for (const [name, value] of Object.entries(pseudo)) committed.set(name, value);
  const ilmd = committed.get(ILMD_FIELD);
  for (const name of Object.keys(document).sort()) {
    const shown = document[name];
    if (omits.has(name)) return `the stored document shows ${q(name)}, which it says it omits`;
    if (name === ILMD_FIELD && isRecord(shown) && (ilmd === undefined || isRecord(ilmd))) {
      const problem = compareIlmd(shown, ilmd, omits, withheld);
      if (problem !== null) return problem;
    } else if (!committed.has(name)) {
      return `the stored document has a member ${q(name)} that is not ${withheld ? 'disclosed' : 'committed'}`;
    } else if (!jsonEqual(shown, committed.get(name))) {
      return `the stored document's ${q(name)} differs from the committed value`;
    }
  }
  for (const [name, value] of committed) {
    if (name.startsWith('@') || Object.hasOwn(document, name) || omits.has(name)) continue;
    if (name === ILMD_FIELD && isRecord(value)) {
      const member = Object.keys(value)
        .sort()
        .find((m) => !omits.has(`${ILMD_MEMBER_PREFIX}${m}`));
      if (member === undefined) continue;
      return `the committed ILMD member ${q(member)} is missing from the stored document`;
    }
    return `the committed field ${q(name)} is missing from the stored document`;
  }
  return null;
};

/** compareDocument for the document's `ilmd` object and the committed one (if any). */
const compareIlmd = (
  shown: Record<string, unknown>,
  committed: Record<string, unknown> | undefined,
  omits: ReadonlySet<string>,
  withheld: boolean,
): string | null => {
  const names = Object.keys(shown).sort();
  if (committed === undefined) {
    const hasIlmd = withheld || [...omits].some((name) => name.startsWith(ILMD_MEMBER_PREFIX));
    if (names.length === 0 && hasIlmd) return null;
    const what = names.length === 0 ? 'a member "ilmd"' : `an ILMD member ${q(names[0]!)}`;
    return `the stored document has ${what} that is not ${withheld ? 'disclosed' : 'committed'}`;
  }
  for (const member of names) {
    const field = `${ILMD_MEMBER_PREFIX}${member}`;
    if (omits.has(field)) return `the stored document shows ${q(field)}, which it says it omits`;
    if (!Object.hasOwn(committed, member)) {
      return `the stored document has an ILMD member ${q(member)} that is not ${withheld ? 'disclosed' : 'committed'}`;
    }
    if (!jsonEqual(shown[member], committed[member])) {
      return `the stored document's ILMD member ${q(member)} differs from the committed value`;
    }
  }
  for (const member of Object.keys(committed).sort()) {
    if (!Object.hasOwn(shown, member) && !omits.has(`${ILMD_MEMBER_PREFIX}${member}`)) {
      return `the committed ILMD member ${q(member)} is missing from the stored document`;
    }
  }
  return null;
};

const q = (name: string): string => JSON.stringify(name);

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
