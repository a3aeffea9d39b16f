import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/**
 * A SHA-256 implementation: bytes in, 32 bytes out. The default is @noble/hashes (portable, runs
 * in any browser); the server injects `node:crypto` through `@traceroot/trace/node`, which is
 * faster for large inputs. Every function of the library that hashes takes one as a parameter
 * with this default, so both sides compute the very same bytes.
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

export const sha256: Sha256 = (data) => nobleSha256(data);
