// Every way the core can refuse its input. The set is closed on purpose: the web app maps
// each code to a sentence and the API maps each code to an HTTP status, so adding a code makes
// the compiler point at every place that must learn it.
export type TraceErrorCode =
  /** Input has the wrong shape or encoding (not base64, wrong hash length, not an integer…). */
  | 'MALFORMED_INPUT'
  /** A GS1 identifier (Digital Link URI, EPC URN, GTIN…) is invalid; the message names the part. */
  | 'INVALID_IDENTIFIER'
  /** An EPCIS event cannot be hashed or committed (missing or ill-typed field). */
  | 'INVALID_EVENT'
  /** A leaf index or tree size lies outside the tree it is proved against. */
  | 'INDEX_OUT_OF_RANGE'
  /** A proof has more or fewer hashes than the tree shape requires. */
  | 'PROOF_SIZE_MISMATCH'
  /** A proof does not lead to the expected root hash. */
  | 'ROOT_MISMATCH'
  /** A checkpoint or signed note cannot be parsed. */
  | 'CHECKPOINT_MALFORMED'
  /** A signature by a trusted key does not verify. */
  | 'SIGNATURE_INVALID'
  /** No signature on the note comes from a trusted key. */
  | 'UNKNOWN_KEY'
  /** The checkpoint names another log (origin) than the one trusted. */
  | 'ORIGIN_MISMATCH'
  /** Disclosed fields or the event ID do not match the committed leaf. */
  | 'LEAF_MISMATCH'
  /** A checkpoint does not name the checkpoint before it (the hash chain is broken). */
  | 'CHAIN_MISMATCH';

export const TRACE_ERROR_CODES = [
  'MALFORMED_INPUT',
  'INVALID_IDENTIFIER',
  'INVALID_EVENT',
  'INDEX_OUT_OF_RANGE',
  'PROOF_SIZE_MISMATCH',
  'ROOT_MISMATCH',
  'CHECKPOINT_MALFORMED',
  'SIGNATURE_INVALID',
  'UNKNOWN_KEY',
  'ORIGIN_MISMATCH',
  'LEAF_MISMATCH',
  'CHAIN_MISMATCH',
] as const satisfies readonly TraceErrorCode[];

export class TraceError extends Error {
  override readonly name = 'TraceError';

  constructor(
    readonly code: TraceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isTraceError = (error: unknown): error is TraceError => error instanceof TraceError;
