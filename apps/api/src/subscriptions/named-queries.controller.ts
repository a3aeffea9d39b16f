import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Options,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { pageSize, setNextPageLink } from '../common/http/paging.js';
import {
  ApiPaging,
  ApiPathParameter,
  ApiProblemResponse,
  ApiSecurityResponses,
  headersWithValues,
  LINK_HEADER,
  locationHeader,
} from '../common/openapi/epcis-binding.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import { EPCIS_DISCOVERY_HEADERS, EpcisDiscoveryHeaders } from '../discovery/epcis-headers.js';
import { ApiEventsQuery } from '../query/query.controller.js';
import { parseEpcFormat } from '../query/epc-format.js';
import { type NamedQueryView, NamedQueriesService } from './named-queries.service.js';

const QUERY_NAME = 'The name of a named query of your organization';
const QUERY_NAME_EXAMPLE = 'myQuery';

const QUERY_DEFINITION = {
  type: 'object',
  required: ['name', 'query'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,128}$', example: 'myQuery' },
    query: {
      type: 'object',
      description: 'SimpleEventQuery parameters (query-schema.json), as GET /events takes them',
      example: { EQ_bizStep: ['shipping', 'receiving'], eventType: ['ObjectEvent'] },
    },
  },
};

/** Query parameters that ask for a WebSocket subscription (GET /queries/{queryName}/events). */
const WEBSOCKET_PARAMETERS = new Set([
  'stream',
  'second',
  'minute',
  'hour',
  'dayOfMonth',
  'month',
  'dayOfWeek',
  'reportIfEmpty',
  'initialRecordTime',
]);

// EPCIS 2.0 REST binding: /queries, /queries/{queryName}, /queries/{queryName}/events. Every
// route needs an organization's key with the query scope; the organization owns its queries.
@ApiTags('Queries')
@ApiBearerAuth(API_KEY_AUTH)
@Controller('queries')
export class NamedQueriesController {
  constructor(private readonly namedQueries: NamedQueriesService) {}

