// Character rules shared by notes, key names and checkpoint lines (internal, not exported from
// the package). C2SP signed-note §Format: "Signed notes MUST be valid UTF-8 and MUST NOT contain
// any ASCII control characters (those below U+0020) other than newline."
//
// A JavaScript string is UTF-16. It encodes to valid UTF-8 exactly when it holds no lone
// surrogate; TextEncoder would silently turn one into U+FFFD and sign bytes nobody wrote, so a
// lone surrogate counts as "not valid UTF-8" here. One pass over the code units, no regex (a
// regex with control characters in it trips eslint's no-control-regex and hides intent).

const NEWLINE = 0x0a;
const FIRST_PRINTABLE = 0x20;
const HIGH_SURROGATE_MIN = 0xd800;
const LOW_SURROGATE_MIN = 0xdc00;
const SURROGATE_END = 0xe000;

/**
 * The index of the first code unit that may not appear in a note (control character other
 * than "\n", or lone surrogate), or -1 when `text` is clean. Linear in `text.length`.
 */
export const indexOfForbidden = (text: string): number => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < FIRST_PRINTABLE) {
      if (c !== NEWLINE) return i;
    } else if (c >= HIGH_SURROGATE_MIN && c < SURROGATE_END) {
      const next = text.charCodeAt(i + 1); // NaN past the end: fails the range test below
      if (c >= LOW_SURROGATE_MIN || !(next >= LOW_SURROGATE_MIN && next < SURROGATE_END)) return i;
      i++; // a well-formed pair: skip its low half
    }
  }
  return -1;
};

/** Describes the code unit at `index` for an error message: `U+0007 at offset 12`. */
export const describeAt = (text: string, index: number): string =>
  `U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')} at offset ${index}`;

// Unicode White_Space is the set Go's unicode.IsSpace tests (x/mod/sumdb/note isValidName).
const SPACE_OR_PLUS = /[\p{White_Space}+]/u;

/**
 * Whether `name` is a valid note key name. C2SP signed-note §Format: "Key names MUST be
 * non-empty and MUST NOT contain any Unicode spaces or plus (U+002B) characters"; valid UTF-8 as
 * in Go's isValidName. We also refuse the other control characters (U+0000–U+001F), which are
 * all that remain outside White_Space: a name holding one could never appear on a signature line
 * of a valid note, so accepting it would only defer the failure.
 */
export const isValidKeyName = (name: string): boolean =>
  typeof name === 'string' &&
  name.length > 0 &&
  !SPACE_OR_PLUS.test(name) &&
  indexOfForbidden(name) === -1;
