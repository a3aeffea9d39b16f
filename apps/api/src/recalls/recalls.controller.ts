import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags, type SchemaObject } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';

import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { RequireScope } from '../auth/require-scope.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { pageSize, setNextPageLink } from '../common/http/paging.js';
import {
  ApiPaging,
  ApiPathParameter,
  ApiProblemResponse,
  ApiSchemaResponse,
  ApiSecurityResponses,
  LINK_HEADER,
  locationHeader,
} from '../common/openapi/epcis-binding.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import { BodyPipe } from '../masterdata/body.pipe.js';
import { type CreateRecallInput, createRecallSchema, type RecallView } from './recalls.dto.js';
import { type RecallPage, RecallsService } from './recalls.service.js';

const bodySchema = (): SchemaObject => {
  const document: Record<string, unknown> = z.toJSONSchema(createRecallSchema, {
    io: 'input',
    unrepresentable: 'any',
  });
  delete document.$schema;
  return document;
};

// Recalls (beyond EPCIS): thin; the trace, the events and the row are in RecallsService.
@ApiTags('Recalls')
@Controller('recalls')
export class RecallsController {
  constructor(private readonly recalls: RecallsService) {}

  @Post()
  @RequireScope('capture')
  @HttpCode(201)
  @ApiBearerAuth(API_KEY_AUTH)
  @ApiOperation({
    summary: 'Recall a lot or a set of EPCs: record recall events for everything downstream',
    description:
      'Traces everything downstream (forward), records ObjectEvents with the persistent ' +
      'disposition `recalled` naming every affected lot and EPC in the log, and stores the recall ' +
      'with the affected lots, EPCs, locations and parties (docs/specs/recalls.md).',
  })
  @ApiBody({ required: true, schema: bodySchema() })
  @ApiSchemaResponse(201, 'Recorded; the recall is at the Location URL', null, {
    headers: {
      Location: locationHeader(
        'Relative URL of the recall',
        '/recalls/0b4c1d7e-3f2a-4c5b-9d8e-7f6a5b4c3d2e',
      ),
    },
  })
  @ApiProblemResponse(400, 'The body is invalid (JSON pointers name the fields)', [
    'ValidationException',
  ])
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No recorded event names the lot or an EPC (the pointer names it)', [
    'NoSuchResourceException',
  ])
  async create(
    @Body(new BodyPipe(createRecallSchema)) body: CreateRecallInput,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecallView> {
    const recall = await this.recalls.create(body, principal);
    res.setHeader('Location', `/recalls/${recall.id}`);
    return recall;
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Recalls, newest first, in pages (public: recall notices are public)' })
  @ApiPaging()
  @ApiSchemaResponse(200, 'A page of recalls', null, { headers: { Link: LINK_HEADER } })
  @ApiProblemResponse(400, 'perPage or nextPageToken is invalid (the detail names it)', [
    'QueryParameterException',
  ])
  async list(
    @Query('perPage') perPage: string | undefined,
    @Query('nextPageToken') nextPageToken: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecallPage> {
    const size = pageSize(perPage);
    const page = await this.recalls.list(size, nextPageToken);
    setNextPageLink(req, res, page.nextPageToken, size);
    return page;
  }

  @Public()
  @Get(':id')
  @ApiOperation({
    summary: 'A recall: reason, recall events, affected lots, EPCs, places, parties',
  })
  @ApiPathParameter('id', 'The id of a recall (a UUID)', '0b4c1d7e-3f2a-4c5b-9d8e-7f6a5b4c3d2e')
  @ApiSchemaResponse(200, 'The recall', null)
  @ApiProblemResponse(404, 'No such recall', ['NoSuchResourceException'])
  get(@Param('id') id: string): Promise<RecallView> {
    return this.recalls.get(id);
  }
}
