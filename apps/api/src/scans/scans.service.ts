import { Inject, Injectable, Logger } from '@nestjs/common';

import { DomainError } from '../common/errors/domain-error.js';
import { ENV, type Env } from '../config/env.js';
import { ScanIdentifierError, parseScannedItem } from './scan-identifier.js';
import { coarsen, findFarApart, type ScanRules, warningOf } from './scan-rules.js';
import type { RecordScanInput, ScanSummaryView } from './scans.dto.js';
import { type ScannedItem, ScansRepository } from './scans.repository.js';

/** Scans kept per item (the latest): enough to compare a new scan with, and a bound on rows. */
export const SCANS_KEPT_PER_ITEM = 100;

/** How often (at most) a process deletes telemetry older than SCAN_RETENTION_DAYS. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Scan telemetry for counterfeit warnings, privacy-preserving by construction: what is stored of
 * a scan is the item, the time and — when the scanner shares one — a position rounded to 0.1°.
 * The request itself (IP address, user agent, cookies) is never read. Growth is bounded: only
 * items a recorded event names are counted, the latest SCANS_KEPT_PER_ITEM scans per item,
 * nothing older than SCAN_RETENTION_DAYS.
 */
@Injectable()
export class ScansService {
  private readonly logger = new Logger(ScansService.name);
  private readonly rules: ScanRules;
  private readonly retentionMs: number;
  private nextPruneAt = 0;

  constructor(
    private readonly repository: ScansRepository,
    @Inject(ENV) env: Env,
  ) {
    this.rules = { warnCount: env.SCAN_WARN_COUNT, maxSpeedKmh: env.SCAN_MAX_SPEED_KMH };
    this.retentionMs = env.SCAN_RETENTION_DAYS * DAY_MS;
  }

  /** POST /scans: records one scan and answers the item's summary, with its warning. */
  async record(input: RecordScanInput, now: Date = new Date()): Promise<ScanSummaryView> {
    const identifier = itemOf(input.identifier, '/identifier');
    await this.requireRecorded(identifier);
    const position = input.location === undefined ? null : coarsen(input.location);
    await this.pruneIfDue(now);
    const item = await this.repository.transaction(async (tx) => {
      const counted = await this.repository.countScan(identifier, now, tx);
      const earlier =
        position === null ? [] : await this.repository.findLocatedScans(identifier, tx);
      await this.repository.insertScan(identifier, now, position, tx);
      if (counted.scanCount > SCANS_KEPT_PER_ITEM) {
        await this.repository.trimScans(identifier, SCANS_KEPT_PER_ITEM, tx);
      }
      if (counted.farApart !== null || position === null) return counted;
      const farApart = findFarApart(
        { ...position, scannedAt: now },
        earlier,
        this.rules.maxSpeedKmh,
      );
      if (farApart !== null) await this.repository.setFarApart(identifier, farApart, tx);
      return { ...counted, farApart };
    });
    return this.view(item);
  }

  /**
   * GET /scans/{identifier}: the item's summary; a recorded item never scanned has a count of 0,
   * an item no recorded event names is NOT_FOUND.
   */
  async summary(identifier: string): Promise<ScanSummaryView> {
    const item = itemOf(identifier);
    await this.requireRecorded(item);
    const found = await this.repository.findItem(item);
    return found === null
      ? { identifier: item, scanCount: 0, firstScannedAt: null, lastScannedAt: null, warning: null }
      : this.view(found);
  }

  /**
   * Deletes scans older than SCAN_RETENTION_DAYS before `now`, and items not scanned since (their
   * counts restart). Runs from POST /scans at most once an hour per process; failures are logged,
   * never a scan's problem.
   */
  async prune(now: Date = new Date()): Promise<{ scans: number; items: number }> {
    return this.repository.deleteBefore(new Date(now.getTime() - this.retentionMs));
  }

  private async pruneIfDue(now: Date): Promise<void> {
    if (now.getTime() < this.nextPruneAt) return;
    this.nextPruneAt = now.getTime() + PRUNE_INTERVAL_MS;
    await this.prune(now).catch((error: unknown) => {
      this.logger.warn(`pruning old scans failed: ${String(error)}`);
    });
  }

  /**
   * Only items the ledger knows are counted — some recorded event names them at instance level —
   * so invented serials cannot grow the scan tables. Throws NOT_FOUND otherwise.
   */
  private async requireRecorded(identifier: string): Promise<void> {
    if (await this.repository.isRecordedItem(identifier)) return;
    throw new DomainError('NOT_FOUND', `no recorded event names the item ${identifier}`, {
      epcisException: 'NoSuchResourceException',
    });
  }

  private view(item: ScannedItem): ScanSummaryView {
    return {
      identifier: item.identifier,
      scanCount: item.scanCount,
      firstScannedAt: item.firstScannedAt.toISOString(),
      lastScannedAt: item.lastScannedAt.toISOString(),
      warning: warningOf(item.scanCount, item.farApart, this.rules),
    };
  }
}

// `pointer`: where the identifier is in the body (absent: it is the URL's path parameter).
const itemOf = (identifier: string, pointer?: string): string => {
  try {
    return parseScannedItem(identifier);
  } catch (error) {
    if (!(error instanceof ScanIdentifierError)) throw error;
    const message = pointer === undefined ? error.message : `${pointer}: ${error.message}`;
    throw new DomainError('VALIDATION_FAILED', message, {
      errors: pointer === undefined ? [] : [{ pointer, message }],
      cause: error,
    });
  }
};
