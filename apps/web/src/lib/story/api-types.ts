import type { TraceBundle } from '@traceroot/trace';

/** An EPCIS event as the API serves it (its leaf's fields) with its place in the log. */
export type ApiEvent = Record<string, unknown> & {
  eventID: string;
  type: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  ledger: { leafIndex: number };
};

/** GET /trace/{identifier}?bundle=true (apps/api/src/trace/trace.service.ts). */
export type ApiTrace = {
  start: string[];
  truncated: boolean;
  nodes: { id: string; kind: 'identifier' | 'location' | 'party' }[];
  edges: { eventID: string; inputs: string[]; outputs: string[] }[];
  events: ApiEvent[];
  bundle?: TraceBundle | null;
  unsealed?: string[];
  checkpoint?: { treeSize: number; signedAt: string | null };
};

/** One record of POST /masterdata/lookup: every version, for the one valid at each event's time. */
export type MasterRecord = {
  id: string;
  kind: 'product' | 'lot' | 'location' | 'party';
  versions: { version: number; validFrom: string; attributes: Record<string, unknown> }[];
};
