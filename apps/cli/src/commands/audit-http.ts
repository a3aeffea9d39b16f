// Reading a Traceroot log's public endpoints (issue 3 §4) for `traceroot audit --url` and
// `traceroot monitor`. Everything the service answers is untrusted: it is checked by the callers.
import type { AuditCheckpoint, AuditLeaf } from '@traceroot/trace';

import { CliError } from '../cli-error.js';

const TIMEOUT_MS = 30_000;
/** Leaves and checkpoints per request: the service's maximum page. */
export const PAGE_SIZE = 1000;

/** The log could not be read (network, timeout, an HTTP error): worth retrying later. */
export class LogUnavailableError extends CliError {
  constructor(message: string) {
    super('IO', message);
  }
}

/** An HTTP answer that is not 2xx; `status` lets callers tell "not found" from a failure. */
export class HttpStatusError extends LogUnavailableError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type LogClient = {
  /** The base URL as given (it may carry a path prefix). */
  readonly baseUrl: URL;
  getText(path: readonly string[], query?: Record<string, string | number>): Promise<string>;
  getJson(path: readonly string[], query?: Record<string, string | number>): Promise<unknown>;
};

/** A client for the log served at `text` (http or https); usage error when it is not a URL. */
export const logClient = (text: string, flag = 'URL'): LogClient => {
  let baseUrl: URL;
  try {
    baseUrl = new URL(text);
  } catch {
    throw new CliError('USAGE', `${flag} ${text} is not a URL`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new CliError('USAGE', `${flag} must be an http:// or https:// URL`);
  }
  const getText = async (path: readonly string[], query: Record<string, string | number> = {}) => {
    const url = new URL(baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.map(encodeURIComponent).join('/')}`;
    url.search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    url.hash = '';
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    } catch (error) {
      const reason =
        error instanceof Error && error.cause instanceof Error
          ? error.cause.message
          : String(error);
      throw new LogUnavailableError(`cannot reach the log at ${url.origin}: ${reason}`);
    }
    const body = await response.text();
    if (!response.ok) {
      throw new HttpStatusError(
        response.status,
        `GET ${url.pathname}${url.search}: HTTP ${response.status}: ${problemDetail(body) ?? response.statusText}`,
      );
    }
    return body;
  };
  return {
    baseUrl,
    getText,
    getJson: async (path, query) => {
      const text = await getText(path, query);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CliError('IO', `GET /${path.join('/')}: the answer is not JSON`);
      }
    },
  };
};

const problemDetail = (text: string): string | undefined => {
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    return typeof detail === 'string' ? detail : undefined;
  } catch {
    return undefined;
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A page of GET /log/leaves or /log/checkpoints: its items and where the next one starts, which
 * must be after `after` (the start of this page). A service may serve shorter pages than asked.
 */
const readPage = (
  body: unknown,
  items: string,
  after: number,
): { items: unknown[]; next: number | null } => {
  const next = isRecord(body) ? body.next : undefined;
  if (
    !isRecord(body) ||
    !Array.isArray(body[items]) ||
    !(next === null || Number.isSafeInteger(next))
  ) {
    throw new CliError('IO', `GET /log/${items}: the answer is not a page of ${items}`);
  }
  // A next page that does not move forward would make the audit loop forever.
  if (next !== null && (next as number) <= after) {
    throw new CliError(
      'IO',
      `GET /log/${items}: the next page (${next as number}) is not after this one`,
    );
  }
  return { items: body[items] as unknown[], next: next as number | null };
};

/**
 * Every leaf of the log in index order, from GET /log/leaves, one page ahead (the next page is
 * fetched while this one is audited). The views are passed on as served: the auditor checks them.
 */
export async function* httpLeaves(client: LogClient): AsyncGenerator<AuditLeaf> {
  const fetchPage = (start: number) => {
    const page = client
      .getJson(['log', 'leaves'], { start, end: start + PAGE_SIZE })
      .then((body) => readPage(body, 'leaves', start));
    page.catch(() => undefined); // awaited below; never an unhandled rejection if abandoned
    return page;
  };
  let pending = fetchPage(0);
  for (;;) {
    const page = await pending;
    if (page.next !== null) pending = fetchPage(page.next);
    for (const item of page.items) {
      const leaf = isRecord(item) ? item : {};
      yield {
        leafIndex: leaf.leafIndex as number,
        leafHash: leaf.leafHash as string,
        eventId: typeof leaf.eventID === 'string' ? leaf.eventID : null,
        eventHashId: (leaf.eventHashId ?? null) as string | null,
        disclosures: (leaf.disclosures ?? null) as string[] | null,
        hiddenDigests: (leaf.hiddenDigests ?? []) as string[],
      };
    }
    if (page.next === null) return;
  }
}

/** Every signed checkpoint, smallest tree first, from GET /log/checkpoints. */
export async function* httpCheckpoints(client: LogClient): AsyncGenerator<AuditCheckpoint> {
  for (let start = 0; ;) {
    const body = await client.getJson(['log', 'checkpoints'], { start, limit: PAGE_SIZE });
    const page = readPage(body, 'checkpoints', start);
    for (const item of page.items) {
      const checkpoint = isRecord(item) ? item : {};
      yield {
        note: checkpoint.note as string,
        ...(Number.isSafeInteger(checkpoint.treeSize)
          ? { treeSize: checkpoint.treeSize as number }
          : {}),
      };
    }
    if (page.next === null) return;
    start = page.next;
  }
}
