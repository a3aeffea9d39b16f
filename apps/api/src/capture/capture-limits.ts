/** Limits advertised by OPTIONS /capture and enforced by validation and the body parser. */
export type CaptureLimits = { maxEvents: number; maxBytes: number };

export const CAPTURE_LIMITS = Symbol('CAPTURE_LIMITS');
