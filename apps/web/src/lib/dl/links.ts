import { GS1_DIGITAL_LINK_BASE } from '@traceroot/trace';

import type { LinkType } from './resolve';

/**
 * The links a canonical Digital Link path resolves to: the product page (gs1:pip, the default),
 * the EPCIS 2.0 query for its events (gs1:epcis), its multi-hop trace (gs1:traceability), and,
 * when a recall applies, the page's recall notice (gs1:recallStatus).
 */
export const linksFor = (
  path: string,
  bases: { publicBase: string; apiPublic: string },
  /** Whether a recall applies: the linkset lists gs1:recallStatus only then. */
  recalled: boolean | 'unknown' = false,
): Partial<Record<LinkType, string>> => {
  const instance = path.includes('/21/');
  // The EPC of a serialised item is GTIN + serial; a lot or GTIN is an EPC class.
  const epc = GS1_DIGITAL_LINK_BASE + (instance ? path.replace(/\/10\/[^/]+/, '') : path);
  const parameter = instance ? 'MATCH_anyEPC' : 'MATCH_anyEPCClass';
  return {
    'gs1:pip': `${bases.publicBase}${path}`,
    'gs1:epcis': `${bases.apiPublic}/events?${parameter}=${encodeURIComponent(epc)}`,
    'gs1:traceability': `${bases.apiPublic}/trace/${encodeURIComponent(path)}?direction=both`,
    // For a redirect (`?linkType=gs1:recallStatus`, recall state not looked up): the page's recall
    // section, which says whether one was recorded.
    ...(recalled !== false ? { 'gs1:recallStatus': `${bases.publicBase}${path}#recall` } : {}),
  };
};

const TITLES: Record<LinkType, { title: string; type: string }> = {
  'gs1:pip': {
    title: 'Product information and journey, verified in your browser',
    type: 'text/html',
  },
  'gs1:epcis': { title: 'EPCIS 2.0 events of this item', type: 'application/ld+json' },
  'gs1:traceability': {
    title: 'Trace: everything upstream and downstream',
    type: 'application/json',
  },
  'gs1:recallStatus': { title: 'Recall notice', type: 'text/html' },
};

/** The RFC 9264 linkset (application/linkset+json) of a canonical path. */
export const linksetFor = (
  path: string,
  links: Partial<Record<LinkType, string>>,
  publicBase: string,
): { linkset: Record<string, unknown>[] } => {
  const entry: Record<string, unknown> = { anchor: `${publicBase}${path}` };
  for (const [type, href] of Object.entries(links) as [LinkType, string][]) {
    entry[`https://gs1.org/voc/${type.slice(4)}`] = [
      {
        href,
        ...TITLES[type],
        ...(type === 'gs1:pip' ? { hreflang: ['en', 'zh-CN'] } : {}),
      },
    ];
  }
  entry['https://gs1.org/voc/defaultLink'] = [{ href: links['gs1:pip'], ...TITLES['gs1:pip'] }];
  return { linkset: [entry] };
};
