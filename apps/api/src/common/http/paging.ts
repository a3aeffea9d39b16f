import type { Request, Response } from 'express';

import { parseCount } from './parse-count.js';

/** The EPCIS binding's default page size (components.schemas.PerPage). */
export const DEFAULT_PER_PAGE = 30;
/** The most results one page holds; a larger perPage is served as this. */
export const MAX_PER_PAGE = 1000;

/** The page size a `perPage` query parameter asks for: default 30, at most MAX_PER_PAGE. */
export const pageSize = (perPage: string | undefined): number =>
  perPage === undefined
    ? DEFAULT_PER_PAGE
    : Math.min(parseCount(perPage, 'perPage', 1), MAX_PER_PAGE);

/**
 * While there are more results, the `Link: <…>; rel="next"` header of the EPCIS binding: the
 * request's own path and query with the next page's token and the page size used.
 */
export const setNextPageLink = (
  req: Request,
  res: Response,
  nextPageToken: string | null,
  perPage: number,
): void => {
  if (nextPageToken === null) return;
  const next = new URL(req.originalUrl, 'http://x');
  next.searchParams.set('nextPageToken', nextPageToken);
  next.searchParams.set('perPage', String(perPage));
  res.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
};
