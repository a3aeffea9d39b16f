import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AdminOnly } from '../auth/admin-only.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ZodBodyPipe } from '../auth/zod-body.pipe.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import type { Policy } from './policy.js';
import { policySchema } from './policy.js';
import { PrivacyAdminService } from './privacy-admin.service.js';

// Policies, erasure and key rotation (docs/specs/privacy.md). Thin: authorise and act in the service.
@ApiTags('Privacy')
@ApiBearerAuth(API_KEY_AUTH)
@Controller()
export class PrivacyController {
  constructor(private readonly admin: PrivacyAdminService) {}

  @Get('admin/organizations/:id/policy')
  @ApiOperation({ summary: "The organization's field visibility policy (or the default)" })
  getPolicy(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.getPolicy(principal, id);
  }

  @Put('admin/organizations/:id/policy')
  @ApiOperation({ summary: "Replaces the organization's field visibility policy (new captures)" })
  putPolicy(
    @Param('id') id: string,
    @Body(new ZodBodyPipe(policySchema)) policy: Policy,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.admin.putPolicy(principal, id, policy);
  }

  @Post('admin/organizations/:id/erase')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Crypto-shredding: destroys the organization’s data keys (GDPR/PIPL erasure)',
  })
  eraseOrganization(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.eraseOrganization(principal, id);
  }

  @Post('events/:eventID/erase')
  @HttpCode(200)
  @ApiOperation({ summary: "Crypto-shredding of one event's partner and private fields" })
  eraseEvent(@Param('eventID') eventId: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.eraseEvent(principal, eventId);
  }

  @AdminOnly()
  @Post('admin/keys/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-wraps every data key under the current key-encryption key' })
  rotate(@CurrentPrincipal() principal: Principal) {
    return this.admin.rotateKeys(principal);
  }
}
