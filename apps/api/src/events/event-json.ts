// Reading members of a stored EPCIS event (plain JSON) without trusting their shapes: a member of
// the wrong type reads as absent. Shared by the recall and the export code, which read events the
// trace returns.

/** `value` when it is a JSON object, else an empty one. */
export const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** `value` when it is an array, else an empty one. */
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `value` when it is a non-empty string. */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The last word of a CBV value in any of its forms: `recalled`, `cbv:Disp-recalled`, the CBV web
 * URI (`https://ref.gs1.org/cbv/BizStep-shipping`) or the EPCIS 1.x URN (`urn:epcglobal:cbv:disp:recalled`).
 */
export const cbvWord = (value: unknown): string | undefined => {
  const v = text(value);
  if (v === undefined) return undefined;
  const match = /(?:BizStep-|Disp-|SDT-|BTT-|bizstep:|disp:|sdt:|btt:)([A-Za-z_]+)$/.exec(v);
  return match ? match[1] : /^[A-Za-z_]+$/.test(v) ? v : undefined;
};
