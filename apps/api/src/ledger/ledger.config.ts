import type { DisclosureCodec, MerkleHasher, NoteSigner, Sha256 } from '@traceroot/trace';

/** Resolved ledger settings (from the environment, see config/env.ts and log-key.ts). */
export type LedgerConfig = {
  /** The log's origin line, e.g. `trace.example.com/log`; the signer key carries the same name. */
  origin: string;
  signer: NoteSigner;
  /** The verifier key string published at GET /log/key. */
  verifierKey: string;
  hasher: MerkleHasher;
  /** The SHA-256 the server uses (node:crypto), for event hash IDs and disclosure digests. */
  sha: Sha256;
  /** How disclosures are encoded and hashed (node:crypto and Buffer); absent: the portable codec over `sha`. */
  disclosureCodec?: DisclosureCodec;
  /**
   * Extension lines every checkpoint carries after the chain line: the rule set in force
   * (`traceroot.dev/rules`, docs/specs/checkpoint-format.md), when captures are checked.
   */
  checkpointExtensions?: readonly string[];
  /** Seal at least this often (ms); 0 disables the timer (tests seal by hand). */
  sealIntervalMs: number;
  /** At most this many leaves per checkpoint; a capture of this many pending leaves nudges a seal. */
  sealBatchSize: number;
};

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
