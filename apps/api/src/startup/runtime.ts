import { join } from 'node:path';

import { applyMigrations, type EmbeddedPostgres, startEmbeddedPostgres } from '@traceroot/db';
import { formatRulesExtension, RULE_SET, ruleSetHash } from '@traceroot/trace';
import { nodeDisclosureCodec, nodeRfc6962, nodeSha256 } from '@traceroot/trace/node';

import type { CaptureLimits } from '../capture/capture-limits.js';
import type { LedgerConfig } from '../ledger/ledger.config.js';
import { resolveLogKey } from '../ledger/log-key.js';
import { type KeyEncryptionKeys, resolveKeks } from '../privacy/kek.js';

/** What the process needs before Nest starts: a migrated database and the log's key. */
export type Runtime = {
  databaseUrl: string;
  /** Set when no DATABASE_URL was given: the embedded PGlite under DATA_DIR. */
  embedded: EmbeddedPostgres | undefined;
  ledger: LedgerConfig;
  captureLimits: CaptureLimits;
  generatedLogKey: boolean;
  /** The key-encryption keys of partner and private fields (docs/specs/privacy.md). */
  keks: KeyEncryptionKeys;
  /** True when no KEK was configured and a development one was generated under DATA_DIR. */
  generatedKek: boolean;
};

export type RuntimeSettings = {
  databaseUrl?: string | undefined;
  dataDir: string;
  logOrigin?: string | undefined;
  logSigningKey?: string | undefined;
  logSigningKeyFile?: string | undefined;
  /** TRACEROOT_KEK / TRACEROOT_KEK_FILE. */
  kek?: string | undefined;
  kekFile?: string | undefined;
  /** TRACEROOT_RULES: `off` → checkpoints name no rule set. */
  rules?: 'on' | 'off';
  /** Name for a generated development key (embedded default only), e.g. `localhost:3000/log`. */
  devOrigin: string;
  sealIntervalMs: number;
  sealBatchSize: number;
  captureLimit: number;
  captureMaxBytes: number;
  /** Apply the migrations (default); the workers of API_WORKERS skip it: their primary did it. */
  migrate?: boolean;
};

/** Applies the migrations to the database at `url` (the primary of API_WORKERS processes does it once). */
export const migrateDatabase = (url: string): Promise<unknown> => applyMigrations(url);

/**
 * Resolves the database (DATABASE_URL, else an embedded PGlite kept under DATA_DIR), applies
 * the migrations in-process, and resolves the log signing key (configured, key file, or — for the
 * embedded default only — a development key generated once under DATA_DIR).
 */
export const prepareRuntime = async (settings: RuntimeSettings): Promise<Runtime> => {
  const embedded = settings.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(join(settings.dataDir, 'pglite'));
  const databaseUrl = settings.databaseUrl ?? embedded!.url;
  try {
    if (settings.migrate !== false) await applyMigrations(databaseUrl);
    const key = await resolveLogKey({
      signingKey: settings.logSigningKey,
      signingKeyFile: settings.logSigningKeyFile,
      origin: settings.logOrigin,
      devKeyFile: embedded ? join(settings.dataDir, 'log-signing.key') : undefined,
      devOrigin: settings.devOrigin,
    });
    const { keks, generated: generatedKek } = await resolveKeks({
      keys: settings.kek,
      file: settings.kekFile,
      devFile: join(settings.dataDir, 'kek.key'),
    });
    return {
      databaseUrl,
      embedded,
      generatedLogKey: key.generated,
      keks,
      generatedKek,
      captureLimits: { maxEvents: settings.captureLimit, maxBytes: settings.captureMaxBytes },
      ledger: {
        origin: key.origin,
        signer: key.signer,
        verifierKey: key.verifierKey,
        hasher: nodeRfc6962,
        sha: nodeSha256,
        disclosureCodec: nodeDisclosureCodec,
        // Each checkpoint commits to the rule set captures are checked against (issue 6 §3).
        checkpointExtensions:
          settings.rules === 'off'
            ? []
            : [
                formatRulesExtension({
                  version: RULE_SET.version,
                  hash: ruleSetHash(RULE_SET, nodeSha256),
                }),
              ],
        sealIntervalMs: settings.sealIntervalMs,
        sealBatchSize: settings.sealBatchSize,
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
};
