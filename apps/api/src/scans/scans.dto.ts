import { z } from 'zod';

import type { ScanWarning } from './scan-rules.js';

/**
 * POST /scans: the scanned code and, if the scanner shares it, where. Nothing else is accepted
 * (unknown members are refused), so no personal data can slip in.
 */
export const recordScanSchema = z.strictObject({
  identifier: z.string().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters'),
  location: z
    .strictObject({
      latitude: z.number().min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90'),
      longitude: z.number().min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180'),
    })
    .optional(),
});

export type RecordScanInput = z.output<typeof recordScanSchema>;

/** What POST /scans and GET /scans/{identifier} answer. */
export type ScanSummaryView = {
  /** The canonical Digital Link URI of the item: https://id.gs1.org/01/{gtin14}/21/{serial}. */
  identifier: string;
  scanCount: number;
  firstScannedAt: string | null;
  lastScannedAt: string | null;
  warning: ScanWarning | null;
};
