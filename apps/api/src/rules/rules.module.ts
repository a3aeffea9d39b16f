import { Module } from '@nestjs/common';

import { RulesAdminController } from './rules-admin.controller.js';
import { RulesAdminService } from './rules-admin.service.js';
import { RulesController } from './rules.controller.js';
import { RulesRepository } from './rules.repository.js';
import { RulesService } from './rules.service.js';

/** The published rules: GET /rules, and RulesService for capture. Needs DatabaseModule. */
@Module({
  controllers: [RulesController, RulesAdminController],
  providers: [RulesRepository, RulesService, RulesAdminService],
  exports: [RulesService],
})
export class RulesModule {}
