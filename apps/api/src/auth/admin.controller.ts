import type { ServerResponse } from 'node:http';

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { z } from 'zod';

import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import {
  type CreatedApiKeyResponse,
  type CreatedOrganizationResponse,
  type CreateOrganizationInput,
  createOrganizationSchema,
  type OrganizationResponse,
} from './admin.dto.js';
import { AdminOnly } from './admin-only.decorator.js';
import { AuthService } from './auth.service.js';
import { ZodBodyPipe } from './zod-body.pipe.js';

const KEY_SHOWN_ONCE = 'The new API key is in `apiKey`, shown this once: only its hash is stored.';

// Administration over HTTP with an admin key (issue 3 §2): organizations and their API keys.
@ApiTags('Administration')
@ApiBearerAuth(API_KEY_AUTH)
@AdminOnly()
@Controller('admin')
export class AdminController {
  constructor(private readonly auth: AuthService) {}

  @Post('organizations')
  @ApiOperation({ summary: 'Create an organization and its first API key' })
  @ApiBody({ schema: z.toJSONSchema(createOrganizationSchema, { io: 'input' }) as object })
  @ApiCreatedResponse({ description: `${KEY_SHOWN_ONCE} Location: the organization.` })
  async createOrganization(
    @Body(new ZodBodyPipe(createOrganizationSchema)) body: CreateOrganizationInput,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CreatedOrganizationResponse> {
    const created = await this.auth.createOrganization(body);
    response.setHeader('Location', `/admin/organizations/${created.id}`);
    return created;
  }

  @Get('organizations/:id')
  @ApiOperation({ summary: 'An organization (404 when unknown)' })
  @ApiOkResponse({ description: 'The organization' })
  getOrganization(@Param('id') id: string): Promise<OrganizationResponse> {
    return this.auth.getOrganization(id);
  }

  @Post('organizations/:id/api-keys')
  @ApiOperation({ summary: 'Create another API key for an organization (404 when unknown)' })
  @ApiCreatedResponse({ description: KEY_SHOWN_ONCE })
  createApiKey(@Param('id') organizationId: string): Promise<CreatedApiKeyResponse> {
    return this.auth.createApiKey(organizationId);
  }

  @Delete('api-keys/:keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Revoke an API key: its next request gets 401 (idempotent; 404 when unknown)',
  })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  revokeApiKey(@Param('keyId') keyId: string): Promise<void> {
    return this.auth.revokeApiKey(keyId);
  }
}
