// What a principal may do: scopes (capture, query, admin) and which organizations it administers.
// Pure functions over a Principal, shared by ApiKeyGuard, the admin routes and any service that
// acts for an organization's administrator (docs/specs/admin.md).
import { DomainError } from '../common/errors/domain-error.js';
import type { ApiKeyScope, Principal } from './principal.js';

/**
 * The detail of every "no such organization" answer of the admin routes. One text whatever the
 * reason (the ID is unknown, malformed, or names an organization the caller may not administer),
 * and without the ID, so that probing another organization's ID gives exactly what probing an ID
 * that does not exist gives (issue 6 §5).
 */
export const ORGANIZATION_NOT_FOUND = 'no organization with this ID';

/** The 404 of an organization that does not exist, or that the caller may not administer. */
export const organizationNotFound = (): DomainError =>
  new DomainError('NOT_FOUND', ORGANIZATION_NOT_FOUND);

/** The 404 of an API key that does not exist, or that the caller may not administer (one text). */
export const apiKeyNotFound = (): DomainError =>
  new DomainError('NOT_FOUND', 'no API key with this ID');

/**
 * Whether `principal` holds `scope`. The operator (`isAdmin`: the bootstrap key or an is_admin
 * key) holds `admin` whatever its stored scopes; every other scope must be stored on the key.
 */
export const hasScope = (principal: Principal, scope: ApiKeyScope): boolean =>
  principal.scopes.includes(scope) || (scope === 'admin' && principal.isAdmin);

/** Throws FORBIDDEN (403) naming `scope` unless `principal` holds it. */
export const requireScope = (principal: Principal, scope: ApiKeyScope): void => {
  if (!hasScope(principal, scope)) {
    throw new DomainError(
      'FORBIDDEN',
      `this API key lacks the ${scope} scope, which this request needs`,
    );
  }
};

/**
 * Whether `principal` may administer organization `organizationId`: the operator may administer
 * every organization; a key with the `admin` scope only its own.
 */
export const canAdministerOrganization = (principal: Principal, organizationId: string): boolean =>
  principal.isAdmin ||
  (principal.scopes.includes('admin') &&
    principal.organizationId !== null &&
    principal.organizationId.toLowerCase() === organizationId.toLowerCase());

/**
 * Guards an action on organization `organizationId` (its /admin/organizations/{id}/… routes):
 * FORBIDDEN (403, naming the scope) for a key without the `admin` scope; NOT_FOUND (404, the same
 * problem as for an organization that does not exist) for an admin key of another organization.
 * It does not check that the organization exists: the operator passes for any ID, so the action
 * must answer a missing organization with organizationNotFound() itself.
 */
export const requireOrganizationAdmin = (principal: Principal, organizationId: string): void => {
  requireScope(principal, 'admin');
  if (!canAdministerOrganization(principal, organizationId)) throw organizationNotFound();
};
