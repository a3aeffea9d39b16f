import { epcUriToDigitalLink, GS1_DIGITAL_LINK_BASE } from '@traceroot/trace';

import { API_TIMEOUT_MS, apiUrl, configuredVerifierKey } from '../api-config';
import type { ApiTrace, MasterRecord } from './api-types';

/** The API did not answer as expected: the page says "temporarily unavailable" (never a 500). */
export class ApiUnavailableError extends Error {
  override readonly name = 'ApiUnavailableError';
}

const getJson = async <T>(path: string, init?: RequestInit): Promise<T> => {
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}${path}`, {
      ...init,
      cache: 'no-store',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ApiUnavailableError(`the API did not answer ${path}`, { cause: error });
  }
  if (!response.ok) throw new ApiUnavailableError(`the API answered ${response.status} to ${path}`);
  return (await response.json()) as T;
};

/** Event and master data identifiers → the master data key (canonical Digital Link). */
export const canonicalize = (id: string): string => {
  if (!id.startsWith('urn:')) return id;
  try {
    return epcUriToDigitalLink(id);
  } catch {
    return id;
  }
};

const lookup = async (ids: readonly string[]): Promise<MasterRecord[]> => {
  if (ids.length === 0) return [];
  const body = await getJson<{ records: MasterRecord[] }>('/masterdata/lookup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ids }),
  });
  return body.records;
};

/** The backward trace of canonical `path` (with its proof bundle when asked). */
export const loadTrace = (path: string, options: { bundle: boolean }): Promise<ApiTrace> =>
  getJson<ApiTrace>(
    `/trace/${encodeURIComponent(path)}?direction=backward${options.bundle ? '&bundle=true' : ''}`,
  );

/** Everything the product page of canonical `path` shows: its backward trace with proofs and the master data it names. */
export const loadStory = async (
  path: string,
): Promise<{ trace: ApiTrace; masterData: MasterRecord[] }> => {
  const trace = await loadTrace(path, { bundle: true });
  const gtin = /^\/01\/(\d{14})/.exec(path)![1]!;
  const lot = /\/10\/([^/]+)/.exec(path)?.[1];
  const ids = new Set([
    `${GS1_DIGITAL_LINK_BASE}/01/${gtin}`,
    ...(lot ? [`${GS1_DIGITAL_LINK_BASE}/01/${gtin}/10/${lot}`] : []),
    ...trace.nodes.filter((n) => n.kind !== 'identifier').map((n) => canonicalize(n.id)),
  ]);
  const masterData = await lookup([...ids].slice(0, 500));
  // The parties that own the places, when master data names them.
  const owners = masterData
    .flatMap((r) => r.versions.map((v) => v.attributes.owningParty))
    .filter((p): p is string => typeof p === 'string')
    .map((pgln) => `${GS1_DIGITAL_LINK_BASE}/417/${pgln}`)
    .filter((id) => !ids.has(id));
  return {
    trace,
    masterData: [...masterData, ...(await lookup([...new Set(owners)].slice(0, 500)))],
  };
};

/**
 * The log verifier key the page trusts: `LOG_VERIFIER_KEY` from this server's configuration
 * (`npm start` passes it), never a key fetched from the service whose data is being checked.
 * Null when unset: the page then says that it cannot verify.
 */
export const verifierKey = (): string | null => configuredVerifierKey() ?? null;
