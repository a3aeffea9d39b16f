import { z } from 'zod';

/** POST /admin/organizations. The GLN's format and check digit are the service's to verify. */
export const createOrganizationSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  gln: z
    .string()
    .nullish()
    .transform((gln) => gln ?? undefined),
});

export type CreateOrganizationInput = z.output<typeof createOrganizationSchema>;

/** POST /admin/organizations → 201; `apiKey` is shown this once. */
export type CreatedOrganizationResponse = {
  id: string;
  name: string;
  gln: string | null;
  keyId: string;
  apiKey: string;
};

/** POST /admin/organizations/{id}/api-keys → 201; `apiKey` is shown this once. */
export type CreatedApiKeyResponse = { keyId: string; apiKey: string };

export type OrganizationResponse = {
  id: string;
  name: string;
  gln: string | null;
  createdAt: string;
};

const SCOPE_NAMES = ['capture', 'query', 'admin'] as const;

/**
 * POST /admin/organizations/{id}/api-keys (the body is optional). `scopes`: what the key may do,
 * non-empty, no duplicates (absent: capture and query); `expiresAt`: an ISO 8601 date-time with an
 * offset, in the future (absent: never). Whether it is in the future is the service's to check.
 */
export const createApiKeySchema = z.strictObject({
  scopes: z
    .array(z.enum(SCOPE_NAMES, { error: `must be one of ${SCOPE_NAMES.join(', ')}` }), {
      error: 'must be an array of scopes',
    })
    .min(1, 'must name at least one scope')
    .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope')
    .optional(),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' })
    .optional(),
});

export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;

/** POST /admin/organizations/{id}/api-keys → 201; `apiKey` is shown this once. */
export type CreatedApiKeyView = CreatedApiKeyResponse & {
  scopes: string[];
  /** ISO 8601; null: never expires. */
  expiresAt: string | null;
};

/** GET /admin/organizations/{id}/api-keys: one key, never its secret or the secret's hash. */
export type ApiKeyView = {
  keyId: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
};

/** GET /admin/actions: one recorded administrative action. */
export type AdminActionView = {
  id: string;
  at: string;
  action: string;
  actorKeyId: string | null;
  actorOrganizationId: string;
  organizationId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  /** The event that records it in the log (GET /events/{eventId}), and its leaf index. */
  eventId: string;
  leafIndex: number;
};
