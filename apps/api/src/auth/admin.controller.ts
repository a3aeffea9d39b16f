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
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';

import { pageSize } from '../common/http/paging.js';
import { parseCount } from '../common/http/parse-count.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import {
  type AdminActionView,
  type ApiKeyView,
  type CreateApiKeyInput,
  createApiKeySchema,
  type CreatedApiKeyView,
  type CreatedOrganizationResponse,
  type CreateOrganizationInput,
  createOrganizationSchema,
  type OrganizationResponse,
} from './admin.dto.js';
import { AdminService } from './admin.service.js';
import { AdminOnly } from './admin-only.decorator.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import type { Principal } from './principal.js';
import { RequireScope } from './require-scope.decorator.js';
import { ZodBodyPipe } from './zod-body.pipe.js';

const KEY_SHOWN_ONCE = 'The new API key is in `apiKey`, shown this once: only its hash is stored.';
const WHO =
  'The operator may administer every organization; a key with the `admin` scope only its own ' +
  '(any other organization ID is answered exactly as an unknown one: 404).';

// Administration over HTTP (issue 3 §2, issue 6 §4; docs/specs/admin.md): organizations, their API
// keys, and the record of administrative actions. Every route needs the `admin` scope.
@ApiTags('Administration')
@ApiBearerAuth(API_KEY_AUTH)
@RequireScope('admin')
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('organizations')
  @AdminOnly()
  @ApiOperation({ summary: 'Create an organization and its first API key (the operator only)' })
  @ApiBody({ schema: z.toJSONSchema(createOrganizationSchema, { io: 'input' }) as object })
  @ApiCreatedResponse({ description: `${KEY_SHOWN_ONCE} Location: the organization.` })
  async createOrganization(
    @Body(new ZodBodyPipe(createOrganizationSchema)) body: CreateOrganizationInput,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CreatedOrganizationResponse> {
    const created = await this.admin.createOrganization(principal, body);
    response.setHeader('Location', `/admin/organizations/${created.id}`);
    return created;
  }

  @Get('organizations/:id')
  @ApiOperation({ summary: 'An organization (404 when unknown)', description: WHO })
  @ApiOkResponse({ description: 'The organization' })
  getOrganization(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganizationResponse> {
    return this.admin.getOrganization(principal, id);
  }

  @Post('organizations/:id/api-keys')
  @ApiOperation({
    summary: 'Create an API key for an organization (404 when unknown)',
    description:
      'The body is optional: `scopes` (capture, query, admin; default capture and query) and ' +
      `\`expiresAt\` (an ISO 8601 date-time in the future; default never). ${WHO}`,
  })
  @ApiBody({
    required: false,
    schema: z.toJSONSchema(createApiKeySchema, { io: 'input' }) as object,
  })
  @ApiCreatedResponse({ description: `${KEY_SHOWN_ONCE} With its scopes and expiresAt.` })
  createApiKey(
    @Param('id') organizationId: string,
    @Body(new ZodBodyPipe(createApiKeySchema.optional())) body: CreateApiKeyInput | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedApiKeyView> {
    return this.admin.createApiKey(principal, organizationId, body);
  }

  @Get('organizations/:id/api-keys')
  @ApiOperation({
    summary: "An organization's API keys, oldest first (never a secret or its hash)",
    description: WHO,
  })
  @ApiOkResponse({ description: 'keyId, scopes, createdAt, expiresAt, revokedAt of each key' })
  listApiKeys(
    @Param('id') organizationId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApiKeyView[]> {
    return this.admin.listApiKeys(principal, organizationId);
  }

  @Delete('api-keys/:keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Revoke an API key: its next request gets 401 (idempotent; 404 when unknown)',
    description: WHO,
  })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  revokeApiKey(
    @Param('keyId') keyId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.admin.revokeApiKey(principal, keyId);
  }

  @Get('actions')
  @ApiOperation({
    summary: 'The record of administrative actions, in log order, in pages',
    description:
      'Each action with the event that records it in the log (`eventId`, `leafIndex`). The ' +
      "operator sees every organization's actions; an organization's admin key its own only.",
  })
  @ApiQuery({ name: 'organizationId', required: false, description: 'Only this organization' })
  @ApiQuery({
    name: 'after',
    required: false,
    description: "Only actions whose event's leaf index is greater (the `Link` header's next page)",
    schema: { type: 'integer', minimum: 0 },
  })
  @ApiQuery({ name: 'perPage', required: false, schema: { type: 'integer', minimum: 1 } })
  @ApiOkResponse({ description: 'A page of actions; `Link: <…>; rel="next"` while there are more' })
  async listActions(
    @Query('organizationId') organizationId: string | undefined,
    @Query('after') after: string | undefined,
    @Query('perPage') perPage: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdminActionView[]> {
    const size = pageSize(perPage);
    const from = after === undefined ? -1 : parseCount(after, 'after');
    const page = await this.admin.listActions(principal, organizationId, from, size + 1);
    const actions = page.slice(0, size);
    if (page.length > size) setNextPage(req, res, actions.at(-1)!.leafIndex, size);
    return actions;
  }
}

// The EPCIS binding's Link rel="next", with `after` (a leaf index, not secret) as the cursor.
const setNextPage = (req: Request, res: Response, after: number, perPage: number): void => {
  const next = new URL(req.originalUrl, 'http://x');
  next.searchParams.set('after', String(after));
  next.searchParams.set('perPage', String(perPage));
  res.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
};
