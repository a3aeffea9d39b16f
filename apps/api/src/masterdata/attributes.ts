import type { Attributes } from './masterdata.dto.js';

// JSON with object members in sorted order: jsonb does not keep member order, so two attribute
// sets are the same when their sorted serialisations are.
const sortedJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${sortedJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

/** Whether two JSON values are equal, ignoring member order (and undefined members). */
export const isSameJson = (a: unknown, b: unknown): boolean => sortedJson(a) === sortedJson(b);

/** `value` without its undefined members (what JSON and jsonb would keep). */
export const withoutUndefined = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * `update` laid over `base`, one level deep for object members (an update of `address.city`
 * keeps the stored street): how EPCIS master data, which may carry some attributes only, updates
 * a record.
 */
export const mergeAttributes = (base: Attributes, update: Attributes): Attributes => {
  const merged: Attributes = { ...base };
  for (const [key, value] of Object.entries(update)) {
    const before = merged[key];
    merged[key] = isObject(before) && isObject(value) ? { ...before, ...value } : value;
  }
  return merged;
};
