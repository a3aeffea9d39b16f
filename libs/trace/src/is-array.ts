/**
 * Array.isArray as a type guard that keeps the declared element type: a value typed
 * `readonly T[]` may still be anything at run time (it came from JSON), and the built-in guard
 * would widen it to `any[]`.
 */
export const isArray = (value: unknown): value is readonly unknown[] => Array.isArray(value);
