import { bytesToBase64, hashDisclosure, type Sha256 } from '@traceroot/trace';

import type { StoredLeaf } from '../ledger/ledger.repository.js';

/**
 * One leaf as GET /log/leaves serves it: enough for anyone to rebuild the leaf and audit it
 * (`auditLog` of @traceroot/trace). The leaf bytes are `formatLeaf(eventHashId, digests)` where
 * the digests are those of `disclosures` plus `hiddenDigests`; with nothing hidden the disclosed
 * fields also reproduce `eventHashId`.
 */
export type LeafView = {
  leafIndex: number;
  /** The stored RFC 6962 leaf hash, base64. */
  leafHash: string;
  eventID: string | null;
  eventHashId: string | null;
  /** The SD-JWT disclosures of the fields this caller may see. */
  disclosures: string[];
  /** The digests of the fields withheld from this caller. */
  hiddenDigests: string[];
};

/** Which fields a caller may see, by field name. */
export type DisclosurePolicy = (field: string) => boolean;

/**
 * Every field is public today. The privacy work will decide per caller and field here: a
 * withheld field's digest still goes out (in hiddenDigests), so audits keep working.
 */
export const DISCLOSE_ALL: DisclosurePolicy = () => true;

/**
 * The public view of a stored leaf under `policy`. The stored disclosures column is read
 * defensively (it is what an audit checks): members that are not disclosure strings are left
 * out, which the audit then reports as a leaf that does not rebuild.
 */
export const leafView = (leaf: StoredLeaf, policy: DisclosurePolicy, sha: Sha256): LeafView => {
  const disclosures: string[] = [];
  const hiddenDigests: string[] = [];
  const stored =
    typeof leaf.disclosures === 'object' && leaf.disclosures !== null
      ? Object.entries(leaf.disclosures)
      : [];
  for (const [field, disclosure] of stored) {
    if (typeof disclosure !== 'string') continue;
    if (policy(field)) disclosures.push(disclosure);
    else hiddenDigests.push(hashDisclosure(disclosure, sha));
  }
  return {
    leafIndex: leaf.leafIndex,
    leafHash: bytesToBase64(leaf.leafHash),
    eventID: leaf.eventId,
    eventHashId: leaf.eventHashId,
    disclosures,
    hiddenDigests: hiddenDigests.sort(),
  };
};
