import { open, seal } from './aead.js';
import { type SealedField, fieldAad, fieldsAad } from './sealed.js';

/**
 * The ciphertext of an event's hidden fields (format v2, docs/specs/privacy.md §4): one
 * AES-256-GCM message of the JSON object of their disclosures by field name, under the event's
 * key, bound to the event. Returned base64, as `events.sealed.c` stores it.
 */
export const sealFields = (
  eventKey: Uint8Array,
  eventId: string,
  disclosures: Readonly<Record<string, string>>,
): string =>
  seal(eventKey, Buffer.from(JSON.stringify(disclosures), 'utf8'), fieldsAad(eventId)).toString(
    'base64',
  );

/** The disclosure of one sealed field, from an opened event (openFields). */
export type OpenedFields = (name: string, field: SealedField) => string;

/**
 * Opens an event's sealed fields under its key: the one ciphertext `c` of format v2 (opened
 * once, here), or, for rows of format v1 (no `c`), each field's own ciphertext when asked for.
 * Throws when anything fails to authenticate or a field is not in the ciphertext; the caller
 * still checks each disclosure against its digest.
 */
export const openFields = (
  eventKey: Uint8Array,
  eventId: string,
  c: string | undefined,
): OpenedFields => {
  if (c === undefined) {
    return (name, field) =>
      open(eventKey, Buffer.from(field.c ?? '', 'base64'), fieldAad(eventId, name)).toString(
        'utf8',
      );
  }
  const all: unknown = JSON.parse(
    open(eventKey, Buffer.from(c, 'base64'), fieldsAad(eventId)).toString('utf8'),
  );
  return (name) => {
    const disclosure =
      typeof all === 'object' && all !== null && Object.hasOwn(all, name)
        ? (all as Record<string, unknown>)[name]
        : undefined;
    if (typeof disclosure !== 'string') throw new Error('not in the sealed fields');
    return disclosure;
  };
};
