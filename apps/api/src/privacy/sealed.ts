import type { SharingMode, Visibility } from './policy.js';

/**
 * One partner or private field as stored: its visibility and its digest. `c`: its own ciphertext
 * (base64), in rows sealed before the column's `c` existed (format v1); read, never written.
 */
export type SealedField = { v: Exclude<Visibility, 'public'>; d: string; c?: string };

/**
 * The events.sealed column: the event's sharing mode, its partner and private fields, and `c`
 * (format v2): one AES-256-GCM ciphertext (base64) of all their disclosures, a JSON object by
 * field name, under the event's key, bound to the event by fieldsAad.
 */
export type SealedColumn = {
  sharing: SharingMode;
  fields: Record<string, SealedField>;
  c?: string;
};

/** What the read paths need to decide, per viewer, which fields an event shows. */
export type Protection = {
  organizationId: string;
  sealed: SealedColumn | null;
  parties: readonly string[];
  ruleSet: string | null;
  ruleViolations: readonly unknown[] | null;
};

/** The columns every read of events selects for privacy (alias `e` for events). */
export const PROTECTION_COLUMNS =
  'e.organization_id, e.sealed, e.parties, e.rule_set, e.rule_violations';

export type ProtectionRow = {
  organization_id: string;
  sealed: SealedColumn | null;
  parties: string[] | null;
  rule_set: string | null;
  rule_violations: unknown[] | null;
};

export const protectionOf = (row: ProtectionRow): Protection => ({
  organizationId: row.organization_id,
  sealed: row.sealed ?? null,
  parties: row.parties ?? [],
  ruleSet: row.rule_set ?? null,
  ruleViolations: row.rule_violations ?? null,
});

/** Who reads: an organization (and its GLN), or nobody in particular (anonymous, the operator). */
export type Viewer = { organizationId: string | null; gln: string | null };

export const ANONYMOUS: Viewer = Object.freeze({ organizationId: null, gln: null });

/** AAD binding an event's fields ciphertext (v2) to the event (a ciphertext moved elsewhere fails). */
export const fieldsAad = (eventId: string): string => `traceroot-fields/v2\n${eventId}`;

/** AAD binding a field's ciphertext (v1) to its event and name. */
export const fieldAad = (eventId: string, name: string): string =>
  `traceroot-field/v1\n${eventId}\n${name}`;

/** AAD binding an event key to its event. */
export const eventKeyAad = (eventId: string): string => `traceroot-event-key/v1\n${eventId}`;

/** AAD binding an organization's data key to the organization. */
export const dataKeyAad = (organizationId: string): string =>
  `traceroot-data-key/v1\n${organizationId}`;
