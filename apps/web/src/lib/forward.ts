import { API_TIMEOUT_MS, apiUrl } from './api-config';

/**
 * Forwards a browser's request to the API and its answer back (status, JSON or problem body),
 * without the browser's headers: no cookie, no address, no user agent reaches the API.
 */
export const forwardToApi = async (
  path: string,
  init: { method?: string; body?: string } = {},
): Promise<Response> => {
  try {
    const response = await fetch(`${apiUrl()}${path}`, {
      method: init.method ?? 'GET',
      cache: 'no-store',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
      ...(init.body !== undefined
        ? { body: init.body, headers: { 'content-type': 'application/json' } }
        : {}),
    });
    return new Response(await response.text(), {
      status: response.status,
      headers: {
        'content-type': response.headers.get('content-type') ?? 'application/json',
        'cache-control': 'no-store',
      },
    });
  } catch {
    return Response.json(
      {
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'the ledger API did not answer',
      },
      { status: 503, headers: { 'content-type': 'application/problem+json' } },
    );
  }
};