  @Options()
  @HttpCode(204)
  @EpcisDiscoveryHeaders()
  @ApiOperation({ summary: 'Discover the named queries endpoint (headers only)' })
  @ApiResponse({
    status: 204,
    description: 'Allow and the EPCIS discovery headers',
    headers: {
      Allow: { schema: { type: 'string', example: 'OPTIONS, GET, POST' } },
      ...headersWithValues(EPCIS_DISCOVERY_HEADERS),
    },
  })
  @ApiSecurityResponses()
  options(@Res({ passthrough: true }) res: Response): void {
    res.setHeader('Allow', 'OPTIONS, GET, POST');
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a named query (its parameters are checked as GET /events checks them)',
  })
  @ApiBody({ required: true, schema: QUERY_DEFINITION })
  @ApiResponse({
    status: 201,
    description: 'Created; the query is at the Location URL',
    headers: { Location: locationHeader('Relative URL of the query', '/queries/myQuery') },
    content: { 'application/json': { schema: QUERY_DEFINITION } },
  })
  @ApiProblemResponse(400, 'The body or a query parameter is invalid (the detail names it)', [
    'ValidationException',
    'QueryParameterException',
  ])
  @ApiSecurityResponses()
  @ApiProblemResponse(409, 'Your organization already has a query of this name', [
    'ResourceAlreadyExistsException',
  ])
  async create(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NamedQueryView> {
    const created = await this.namedQueries.create(principal, body);
    res.setHeader('Location', `/queries/${encodeURIComponent(created.name)}`);
    return created;
  }

  @Get()
  @ApiOperation({ summary: "Your organization's named queries, oldest first, in pages" })
  @ApiPaging()
  @ApiResponse({
    status: 200,
    description: 'A page of named queries',
    headers: { Link: LINK_HEADER },
    content: { 'application/json': { schema: { type: 'array', items: QUERY_DEFINITION } } },
  })
  @ApiProblemResponse(400, 'perPage or nextPageToken is invalid (the detail names it)', [
    'QueryParameterException',
  ])
  @ApiSecurityResponses()
  async list(
    @Query('perPage') perPage: string | undefined,
    @Query('nextPageToken') nextPageToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NamedQueryView[]> {
    const size = pageSize(perPage);
    const page = await this.namedQueries.list(principal, size, nextPageToken);
    setNextPageLink(req, res, page.nextPageToken, size);
    return page.queries;
  }

  @Options(':queryName')
  @HttpCode(204)
  @EpcisDiscoveryHeaders()
  @ApiOperation({ summary: 'Discover a named query resource (headers only)' })
  @ApiPathParameter('queryName', QUERY_NAME, QUERY_NAME_EXAMPLE)
  @ApiResponse({ status: 204, description: 'Allow and the EPCIS discovery headers' })
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No query of this name', ['NoSuchNameException'])
  async optionsOfQuery(
    @Param('queryName') name: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.namedQueries.get(principal, name);
    res.setHeader('Allow', 'OPTIONS, GET, DELETE');
  }

  @Get(':queryName')
  @ApiOperation({ summary: 'The definition of a named query' })
  @ApiPathParameter('queryName', QUERY_NAME, QUERY_NAME_EXAMPLE)
  @ApiResponse({
    status: 200,
    description: 'The query',
    content: { 'application/json': { schema: QUERY_DEFINITION } },
  })
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No query of this name', ['NoSuchNameException'])
  get(
    @Param('queryName') name: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NamedQueryView> {
    return this.namedQueries.get(principal, name);
  }

  @Delete(':queryName')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a named query and all of its subscriptions' })
  @ApiPathParameter('queryName', QUERY_NAME, QUERY_NAME_EXAMPLE)
  @ApiResponse({ status: 204, description: 'Query deleted and its subscriptions with it' })
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No query of this name', ['NoSuchNameException'])
  async delete(
    @Param('queryName') name: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.namedQueries.delete(principal, name);
  }

  @Get(':queryName/events')
  @ApiTags('Events')
  @ApiOperation({
    summary: 'The results of a named query, in pages: the EPCISQueryDocument of GET /events',
    description:
      "Subscriptions over WebSocket (the binding's Upgrade handshake with stream or schedule " +
      'parameters) are not implemented: POST /queries/{queryName}/subscriptions subscribes a webhook.',
  })
  @ApiPathParameter('queryName', QUERY_NAME, QUERY_NAME_EXAMPLE)
  @ApiEventsQuery()
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No query of this name', ['NoSuchNameException'])
  @ApiProblemResponse(501, 'A WebSocket subscription was asked for', ['ImplementationException'])
  async events(
    @Param('queryName') name: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const { perPage, nextPageToken } = onlyPaging(req);
    const size = pageSize(perPage);
    const epcFormat = parseEpcFormat(req.header('GS1-EPC-Format'));
    const page = await this.namedQueries.events(principal, name, {
      perPage: size,
      ...(nextPageToken === undefined ? {} : { nextPageToken }),
      epcFormat,
    });
    res.setHeader('GS1-EPC-Format', epcFormat);
    setNextPageLink(req, res, page.nextPageToken, size);
    return page.document;
  }
}

/** perPage and nextPageToken, each at most once; any other query parameter is refused by name. */
const onlyPaging = (req: Request): { perPage?: string; nextPageToken?: string } => {
  const paging: { perPage?: string; nextPageToken?: string } = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (WEBSOCKET_PARAMETERS.has(name)) {
      throw new DomainError(
        'NOT_IMPLEMENTED',
        `${name}: subscriptions over WebSocket are not supported; POST /queries/{queryName}/subscriptions subscribes a webhook`,
      );
    }
    if (name !== 'perPage' && name !== 'nextPageToken') {
      throw new DomainError(
        'QUERY_PARAMETER_INVALID',
        `${name} is not a parameter of a named query's events (the query fixes the parameters)`,
      );
    }
    if (typeof value !== 'string') {
      throw new DomainError('QUERY_PARAMETER_INVALID', `${name} must be given once`);
    }
    paging[name] = value;
  }
  return paging;
};
