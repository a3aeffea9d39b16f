// CBV 2.0 event hash ID rules 10-12 sort by "UTF-8/ASCII code values", i.e. by Unicode code point.
// JavaScript's default sort compares UTF-16 code units, which agrees except where a character
// outside the BMP (a surrogate pair) meets one in U+E000-U+FFFF: only then pay for a comparator.
const SURROGATE = /[\uD800-\uDFFF]/;

// Moves surrogates (D800-DFFF) above E000-FFFF, keeping the order inside each range: comparing
// the first differing code unit so mapped compares the code points.
const rank = (unit: number): number =>
  unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;

const byCodePoint = (a: string, b: string): number => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
};

/** Sorts `items` in place by Unicode code point (UTF-8 byte order) and returns it. */
export const sortByCodePoint = (items: string[]): string[] => {
  if (items.length < 2) return items;
  return items.some((item) => SURROGATE.test(item)) ? items.sort(byCodePoint) : items.sort();
};
