import { createHash } from 'node:crypto';

import type { DisclosureCodec } from '../leaf/disclosure.js';

/**
 * The disclosure codec over Buffer and node:crypto: the same strings as the portable codec
 * (tested), without the intermediate byte arrays — a server commits every field of every event.
 */
export const nodeDisclosureCodec: DisclosureCodec = {
  encodeText: (text) => Buffer.from(text, 'utf8').toString('base64url'),
  encodeBytes: (bytes) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url'),
  digest: (disclosure) => createHash('sha256').update(disclosure, 'utf8').digest('base64url'),
};
