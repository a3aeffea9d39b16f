/**
 * Formats a path into a JSON value as an RFC 6901 JSON Pointer: `["eventList", 0, "a/b"]` →
 * `/eventList/0/a~1b`. `~` and `/` are escaped (§3); the empty path is the whole document ("").
 */
export const toJsonPointer = (path: readonly (string | number)[]): string =>
  path.map((token) => `/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
