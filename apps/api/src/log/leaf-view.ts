import { bytesToBase64 } from '@traceroot/trace';

import type { StoredLeaf } from '../ledger/ledger.repository.js';
import type { Revealed } from '../privacy/privacy.service.js';

/**
 * One leaf as GET /log/leaves serves it: enough for anyone to rebuild the leaf and audit it
 * (`auditLog` of @traceroot/trace), and to re-run the published rules (`traceroot rules check`).
 * The leaf bytes are `formatLeaf(eventHashId, digests)` where the digests are those of
 * `disclosures` plus `hiddenDigests`; with nothing hidden the disclosed fields also reproduce
 * `eventHashId`.
 */
export type LeafView = {
  leafIndex: number;
  /** The stored RFC 6962 leaf hash, base64. */
  leafHash: string;
  eventID: string | null;
  eventHashId: string | null;
  /** The SD-JWT disclosures of the fields this caller may see. */
  disclosures: string[];
  /** The digests of the fields withheld from this caller (or erased). */
  hiddenDigests: string[];
  /** Names of fields erased for everyone (their keys were destroyed). */
  erased: string[];
  /** Who recorded the event. */
  recordedBy: { organizationId: string; gln: string | null } | null;
  /** The rule-set version the event was checked against and the rule IDs it broke (flag mode). */
  rules: { version: string; violations: string[] } | null;
};

/**
 * The view of a stored leaf for one caller: `revealed` is what PrivacyService.reveal let the
 * caller see of its event (null when the event row is gone: the leaf then rebuilds from nothing,
 * which the audit reports). The stored disclosures column is read defensively (it is what an
 * audit checks): members that are not disclosure strings are left out.
 */
export const leafView = (leaf: StoredLeaf, revealed: Revealed | null): LeafView => {
  const disclosures =
    revealed === null ? storedStrings(leaf.disclosures) : Object.values(revealed.disclosures);
  const hiddenDigests = revealed?.hiddenDigests ?? [];
  const protection = leaf.protection;
  return {
    leafIndex: leaf.leafIndex,
    leafHash: bytesToBase64(leaf.leafHash),
    eventID: leaf.eventId,
    eventHashId: leaf.eventHashId,
    disclosures,
    hiddenDigests,
    erased: revealed?.erased ?? [],
    recordedBy:
      protection === null
        ? null
        : { organizationId: protection.organizationId, gln: leaf.organizationGln },
    rules:
      protection === null || protection.ruleSet === null
        ? null
        : {
            version: protection.ruleSet,
            violations: (protection.ruleViolations ?? []).map((v) =>
              typeof v === 'object' && v !== null
                ? String((v as { rule?: unknown }).rule)
                : String(v),
            ),
          },
  };
};

/** The string members of the stored disclosures column (an untrusted shape, for audits). */
export const stringMembers = (column: unknown): Record<string, string> =>
  typeof column === 'object' && column !== null
    ? Object.fromEntries(
        Object.entries(column).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : {};

const storedStrings = (column: unknown): string[] =>
  typeof column === 'object' && column !== null
    ? Object.values(column).filter((d): d is string => typeof d === 'string')
    : [];
