// The only reader of process.env (STYLE §3.6): parsed once at boot, failing fast with the names
// of bad variables and never their values (a DATABASE_URL carries a password).
import { z } from 'zod';

const MIB = 1024 * 1024;

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number, 0–65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a port number, 0–65535'));

// Digits only: the name says bytes, so "10mb" is a mistake worth failing on.
const byteCountSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive number of bytes')
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER, 'must be a positive number of bytes'));

/** Severity thresholds, lowest volume first; `info` is Nest's `log` level. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const caseInsensitiveEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));

const envSchema = z.object({
  PORT: portSchema.default(3000),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .optional(),
  /** Largest accepted request body, in bytes; also GS1-EPCIS-Capture-File-Size-Limit. */
  CAPTURE_MAX_BYTES: byteCountSchema.default(10 * MIB),
  /** Lowest severity that is written. */
  LOG_LEVEL: caseInsensitiveEnum(LOG_LEVELS).default('info'),
  /** `json`: one JSON object per line (production); `pretty`: Nest's coloured text (development). */
  LOG_FORMAT: caseInsensitiveEnum(['json', 'pretty']).default('json'),
  /** Where the embedded database and the development log key live (when DATABASE_URL is unset). */
  DATA_DIR: z.string().min(1).default('.data'),
  /** The web app's port (`npm start` runs it there); the default PUBLIC_BASE_URL is on it. */
  WEB_PORT: portSchema.default(3001),
  /**
   * The public base URL of the web app (Digital Links and pages are built on it); default
   * `http://localhost:$WEB_PORT`. Names the development log key (`<host>/log`).
   */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /**
   * `1`: on the first start of an empty embedded database, load the demo data (scenarios 1 and 2)
   * and print a product page's URL; `npm start` sets it unless asked not to. Default `0`.
   */
  TRACEROOT_DEMO: z
    .enum(['0', '1'], { error: 'must be 0 or 1' })
    .default('0')
    .transform((value) => value === '1'),
  /** The log's origin (first checkpoint line); defaults to the signing key's name. */
  LOG_ORIGIN: z
    .string()
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII without spaces')
    .optional(),
  /** The log's Ed25519 signer key (`traceroot keygen`); or LOG_SIGNING_KEY_FILE. */
  LOG_SIGNING_KEY: z
    .string()
    .startsWith('PRIVATE+KEY+', 'must be a signer key from `traceroot keygen`')
    .optional(),
  LOG_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /**
   * Key-encryption keys for the data keys of partner and private fields (docs/specs/privacy.md):
   * base64 32-byte AES keys, comma-separated, the first current; or TRACEROOT_KEK_FILE, one per
   * line. Neither: a development key generated once under DATA_DIR.
   */
  TRACEROOT_KEK: z.string().min(1).optional(),
  /**
   * `off`: captures are not checked against the published rules (events record no rule-set
   * version). For benchmarks and logs that publish no rules; default `on`.
   */
  TRACEROOT_RULES: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  TRACEROOT_KEK_FILE: z.string().min(1).optional(),
  /** Seal pending events at least this often (ms); 0 turns the timer off. */
  SEAL_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  /** At most this many events per checkpoint; a capture of this many nudges a seal at once. */
  SEAL_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** GS1-EPCIS-Capture-Limit: the most events one POST /capture may carry. */
  CAPTURE_LIMIT: z.coerce.number().int().min(1).default(10_000),
  /** API processes sharing PORT (node:cluster): a number, or `auto` for one per CPU. Default 1. */
  API_WORKERS: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(auto|[1-9]\d?)$/, 'must be auto or a number of processes, 1–99')
    .optional(),
  /** Scan telemetry: warn "many-scans" from this many scans of one item's code on. */
  SCAN_WARN_COUNT: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Scan telemetry: warn "far-apart" when two scans ≥ 100 km apart imply more than this speed. */
  SCAN_MAX_SPEED_KMH: z.coerce.number().positive().max(1_000_000).default(900),
  /** Scan telemetry: scans, and items not scanned since, older than this many days are deleted. */
  SCAN_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  /**
   * EPCIS queries: the longest one query's SQL may run (ms); longer → 413 QueryTooComplexException
   * (docs/specs/query.md). 0 disables the limit.
   */
  QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** Subscriptions: how often each process looks for due deliveries (ms). */
  SUBSCRIPTION_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(100),
  /** Subscriptions: the most events one callback carries. */
  SUBSCRIPTION_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** Subscriptions: a callback that has not answered after this many ms failed. */
  SUBSCRIPTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Subscriptions: the first retry's delay (ms); each further failure doubles it, with jitter. */
  SUBSCRIPTION_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
  /** Subscriptions: the longest delay between retries (ms). */
  SUBSCRIPTION_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
  /**
   * Subscriptions: `1` lets `dest` be a loopback, private, link-local or otherwise non-public
   * address (tests, a private network); `0` (default) refuses them (SSRF).
   */
  SUBSCRIPTION_ALLOW_PRIVATE_DEST: z
    .enum(['0', '1'], { error: 'must be 0 or 1' })
    .default('0')
    .transform((value) => value === '1'),
  /** An admin API key, accepted but never stored (for automation); it travels as a Bearer token. */
  TRACEROOT_BOOTSTRAP_API_KEY: z
    .string()
    .regex(/^[\x21-\x7e]{32,}$/, 'must be 32 or more visible ASCII characters')
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
