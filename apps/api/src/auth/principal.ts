// Who is calling: what the guard attaches to a request and @CurrentPrincipal() hands a controller.

/**
 * What a key may do: `capture` (write), `query` (named queries), `admin` (administer its own
 * organization). Routes say which they need with @RequireScope(); see docs/specs/admin.md.
 */
export type ApiKeyScope = 'capture' | 'query' | 'admin';

export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['capture', 'query'];

export type Principal = {
  /** The organization every write is attributed to; null for an admin key of no organization. */
  readonly organizationId: string | null;
  /** The operator: administers every organization (holds `admin` whatever `scopes` say). */
  readonly isAdmin: boolean;
  /** The api_keys row; null for TRACEROOT_BOOTSTRAP_API_KEY, which is not stored. */
  readonly keyId: string | null;
  readonly scopes: readonly ApiKeyScope[];
};

/** The principal of TRACEROOT_BOOTSTRAP_API_KEY: an admin of no organization. */
export const BOOTSTRAP_PRINCIPAL: Principal = Object.freeze({
  organizationId: null,
  isAdmin: true,
  keyId: null,
  scopes: Object.freeze(['admin'] as const),
});
