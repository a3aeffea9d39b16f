// RFC 6901 JSON pointers: how every failure names the place in the submitted body.

/** The pointer to member `key` (or element `key`) of the value at `pointer` (RFC 6901 §3). */
export const childPointer = (pointer: string, key: string | number): string =>
  typeof key === 'number' || (!key.includes('~') && !key.includes('/'))
    ? `${pointer}/${key}`
    : `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** The value `pointer` names inside `root`, or undefined when there is none (RFC 6901 §4). */
export const resolvePointer = (root: unknown, pointer: string): unknown => {
  if (pointer === '') return root;
  let node = root;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
};

const MAX_SHOWN = 80;

/** A value as a message quotes it: JSON, shortened to stay readable. */
export const showValue = (value: unknown): string => {
  // Bodies are parsed JSON; the fallback only guards against values JSON cannot write.
  const text =
    value === undefined
      ? 'nothing'
      : ((JSON.stringify(value) as string | undefined) ?? `(a ${typeof value})`);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
};
