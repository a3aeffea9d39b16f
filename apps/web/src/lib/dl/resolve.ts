import {
  type DigitalLink,
  formatDigitalLink,
  GS1_DIGITAL_LINK_BASE,
  parseDigitalLink,
  TraceError,
} from '@traceroot/trace';

/**
 * What the Digital Link resolver does with a request for `/01/…` (GS1 Digital Link URI Syntax
 * 1.4, GS1-Conformant Resolver Standard 1.1): serve the product page, redirect to the canonical
 * path (301: GTIN-8/12/13 → GTIN-14, non-canonical percent-encoding), answer a link type (307)
 * or the linkset (RFC 9264), or refuse an invalid link (400, with the reason).
 */
export type Resolution =
  | { kind: 'page'; identifier: DigitalLink; path: string }
  | { kind: 'redirect'; status: 301 | 307; location: string }
  | { kind: 'linkset'; path: string }
  | { kind: 'invalid'; reason: string };

/** The link types this resolver knows, by compact name (the GS1 Web vocabulary, `gs1:`). */
export const LINK_TYPES = ['gs1:pip', 'gs1:epcis', 'gs1:traceability', 'gs1:recallStatus'] as const;
export type LinkType = (typeof LINK_TYPES)[number];
export const GS1_VOC = 'https://gs1.org/voc/';

/** `gs1:pip`, `https://gs1.org/voc/pip` or `pip` → 'gs1:pip'; anything else: undefined. */
export const linkTypeOf = (value: string): LinkType | undefined => {
  const name = value.startsWith(GS1_VOC) ? value.slice(GS1_VOC.length) : value.replace(/^gs1:/, '');
  return LINK_TYPES.find((t) => t === `gs1:${name}`);
};

/** The canonical path of a Digital Link's identifier: primary key and qualifiers only. */
export const canonicalPath = (dl: DigitalLink): string =>
  formatDigitalLink({ ...dl, dataAttributes: [], otherParams: [] }).slice(
    GS1_DIGITAL_LINK_BASE.length,
  );

const wantsLinkset = (accept: string | null): boolean =>
  (accept ?? '')
    .split(',')
    .some((part) => part.trim().toLowerCase().startsWith('application/linkset+json'));

/**
 * Resolves `pathname` + `search` (as received, still percent-encoded) with the request's Accept.
 * `links(path)` gives the targets of the link types for the canonical path.
 */
export const resolveDigitalLink = (
  pathname: string,
  search: string,
  accept: string | null,
  links: (path: string) => Partial<Record<LinkType, string>>,
): Resolution => {
  let dl: DigitalLink;
  try {
    dl = parseDigitalLink(GS1_DIGITAL_LINK_BASE + pathname + search);
  } catch (error) {
    if (error instanceof TraceError) return { kind: 'invalid', reason: error.message };
    throw error;
  }
  const path = canonicalPath(dl);
  const linkType = dl.otherParams.find(([name]) => name === 'linkType')?.[1];
  if (linkType === 'all' || (linkType === undefined && wantsLinkset(accept))) {
    return { kind: 'linkset', path };
  }
  if (linkType !== undefined) {
    const available = links(path);
    const type = linkTypeOf(linkType);
    // A link type this identifier lacks: the default link (Resolver Standard: "SHOULD redirect
    // to the default link").
    const target = (type && available[type]) ?? available['gs1:pip']!;
    return { kind: 'redirect', status: 307, location: target };
  }
  if (path !== pathname) {
    return { kind: 'redirect', status: 301, location: path + search };
  }
  return { kind: 'page', identifier: dl, path };
};

/** The canonical path of a page's route segments (`/01/[...path]`, decoded by Next), if valid. */
export const canonicalPathOfSegments = (segments: readonly string[]): string | undefined => {
  try {
    const uri = `${GS1_DIGITAL_LINK_BASE}/01/${segments.map(encodeURIComponent).join('/')}`;
    return canonicalPath(parseDigitalLink(uri));
  } catch (error) {
    if (error instanceof TraceError) return undefined;
    throw error;
  }
};
