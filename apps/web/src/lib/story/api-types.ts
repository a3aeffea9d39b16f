import type { TraceBundle } from '@traceroot/trace';

/** A published rule an event broke, accepted with a warning (the owner's flag mode). */
export type RuleFlag = { rule: string; message: string };

/**
 * An event's place in the log and what the reader is not shown. Everything but `leafIndex` is
 * optional: older APIs do not send it, and the page shows nothing for what is absent.
 */
export type ApiLedger = {
  leafIndex: number;
  /** How many of its committed fields this reader sees only as digests (not public). */
  withheld?: number;
  /** The fields erased at the owner's request (crypto-shredded), by leaf field name. */
  erased?: string[];
  /** The rule set the event was checked against, and the rules it broke (flag mode). */
  rules?: { ruleSet: string; flags: RuleFlag[] } | null;
};

/**
 * An EPCIS event as the API serves it, with its place in the log. The members are the leaf's
 * disclosed fields: either as committed (one `ilmd/<member>` field per ILMD member, pseudo-fields
 * such as `@context`) or already assembled into the event; `assembleEvent` reads both.
 */
export type ApiEvent = Record<string, unknown> & {
  eventID: string;
  type: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  ledger: ApiLedger;
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
