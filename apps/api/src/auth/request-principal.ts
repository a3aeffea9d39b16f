import type { IncomingMessage } from 'node:http';

import type { Principal } from './principal.js';

// Kept beside the request rather than on it (as request-context.ts keeps request IDs), so no
// code can set a principal by writing a property.
const principals = new WeakMap<IncomingMessage, Principal | null>();

/** Records who `request` comes from: a principal, or null for an anonymous call to a public route. */
export const setPrincipal = (request: IncomingMessage, principal: Principal | null): void => {
  principals.set(request, principal);
};

/**
 * Who `request` comes from, as ApiKeyGuard decided: a principal, null for an anonymous call to a
 * @Public() route, undefined when the guard did not run (a wiring bug).
 */
export const getPrincipal = (request: IncomingMessage): Principal | null | undefined =>
  principals.get(request);
