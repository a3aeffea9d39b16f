import { base64ToBytes, bytesToBase64 } from '../bytes.js';
import { TraceError, type TraceErrorCode } from '../errors.js';

// Our one checkpoint extension line (docs/specs/checkpoint-format.md §"The chain line"):
// `traceroot.dev/prev <base64 SHA-256 of the previous checkpoint's note text>`. C2SP keeps no
// registry of extension lines, so the keyword is namespaced by a DNS name, the collision-avoidance
// convention C2SP itself recommends for key names and origins; no other ecosystem's line starts
// with it.

/** The first word of the chain extension line. */
export const PREV_EXTENSION_KEYWORD = 'traceroot.dev/prev';

const HASH_SIZE = 32;

/** The chain extension line naming the checkpoint whose note text hashes to `previousBodyHash`. */
export const formatPrevExtension = (previousBodyHash: Uint8Array): string => {
  if (!(previousBodyHash instanceof Uint8Array) || previousBodyHash.length !== HASH_SIZE) {
    throw new TraceError('MALFORMED_INPUT', `previous checkpoint hash must be ${HASH_SIZE} bytes`);
  }
  return `${PREV_EXTENSION_KEYWORD} ${bytesToBase64(previousBodyHash)}`;
};

const isPrevLine = (line: string): boolean =>
  line === PREV_EXTENSION_KEYWORD || line.startsWith(`${PREV_EXTENSION_KEYWORD} `);

/**
 * The hash named by the chain line among `extensions`, or null when there is none. A line whose
 * first word is the keyword must be exactly `keyword SP base64(32 bytes)` and appear at most once;
 * otherwise throws `code` (CHECKPOINT_MALFORMED for parsed text, MALFORMED_INPUT when formatting).
 */
export const readPrevExtension = (
  extensions: readonly string[],
  code: TraceErrorCode,
): Uint8Array | null => {
  let found: Uint8Array | null = null;
  for (const line of extensions) {
    if (!isPrevLine(line)) continue;
    if (found !== null) {
      throw new TraceError(code, `checkpoint: more than one "${PREV_EXTENSION_KEYWORD}" line`);
    }
    let hash: Uint8Array;
    try {
      hash = base64ToBytes(line.slice(PREV_EXTENSION_KEYWORD.length + 1));
    } catch (cause) {
      throw new TraceError(code, `checkpoint: "${PREV_EXTENSION_KEYWORD}" value is not base64`, {
        cause,
      });
    }
    if (hash.length !== HASH_SIZE) {
      throw new TraceError(
        code,
        `checkpoint: "${PREV_EXTENSION_KEYWORD}" value must be ${HASH_SIZE} bytes`,
      );
    }
    found = hash;
  }
  return found;
};
