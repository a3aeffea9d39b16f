import { createHash } from 'node:crypto';

import type { Sha256 } from '../hash.js';
import { createMerkleHasher } from '../merkle/hasher.js';

/**
 * SHA-256 through node:crypto (OpenSSL). The server injects it where it beats the portable
 * @noble/hashes (large inputs; see `npm run bench`). Output is a Buffer, which is a Uint8Array.
 */
export const nodeSha256: Sha256 = (data) => createHash('sha256').update(data).digest();

/** The RFC 6962 hasher over node:crypto. */
export const nodeRfc6962 = createMerkleHasher(nodeSha256);
