import { bytesToHex, utf8ToBytes } from '../bytes.js';
import { type Sha256, sha256 } from '../hash.js';
import { type EpcisEvent, type PreHashOptions, formatEventPreHash } from './pre-hash.js';

/** Options of computeEventHashId: the document's JSON-LD context and the SHA-256 to use. */
export type EventHashOptions = PreHashOptions & { readonly sha?: Sha256 };

/** The CBV version the pre-hash rules follow, as the hash ID names it (CBV 2.0 event hash ID rule 24). */
export const EVENT_HASH_VERSION = 'CBV2.0';

/**
 * The hash ID of a pre-hash string (CBV 2.0 event hash ID rules 22-24, RFC 6920 `ni` URI):
 * `ni:///sha-256;<64 lower-case hex digits>?ver=CBV2.0`, the digest taken over the UTF-8 bytes.
 */
export const formatEventHashId = (preHash: string, sha: Sha256 = sha256): string =>
  `ni:///sha-256;${bytesToHex(sha(utf8ToBytes(preHash)))}?ver=${EVENT_HASH_VERSION}`;

/**
 * The EPCIS Event Hash ID of an EPCIS 2.0 JSON/JSON-LD event (GS1 CBV 2.0 event hash ID):
 * SHA-256 of formatEventPreHash(event, options), as `ni:///sha-256;…?ver=CBV2.0`. Equal for every
 * serialisation of the same event (key order, time zone, EPC URN vs Digital Link, short name vs
 * URI); an event's existing `eventID` does not take part. `options.context` is the document's
 * `@context` (needed to name user extensions); `options.sha` replaces the portable SHA-256.
 *
 * Throws `TraceError('INVALID_EVENT')` with the pointer of the offending field, as
 * formatEventPreHash does.
 */
export const computeEventHashId = (event: EpcisEvent, options: EventHashOptions = {}): string =>
  formatEventHashId(formatEventPreHash(event, options), options.sha);
