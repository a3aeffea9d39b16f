import { isArray } from '../is-array.js';
import { TraceError } from '../errors.js';

// How an event's members become leaf fields and back (docs/specs/leaf-format.md, "Field names"):
// every top-level member is one field, except a non-empty `ilmd` object, whose members are one
// field each, named `ilmd/<member>`; names that start with `@` are the service's pseudo-fields
// (`@context`, the JSON-LD context of the document; `@ruleSet`, …), never part of the event.

/** The field that carries the document's JSON-LD context. */
export const CONTEXT_FIELD = '@context';
/** The event member whose own members are committed one by one. */
export const ILMD_FIELD = 'ilmd';
/** The name prefix of one ILMD member's field: `ilmd/cbvmda:lotNumber`. */
export const ILMD_MEMBER_PREFIX = `${ILMD_FIELD}/`;

/** Disclosed fields turned back into the EPCIS event they came from. */
export type AssembledEvent = {
  /** The event's members; `ilmd` merged from its `ilmd/<member>` fields (members sorted). */
  event: Record<string, unknown>;
  /** The `@context` field (the document's JSON-LD context), or undefined without one. */
  context: unknown;
  /** Every other field whose name starts with `@`: committed, but not part of the event. */
  pseudo: Record<string, unknown>;
};

/**
 * The leaf fields of an event, in member order: each top-level member is one field, except a
 * non-empty ILMD object, which gives one `ilmd/<member>` field per member (an empty or non-object
 * `ilmd` stays one field). Members whose value is undefined are skipped, as JSON would. Throws
 * INVALID_EVENT for a top-level member named `ilmd/…`, which would read back as an ILMD member.
 */
export const eventFields = (event: Readonly<Record<string, unknown>>): [string, unknown][] => {
  const fields: [string, unknown][] = [];
  for (const [name, value] of Object.entries(event)) {
    if (value === undefined) continue;
    if (name.startsWith(ILMD_MEMBER_PREFIX)) {
      throw new TraceError(
        'INVALID_EVENT',
        `the member ${JSON.stringify(name)} would be read back as an ILMD member`,
      );
    }
    const members = name === ILMD_FIELD && isRecord(value) ? definedMembers(value) : [];
    if (members.length === 0) fields.push([name, value]);
    else for (const [member, v] of members) fields.push([`${ILMD_MEMBER_PREFIX}${member}`, v]);
  }
  return fields;
};

/**
 * Turns disclosed fields (openDisclosures, a verdict entry's `fields`) back into the EPCIS event:
 * `ilmd/<member>` fields become the members of `event.ilmd` (sorted by code point: ILMD member
 * order means nothing to the event hash), `@context` becomes `context`, every other field named
 * `@…` goes to `pseudo`. Pure; a partial set of fields gives a partial event. Leaves committed
 * before ILMD was split hold one `ilmd` field: it is kept as it is. Throws MALFORMED_INPUT when
 * the fields are not an object, or hold both `ilmd` and an `ilmd/…` field.
 */
export const assembleEvent = (fields: Readonly<Record<string, unknown>>): AssembledEvent => {
  if (!isRecord(fields)) {
    throw new TraceError('MALFORMED_INPUT', 'the fields to assemble must be a JSON object');
  }
  const event = new Map<string, unknown>();
  const pseudo = new Map<string, unknown>();
  const ilmd: [string, unknown][] = [];
  let whole = false;
  let context: unknown;
  for (const [name, value] of Object.entries(fields)) {
    if (name === CONTEXT_FIELD) context = value;
    else if (name.startsWith('@')) pseudo.set(name, value);
    else if (name.startsWith(ILMD_MEMBER_PREFIX)) {
      // The event's ILMD takes the place of its first member among the fields.
      if (ilmd.length === 0 && !event.has(ILMD_FIELD)) event.set(ILMD_FIELD, undefined);
      ilmd.push([name.slice(ILMD_MEMBER_PREFIX.length), value]);
    } else {
      if (name === ILMD_FIELD) whole = true;
      event.set(name, value);
    }
  }
  if (ilmd.length > 0) {
    if (whole) {
      throw new TraceError(
        'MALFORMED_INPUT',
        'the fields hold the ILMD both whole ("ilmd") and member by member ("ilmd/…")',
      );
    }
    ilmd.sort(([a], [b]) => (a < b ? -1 : 1)); // names are distinct
    event.set(ILMD_FIELD, Object.fromEntries(ilmd));
  }
  // fromEntries defines own properties, so a member named "__proto__" stays a member.
  return { event: Object.fromEntries(event), context, pseudo: Object.fromEntries(pseudo) };
};

const definedMembers = (value: Record<string, unknown>): [string, unknown][] =>
  Object.entries(value).filter(([, v]) => v !== undefined);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !isArray(value) && !(value instanceof Uint8Array);
