// The only reader of process.env (STYLE §3.6): parsed once at boot, failing fast with the names
// of bad variables and never their values (a DATABASE_URL carries a password).
import { z } from 'zod';

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number, 0–65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a port number, 0–65535'));

const envSchema = z.object({
  PORT: portSchema.default(3000),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Injection token for the parsed {@link Env}. */
export const ENV = Symbol('ENV');

export class InvalidEnvError extends Error {
  override readonly name = 'InvalidEnvError';

  constructor(
    readonly variables: readonly string[],
    details: readonly string[],
  ) {
    super(`Invalid environment variables: ${variables.join(', ')} (${details.join('; ')})`);
  }
}

/**
 * Parses and validates the environment. An empty variable counts as unset.
 * Throws {@link InvalidEnvError} naming every bad variable; values never appear in the message.
 */
export const loadEnv = (
  source: Readonly<Record<string, string | undefined>> = process.env,
): Env => {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;

  const details = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const variables = [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
  throw new InvalidEnvError(variables, details);
};
