// Auditing a stored log (issue 3 §5): recompute every leaf, every checkpoint root and every stored
// tree node, streaming.
export { auditLog } from './audit-log.js';
export { AUDIT_MISMATCH_CODES } from './types.js';
export {
  formatAuditLocation,
  formatAuditMismatch,
  formatAuditProgress,
  formatAuditResult,
} from './format.js';
export type {
  AuditCheckpoint,
  AuditLeaf,
  AuditMismatch,
  AuditMismatchCode,
  AuditNode,
  AuditNodeSource,
  AuditOptions,
  AuditProgress,
  AuditResult,
  AuditSource,
  AuditStream,
} from './types.js';
