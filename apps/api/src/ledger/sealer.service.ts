import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';

import { integrate } from './integrate.js';
import { LEDGER_CONFIG, type LedgerConfig } from './ledger.config.js';
import { LedgerRepository, type StoredCheckpoint } from './ledger.repository.js';

export type SealResult = { treeSize: number; leaves: number };

/**
 * Integrates sequenced leaves into the log and signs checkpoints (ADR 0006). Every API process
 * runs one; a transaction-scoped advisory lock lets exactly one of them seal at any moment, and
 * whichever process is alive takes the next turn, so a dead sealer is replaced within one
 * interval. Each seal is one transaction: a crash before its commit publishes nothing.
 */
@Injectable()
export class SealerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SealerService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private nudged = false;
  /** The largest signed tree size this process has seen (its own seals, and the head it read). */
  private sealedSize = 0;
  private readonly sealedListeners: ((checkpoint: StoredCheckpoint) => void)[] = [];

  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sealIntervalMs <= 0) return;
    this.timer = setInterval(() => this.nudge(), this.config.sealIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /** Calls `listener` with every checkpoint this process signs, once it is committed. */
  onSealed(listener: (checkpoint: StoredCheckpoint) => void): void {
    this.sealedListeners.push(listener);
  }

  /** Asks for a seal soon; seals never overlap within a process, and one asked for is not asked twice. */
  nudge(): void {
    if (this.nudged) return;
    this.nudged = true;
    const next = this.running.then(() => {
      this.nudged = false;
      return this.sealUntilDone();
    });
    this.running = next.catch(() => undefined);
    next.catch((error: unknown) => this.logger.error(`seal failed: ${String(error)}`));
  }

  /**
   * A capture sequenced leaves up to `treeSize`: seals at once when SEAL_BATCH_SIZE leaves are
   * waiting, whichever captures brought them (the timer seals the rest). The sealed size is the
   * last one this process saw; another process's seals make it low, which only makes a nudge early.
   */
  noteSequenced(treeSize: number): void {
    if (treeSize - this.sealedSize >= this.config.sealBatchSize) this.nudge();
  }

  /** Seals everything pending now, after any seal already under way in this process. */
  sealNow(): Promise<SealResult[]> {
    const next = this.running.then(() => this.sealUntilDone());
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Seals batch after batch until nothing is pending (or another process holds the turn). */
  private async sealUntilDone(): Promise<SealResult[]> {
    const results: SealResult[] = [];
    for (;;) {
      const result = await this.sealOnce();
      if (!result) return results;
      results.push(result);
      if (result.leaves < this.config.sealBatchSize) return results;
    }
  }

  /** One seal: up to sealBatchSize leaves into one signed checkpoint; null when nothing to do. */
  async sealOnce(): Promise<SealResult | null> {
    const { origin, signer, hasher, sealBatchSize } = this.config;
    let signed: StoredCheckpoint | undefined;
    const result = await this.ledger.db.$transaction(async (tx): Promise<SealResult | null> => {
      if (!(await this.ledger.tryLockSealer(tx))) return null;
      const head = await this.ledger.readHead(tx);
      this.sealedSize = Math.max(this.sealedSize, head.treeSize);
      const leafHashes = await this.ledger.readLeafHashes(head.treeSize, sealBatchSize, tx);
      if (leafHashes.length === 0) return null;
      const sealed = integrate(
        head,
        leafHashes,
        origin,
        signer,
        hasher,
        this.config.checkpointExtensions,
      );
      await this.ledger.storeIntegration(sealed.nodes, sealed.checkpoint, tx);
      signed = sealed.checkpoint;
      return { treeSize: sealed.checkpoint.treeSize, leaves: leafHashes.length };
    });
    if (signed) {
      this.sealedSize = Math.max(this.sealedSize, signed.treeSize);
      for (const listener of this.sealedListeners) listener(signed);
    }
    if (result) {
      this.logger.debug(
        `sealed ${result.leaves} leaves: checkpoint of tree size ${result.treeSize}`,
        result,
      );
    }
    return result;
  }
}
