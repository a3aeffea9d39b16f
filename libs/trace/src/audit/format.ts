import type { AuditMismatch, AuditProgress, AuditResult } from './types.js';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Where a finding is: `leaf 1234 (eventID …)` or `checkpoint of tree size 15` (or `#3`). */
export const formatAuditLocation = (mismatch: AuditMismatch): string => {
  if (mismatch.leafIndex !== undefined) {
    const event = mismatch.eventId ? ` (eventID ${mismatch.eventId})` : '';
    return `leaf ${mismatch.leafIndex}${event}`;
  }
  return mismatch.treeSize !== undefined
    ? `checkpoint of tree size ${mismatch.treeSize}`
    : `checkpoint #${(mismatch.checkpointIndex ?? 0) + 1}`;
};

/** `MISMATCH at leaf 1234 (eventID …): stored leaf hash … ≠ recomputed …` */
export const formatAuditMismatch = (mismatch: AuditMismatch): string =>
  `MISMATCH at ${formatAuditLocation(mismatch)}: ${mismatch.message} [${mismatch.code}]`;

/** The one-line summary: `audited N leaves and M checkpoints: OK`, or the first mismatch. */
export const formatAuditResult = (result: AuditResult): string =>
  result.mismatch === undefined
    ? `audited ${count(result.leaves, 'leaf', 'leaves')} and ${count(result.checkpoints, 'checkpoint', 'checkpoints')}: OK`
    : formatAuditMismatch(result.mismatch);

/** A progress line for long audits. */
export const formatAuditProgress = (progress: AuditProgress): string =>
  `audit: ${count(progress.leaves, 'leaf', 'leaves')} and ${count(progress.checkpoints, 'checkpoint', 'checkpoints')} checked so far…`;
