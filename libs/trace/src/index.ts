// The public API of @traceroot/trace. Nothing else is importable (package.json "exports").
// Runs unchanged in Node ≥ 20 and in browsers: no Node built-ins, no Buffer, no clock, no
// randomness (they are parameters). The Node-only helpers live in '@traceroot/trace/node'.
export * from './errors.js';
export * from './bytes.js';
export * from './hash.js';
export * from './merkle/index.js';
export * from './checkpoint/index.js';
export * from './gs1/index.js';
export * from './event-hash/index.js';
export * from './leaf/index.js';
export * from './verify-bundle-with.js';
export * from './verify-bundle.js';
export * from './audit/index.js';
export * from './rules/index.js';
