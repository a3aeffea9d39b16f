import { assembleEvent, type TraceBundle, type Verdict } from '@traceroot/trace';

/** A record as the page shows it, to be checked against the sealed log. */
export type ShownRecord = {
  eventID: string;
  leafIndex: number;
  /** 1-based position on the page, the step's name and local date, for a failure a reader can find. */
  position: number;
  step: string;
  date: string;
  /**
   * The fields the page was built from (the event without its `ledger` member): as committed
   * (`ilmd/<member>` fields, pseudo-fields) or already assembled into the event.
   */
  fields: Record<string, unknown>;
};

export type RecordResult = Omit<ShownRecord, 'fields'> & {
  ok: boolean;
  /** Newer than the verified checkpoint: not sealed yet, so neither verified nor failed. */
  pending?: boolean;
  code?: string;
  message?: string;
  /** Verified: how many of its committed fields the proof covers without showing them. */
  hidden?: number;
};

export type RememberedCheckpoint = { origin: string; treeSize: number; rootHash: string };

export type RecordCheck = {
  records: RecordResult[];
  /** The checkpoint every verified record is sealed in (absent when none verified). */
  checkpoint?: RememberedCheckpoint;
};

/** The browser storage key of the newest checkpoint verified for a log. */
export const rememberKey = (origin: string): string => `traceroot:checkpoint:${origin}`;

/** JSON with object members in code-point order: equal values, equal text. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** Whether the shown fields make the verified event (a shown mix of `ilmd` and `ilmd/…` does not). */
const sameEvent = (shown: Record<string, unknown>, proven: Record<string, unknown>): boolean => {
  try {
    return canonicalJson(assembleEvent(shown).event) === canonicalJson(proven);
  } catch {
    return false;
  }
};

/**
 * Checks each shown record on its own (so that one bad record is named and the others still
 * count): its bundle entry must verify (`verify`: verifyTraceBundleWith with the trusted key: signature,
 * inclusion, disclosures → leaf → event hash ID), and the verified event must be exactly the event
 * the page shows (both assembled: ILMD members merged, pseudo-fields, which the page does not
 * show, left out). Fields the reader may not see are in neither: the proof covers them by their
 * digests, and the record verifies with them hidden. A shown record with no entry in the bundle is pending when its leaf index
 * is beyond the verified checkpoint (captured after it was signed: not sealed yet), and fails
 * otherwise — the service's own list of unsealed events is not trusted for this.
 */
export const checkRecords = (
  bundle: TraceBundle,
  shown: readonly ShownRecord[],
  verify: (bundle: TraceBundle) => Verdict,
): RecordCheck => {
  let checkpoint: RememberedCheckpoint | undefined;
  const head = verify({ checkpoint: bundle.checkpoint, entries: [] });
  const entries: readonly TraceBundle['entries'][number][] = Array.isArray(bundle.entries)
    ? bundle.entries
    : [];
  const records = shown.map(({ fields, ...record }): RecordResult => {
    const entry = entries.find((e) => e.leafIndex === record.leafIndex);
    if (!entry) {
      if (head.ok && record.leafIndex >= head.treeSize) {
        return { ...record, ok: false, pending: true };
      }
      return { ...record, ok: false, code: 'ROOT_MISMATCH', message: 'no proof for this record' };
    }
    const verdict = verify({ checkpoint: bundle.checkpoint, entries: [entry] });
    if (!verdict.ok) return { ...record, ok: false, code: verdict.code, message: verdict.message };
    checkpoint = { origin: verdict.origin, treeSize: verdict.treeSize, rootHash: verdict.rootHash };
    const proven = verdict.entries[0]!;
    if (!sameEvent(fields, proven.event)) {
      return {
        ...record,
        ok: false,
        code: 'SHOWN_MISMATCH',
        message: 'the page shows fields that differ from the sealed record',
      };
    }
    return { ...record, ok: true, hidden: proven.hiddenFieldCount };
  });
  return { records, ...(checkpoint ? { checkpoint } : {}) };
};
