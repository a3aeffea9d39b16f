import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ZodBodyPipe } from '../auth/zod-body.pipe.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import { RULE_MODES, type RuleMode } from './rules.service.js';
import { RulesAdminService } from './rules-admin.service.js';

const ruleModeSchema = z.strictObject({
  mode: z.enum(RULE_MODES, { error: `must be one of ${RULE_MODES.join(', ')}` }),
});

// An organization's rule mode (issue 6 §3): enforce, flag or off. Thin: the service authorises,
// records the action in the log and applies it.
@ApiTags('Rules')
@ApiBearerAuth(API_KEY_AUTH)
@Controller('admin/organizations/:id/rules')
export class RulesAdminController {
  constructor(private readonly admin: RulesAdminService) {}

  @Get()
  @ApiOperation({ summary: "The organization's rule mode and the rule set in force" })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.get(principal, id);
  }

  @Put()
  @ApiOperation({ summary: "Sets the organization's rule mode: enforce (422), flag or off" })
  put(
    @Param('id') id: string,
    @Body(new ZodBodyPipe(ruleModeSchema)) body: { mode: RuleMode },
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.admin.set(principal, id, body.mode);
  }
}
