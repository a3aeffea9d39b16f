import { Controller, Get, Header, Param, Query } from '@nestjs/common';

import {
  type ConsistencyProofView,
  type InclusionProofView,
  MAX_LOG_PAGE,
  ProofsService,
} from '../ledger/proofs.service.js';
import { leafView, type LeafView, stringMembers } from './leaf-view.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { EventsService } from '../events/events.service.js';
import { parseCount } from '../common/http/parse-count.js';
import { Public } from '../auth/public.decorator.js';

// The public log (issue 3 §4). Reads need no key. Checkpoints are served as the exact signed
// note text (C2SP signed-note), which is what verifiers hash and check.
@Public()
@Controller('log')
export class LogController {
  constructor(
    private readonly proofs: ProofsService,
    private readonly events: EventsService,
    private readonly privacy: PrivacyService,
  ) {}

  /**
   * The stored leaves of indexes [start, end) (default: start 0, at most 1000), each with its
   * event's disclosures, for audits (`traceroot audit --url`). `next` is the index of the next
   * stored leaf, or null at the end of the log.
   */
  @Get('leaves')
  async leaves(
    @Query('start') start: string | undefined,
    @Query('end') end: string | undefined,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<{ leaves: LeafView[]; next: number | null }> {
    const from = start === undefined ? 0 : parseCount(start, 'start');
    const to = end === undefined ? from + MAX_LOG_PAGE : parseCount(end, 'end');
    const page = await this.proofs.leaves(from, to);
    // Each caller sees what it may of each event (docs/specs/privacy.md): hidden fields as digests.
    const revealed = await this.privacy.reveal(
      page.leaves.flatMap((leaf) =>
        leaf.seq === null || leaf.protection === null || leaf.eventId === null
          ? []
          : [
              {
                seq: leaf.seq,
                eventId: leaf.eventId,
                disclosures: stringMembers(leaf.disclosures),
                protection: leaf.protection,
              },
            ],
      ),
      principal,
    );
    const bySeq = new Map(revealed.map((r) => [r.seq, r]));
    return {
      leaves: page.leaves.map((leaf) =>
        leafView(leaf, leaf.seq === null ? null : (bySeq.get(leaf.seq) ?? null)),
      ),
      next: page.next,
    };
  }

  /**
   * The signed checkpoints of tree size ≥ start (default 0), smallest first, at most `limit`
   * (default 100, at most 1000). `next` is the tree size of the next one, or null.
   */
  @Get('checkpoints')
  checkpoints(
    @Query('start') start?: string,
    @Query('limit') limit?: string,
  ): Promise<{ checkpoints: { treeSize: number; note: string }[]; next: number | null }> {
    return this.proofs.checkpoints(
      start === undefined ? 0 : parseCount(start, 'start'),
      limit === undefined ? 100 : parseCount(limit, 'limit', 1),
    );
  }

  @Get('checkpoint')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async latest(): Promise<string> {
    return (await this.proofs.latestCheckpoint()).note;
  }

  @Get('checkpoints/:treeSize')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async at(@Param('treeSize') treeSize: string): Promise<string> {
    return (await this.proofs.checkpointAt(parseCount(treeSize, 'treeSize', 1))).note;
  }

  @Get('key')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  key(): string {
    return `${this.proofs.verifierKey}\n`;
  }

  @Get('proof/inclusion')
  async inclusion(
    @Query('eventID') eventId?: string,
    @Query('leafIndex') leafIndex?: string,
    @Query('treeSize') treeSize?: string,
  ): Promise<InclusionProofView> {
    const index = await this.events.leafIndexFor(
      eventId,
      leafIndex === undefined ? undefined : parseCount(leafIndex, 'leafIndex'),
    );
    return this.proofs.inclusionProof(
      index,
      treeSize === undefined ? undefined : parseCount(treeSize, 'treeSize', 1),
    );
  }

  @Get('proof/consistency')
  consistency(
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<ConsistencyProofView> {
    return this.proofs.consistencyProof(parseCount(from, 'from', 1), parseCount(to, 'to', 1));
  }
}
