import { leavesOfNode } from './check-nodes.js';
import type { AuditMismatch, AuditProgress, AuditResult } from './types.js';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Where a finding is: `leaf 1234 (eventID …)`, `checkpoint of tree size 15` (or `#3`), or
 * `node level 2 index 5 (leaves [20, 24))`.
 */
export const formatAuditLocation = (mismatch: AuditMismatch): string => {
  if (mismatch.node !== undefined) {
    const { level, index } = mismatch.node;
    return `node level ${level} index ${index} (${leavesOfNode(level, index)})`;
  }
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

/**
 * The one-line summary: `audited N leaves and M checkpoints: OK` (`audited N leaves, M
 * checkpoints and K tree nodes: OK` when the stored nodes were checked), or the first mismatch.
 */
export const formatAuditResult = (result: AuditResult): string => {
  if (result.mismatch !== undefined) return formatAuditMismatch(result.mismatch);
  const leaves = count(result.leaves, 'leaf', 'leaves');
  const checkpoints = count(result.checkpoints, 'checkpoint', 'checkpoints');
  return result.nodes === undefined
    ? `audited ${leaves} and ${checkpoints}: OK`
    : `audited ${leaves}, ${checkpoints} and ${count(result.nodes, 'tree node', 'tree nodes')}: OK`;
};

/** A progress line for long audits. */
export const formatAuditProgress = (progress: AuditProgress): string =>
  `audit: ${count(progress.leaves, 'leaf', 'leaves')} and ${count(progress.checkpoints, 'checkpoint', 'checkpoints')} checked so far…`;
