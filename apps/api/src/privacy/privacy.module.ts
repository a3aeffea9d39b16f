import { type DynamicModule, Module } from '@nestjs/common';

import type { KeyEncryptionKeys } from './kek.js';
import { AdminRecordsModule } from '../admin-records/admin-records.module.js';
import { PrivacyAdminService } from './privacy-admin.service.js';
import { PrivacyController } from './privacy.controller.js';
import { PrivacyRepository } from './privacy.repository.js';
import { PrivacyService } from './privacy.service.js';
import { KEY_ENCRYPTION_KEYS } from './privacy.tokens.js';

/** Field visibility, encryption at rest, erasure (docs/specs/privacy.md). Global: every read path reveals. */
@Module({})
export class PrivacyModule {
  static forRoot(keks: KeyEncryptionKeys): DynamicModule {
    return {
      module: PrivacyModule,
      global: true,
      imports: [AdminRecordsModule],
      controllers: [PrivacyController],
      providers: [
        { provide: KEY_ENCRYPTION_KEYS, useValue: keks },
        PrivacyRepository,
        PrivacyService,
        PrivacyAdminService,
      ],
      exports: [PrivacyService],
    };
  }
}
