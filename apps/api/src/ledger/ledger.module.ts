import { type DynamicModule, Module } from '@nestjs/common';

import { LEDGER_CONFIG, type LedgerConfig } from './ledger.config.js';
import { LedgerRepository } from './ledger.repository.js';
import { ProofsService } from './proofs.service.js';
import { SealerService } from './sealer.service.js';

/** The log: sequencing storage, the sealer, proofs (ADR 0006). */
@Module({})
export class LedgerModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerModule,
      global: true,
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        LedgerRepository,
        SealerService,
        ProofsService,
      ],
      exports: [LEDGER_CONFIG, LedgerRepository, SealerService, ProofsService],
    };
  }
}
