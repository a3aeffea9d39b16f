import { Controller, Get, Header, Param, Query } from '@nestjs/common';

import { type ConsistencyProofView, type InclusionProofView, ProofsService } from '../ledger/proofs.service.js';
import { EventsService } from '../events/events.service.js';
import { parseCount } from './parse-count.js';
import { Public } from '../auth/public.decorator.js';

// The public log (issue 3 §4). Reads need no key. Checkpoints are served as the exact signed
// note text (C2SP signed-note), which is what verifiers hash and check.
@Public()
@Controller('log')
export class LogController {
  constructor(
    private readonly proofs: ProofsService,
    private readonly events: EventsService,
  ) {}

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
    const index = await this.events.leafIndexFor(eventId, leafIndex === undefined ? undefined : parseCount(leafIndex, 'leafIndex'));
    return this.proofs.inclusionProof(index, treeSize === undefined ? undefined : parseCount(treeSize, 'treeSize', 1));
  }

  @Get('proof/consistency')
  consistency(@Query('from') from?: string, @Query('to') to?: string): Promise<ConsistencyProofView> {
    return this.proofs.consistencyProof(parseCount(from, 'from', 1), parseCount(to, 'to', 1));
  }
}
