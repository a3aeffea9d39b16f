// Auditing a stored log (issue 3 §5): recompute every leaf and every checkpoint root, streaming.
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
  AuditOptions,
  AuditProgress,
  AuditResult,
  AuditSource,
  AuditStream,
} from './types.js';
