import { Module } from '@nestjs/common';

import { RulesController } from './rules.controller.js';
import { RulesRepository } from './rules.repository.js';
import { RulesService } from './rules.service.js';

/** The published rules: GET /rules, and RulesService for capture. Needs DatabaseModule. */
@Module({
  controllers: [RulesController],
  providers: [RulesRepository, RulesService],
  exports: [RulesService],
})
export class RulesModule {}
