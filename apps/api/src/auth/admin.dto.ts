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
