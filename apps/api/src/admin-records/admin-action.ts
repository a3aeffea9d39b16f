// The record of administrative actions (issue 6 §4; docs/specs/admin.md): what an action is, and
// the EPCIS event that records it in the log. Pure: the clock and IDs are parameters.

/** Every administrative action the record knows. Closed on purpose: a new one is added here. */
export type AdminAction =
  | 'organization.create'
  | 'api-key.create'
  | 'api-key.revoke'
  | 'policy.update'
  | 'rules.mode'
  | 'organization.erase'
  | 'event.erase'
  | 'keys.rotate';

export const ADMIN_ACTIONS = [
  'organization.create',
  'api-key.create',
  'api-key.revoke',
  'policy.update',
  'rules.mode',
  'organization.erase',
  'event.erase',
  'keys.rotate',
] as const satisfies readonly AdminAction[];

/**
 * The organization that records admin actions in the log (the events' organization_id), and to
 * which actions of an operator key of no organization (the bootstrap key, an admin key without
 * an organization) are attributed. A fixed, well-known ID: created on first use, found again by
 * it, never configured.
 */
export const OPERATOR_ORGANIZATION_ID = '00000000-0000-4000-8000-000000000001';
export const OPERATOR_ORGANIZATION_NAME = 'Traceroot operator';

/** The JSON-LD namespace of the record's extension member. */
export const ADMIN_NAMESPACE = 'https://traceroot.dev/ns/admin#';
/** The extension member that carries the record in the event (prefix `traceroot`). */
export const ADMIN_EXTENSION = 'traceroot:adminAction';
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** One recorded action, as the admin_actions row and the event both state it. */
export type AdminRecord = {
  /** The row's ID; the event's eventID is `urn:uuid:<id>`. */
  id: string;
  at: Date;
  action: AdminAction;
  /** The API key that acted; null for the bootstrap key (which is not stored). */
  actorKeyId: string | null;
  /** The acting key's organization (the operator organization for a key of none). */
  actorOrganizationId: string;
  /** The organization acted upon; null for actions on none (keys.rotate). */
  organizationId: string | null;
  /** What was acted upon inside it (an API key ID, an eventID …); null: the organization. */
  target: string | null;
  /** The action's parameters: never a secret, never personal data. */
  details: Record<string, unknown>;
};

/** The eventID of the event that records action `id`. */
export const adminEventId = (id: string): string => `urn:uuid:${id}`;

/**
 * The EPCIS 2.0 event that records `record` in the log: an ObjectEvent that observes nothing
 * (`epcList: []`, no bizStep), at the time of the action, with one extension member,
 * `traceroot:adminAction` = `{ action, organization, target, actorKeyId, actorOrganization,
 * details }`. Returned with its `@context` (the EPCIS context plus the `traceroot` prefix).
 */
export const buildAdminEvent = (record: AdminRecord): Record<string, unknown> => ({
  '@context': [EPCIS_CONTEXT, { traceroot: ADMIN_NAMESPACE }],
  type: 'ObjectEvent',
  eventID: adminEventId(record.id),
  eventTime: record.at.toISOString(),
  eventTimeZoneOffset: '+00:00',
  epcList: [],
  action: 'OBSERVE',
  [ADMIN_EXTENSION]: {
    action: record.action,
    organization: record.organizationId,
    target: record.target,
    actorKeyId: record.actorKeyId,
    actorOrganization: record.actorOrganizationId,
    details: record.details,
  },
});
