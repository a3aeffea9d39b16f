import { DomainError } from '../common/errors/domain-error.js';
import type { Principal } from '../auth/principal.js';

/**
 * The organization a named-query request acts for: named queries and their subscriptions belong
 * to the organization whose key created them, and need a key with the `query` scope.
 */
export const queryOwnerOf = (principal: Principal): string => {
  if (principal.organizationId === null) {
    throw new DomainError(
      'FORBIDDEN',
      'this API key belongs to no organization: named queries belong to an organization',
    );
  }
  if (!principal.scopes.includes('query')) {
    throw new DomainError(
      'FORBIDDEN',
      'this API key lacks the query scope, which named queries need',
    );
  }
  return principal.organizationId;
};
