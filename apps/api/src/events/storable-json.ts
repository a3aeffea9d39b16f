// JSON that PostgreSQL cannot store. RFC 8259 lets a string hold U+0000 and unpaired surrogates
// (`"\u0000"`, `"\ud800"`), and JSON.parse accepts both; PostgreSQL's jsonb and text refuse them
// (SQLSTATE 22P05, 22P02). An event carrying one would fail inside the capture transaction, so
// capture refuses it up front with a pointer to the string, like any other invalid field.

const NUL = String.fromCharCode(0);
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

const isUnstorable = (text: string): boolean => text.includes(NUL) || LONE_SURROGATE.test(text);

const escapeToken = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The RFC 6901 pointer (under `pointer`) of the first string or member name in `value` that
 * PostgreSQL cannot store, or null when there is none. `value` is parsed JSON.
 */
export const findUnstorable = (value: unknown, pointer = ''): string | null => {
  if (typeof value === 'string') return isUnstorable(value) ? pointer : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUnstorable(item, `${pointer}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const at = `${pointer}/${escapeToken(key)}`;
      if (isUnstorable(key)) return at;
      const found = findUnstorable(item, at);
      if (found !== null) return found;
    }
  }
  return null;
};

/** The message for a string {@link findUnstorable} found at `pointer`. */
export const unstorableMessage = (pointer: string): string =>
  `${storableText(pointer) || 'The body'} contains U+0000 or an unpaired UTF-16 surrogate, which cannot be stored: send well-formed Unicode text`;

/** `text` with every character PostgreSQL cannot store replaced by U+FFFD (for messages, never events). */
export const storableText = (text: string): string =>
  text.replaceAll(NUL, '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
