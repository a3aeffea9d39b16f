import { Module } from '@nestjs/common';

import { MasterDataController } from './masterdata.controller.js';
import { MasterDataRepository } from './masterdata.repository.js';
import { MasterDataService } from './masterdata.service.js';
import { VocabularyService } from './vocabulary.service.js';

/**
 * Versioned master data of products, lots, locations and parties: /masterdata, and the EPCIS
 * vocabulary hook capture uses (VocabularyService). Needs the global DatabaseModule.
 */
@Module({
  controllers: [MasterDataController],
  providers: [MasterDataRepository, MasterDataService, VocabularyService],
  exports: [VocabularyService],
})
export class MasterDataModule {}
