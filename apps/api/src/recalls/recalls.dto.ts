import { z } from 'zod';

/** At most this many EPCs in one POST /recalls (a bigger set is several recalls). */
export const MAX_RECALL_EPCS = 1000;

const identifier = z.string().trim().min(1).max(2000);

/**
 * The body of POST /recalls (docs/specs/recalls.md). What is recalled is exactly one of: `lot`
 * (an LGTIN EPC class URI, a GS1 Digital Link URI or path with a lot; or, with `gtin`, the lot
 * number alone) or `epcs` (EPC URIs or Digital Links of instances: items, cases, pallets).
 */
export const createRecallSchema = z
  .strictObject({
    lot: identifier.optional(),
    gtin: z
      .string()
      .regex(/^\d{8}$|^\d{12,14}$/, 'must be a GTIN of 8, 12, 13 or 14 digits')
      .optional(),
    epcs: z.array(identifier).min(1).max(MAX_RECALL_EPCS).optional(),
    reason: z.string().trim().min(1).max(2000),
    classification: z.enum(['I', 'II', 'III']).optional(),
    contact: z.string().trim().min(1).max(500).optional(),
    readPoint: identifier.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.lot === undefined && body.epcs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lot'], message: 'give a lot or epcs' });
    }
    if (body.lot !== undefined && body.epcs !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['epcs'], message: 'give a lot or epcs, not both' });
    }
    if (body.gtin !== undefined && body.lot === undefined) {
      ctx.addIssue({ code: 'custom', path: ['gtin'], message: 'gtin goes with a lot number' });
    }
  });

export type CreateRecallInput = z.output<typeof createRecallSchema>;

/** What a recall reached downstream when it was made (the forward trace, without recall events). */
export type AffectedSnapshot = {
  /** Class-level identifiers: lots (GTIN + lot), or a whole GTIN a transformation output. */
  lots: string[];
  /** Instance-level identifiers: serialised items (SGTIN), cases and pallets (SSCC), … */
  epcs: string[];
  /** Every place the affected goods were (read points, business locations, source/destination locations). */
  locations: string[];
  /** Every party named as an owner or holder of the affected goods (source/destination parties). */
  parties: string[];
  /** The trace hit a bound (depth or event count): more may be affected. */
  truncated: boolean;
  /** How many events the trace reached. */
  eventCount: number;
};

export type RecallView = {
  id: string;
  reason: string;
  classification?: string;
  contact?: string;
  /** The organization that recorded it. */
  organizationId: string;
  /** What was recalled, as the event index names it (canonical Digital Link URIs). */
  recalled: string[];
  /** The recall events in the log (GET /events/{eventID} shows each with its place in the log). */
  eventIDs: string[];
  recalledAt: string;
  createdAt: string;
  affected: AffectedSnapshot;
};

/** An entry of GET /recalls: the recall without its affected lists, with their sizes instead. */
export type RecallSummary = Omit<RecallView, 'affected'> & {
  affectedCounts: { lots: number; epcs: number; locations: number; parties: number };
  truncated: boolean;
};
