import { isArray } from '../is-array.js';
import { TraceError } from '../errors.js';
import { type Sha256, sha256 } from '../hash.js';
import { hashDisclosure, parseDisclosure } from './disclosure.js';
import type { EventLeaf } from './event-leaf.js';

/**
 * Checks each disclosure against the leaf's digests and returns the disclosed fields by name.
 * Throws LEAF_MISMATCH when a disclosure is not committed in the leaf (a field was altered or
 * invented), MALFORMED_INPUT when one is undecodable or a field name repeats.
 */
export const openDisclosures = (
  leaf: EventLeaf,
  disclosures: readonly string[],
  sha: Sha256 = sha256,
): Record<string, unknown> => {
  if (!isArray(disclosures)) {
    throw new TraceError('MALFORMED_INPUT', 'disclosures must be an array');
  }
  const committed = new Set(leaf.digests);
  const fields = new Map<string, unknown>();
  for (const disclosure of disclosures) {
    if (typeof disclosure !== 'string') {
      throw new TraceError('MALFORMED_INPUT', 'a disclosure must be a string');
    }
    const { name, value } = parseDisclosure(disclosure);
    if (!committed.has(hashDisclosure(disclosure, sha))) {
      throw new TraceError(
        'LEAF_MISMATCH',
        `the disclosed field ${name} is not the one the leaf commits to`,
      );
    }
    if (fields.has(name)) {
      throw new TraceError('MALFORMED_INPUT', `field ${name} is disclosed twice`);
    }
    fields.set(name, value);
  }
  // fromEntries defines own properties, so a field named "__proto__" stays a field.
  return Object.fromEntries(fields);
};
