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
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { pageSize, setNextPageLink } from '../common/http/paging.js';
import {
  ApiPaging,
  ApiPathParameter,
  ApiProblemResponse,
  ApiSecurityResponses,
  LINK_HEADER,
  locationHeader,
} from '../common/openapi/epcis-binding.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import { EpcisDiscoveryHeaders } from '../discovery/epcis-headers.js';
import { EPC_FORMATS, parseEpcFormat } from '../query/epc-format.js';
import { SCHEDULE_FIELDS } from './query-schedule.js';
import { type SubscriptionView, SubscriptionsService } from './subscriptions.service.js';

const QUERY_NAME = 'The name of a named query of your organization';
const SUBSCRIPTION_ID = 'The subscriptionID (a UUID) of a subscription to the query';
const SUBSCRIPTION_ID_EXAMPLE = 'df5a33e3-5aa3-4403-ae01-99b83234e27b';

const SCHEDULE_FIELD = {
  type: 'string',
  description: 'Numbers and [low-high] ranges, comma-separated (EPCIS §8.2.5.3), in UTC',
};

const SUBSCRIBE_BODY = {
  type: 'object',
  required: ['dest'],
  description: 'Exactly one of `stream: true` and `schedule`.',
  properties: {
    dest: { type: 'string', format: 'uri', example: 'https://client.example.com/queryCallback' },
    signatureToken: {
      type: 'string',
      description:
        'The HMAC-SHA256 key of the GS1-Signature header of each callback; never shown again',
      example: '13df38d8275b13f05704629e5f1cf3d45d6132d5',
    },
    stream: { type: 'boolean', enum: [true] },
    schedule: {
      type: 'object',
      properties: Object.fromEntries(SCHEDULE_FIELDS.map((field) => [field, SCHEDULE_FIELD])),
      example: { hour: '1', minute: '5', second: '0' },
    },
    reportIfEmpty: { type: 'boolean', default: false },
    initialRecordTime: { type: 'string', format: 'date-time' },
  },
};

const SUBSCRIPTION = {
  type: 'object',
  required: ['subscriptionID', 'queryName', 'dest', 'createdAt', 'signed', 'delivery'],
  properties: {
    subscriptionID: { type: 'string', example: SUBSCRIPTION_ID_EXAMPLE },
    queryName: { type: 'string' },
    dest: { type: 'string', format: 'uri' },
    createdAt: { type: 'string', format: 'date-time' },
    stream: { type: 'boolean', enum: [true] },
    schedule: SUBSCRIBE_BODY.properties.schedule,
    reportIfEmpty: { type: 'boolean' },
    initialRecordTime: { type: 'string', format: 'date-time' },
    epcFormat: { type: 'string', enum: [...EPC_FORMATS] },
    lastNotifiedAt: {
      type: 'string',
      format: 'date-time',
      description: 'The last time dest answered 2xx',
    },
    signed: { type: 'boolean', description: 'Whether callbacks carry GS1-Signature' },
    delivery: {
      type: 'object',
      description:
        'Traceroot: acknowledgedLeafIndex (every leaf up to it was delivered and acknowledged, ' +
        'or does not match), failures (consecutive), nextAttemptAt, lastAttempt (at, status, ' +
        'acknowledged, error, eventCount, durationMs)',
    },
  },
};

const NOT_FOUND = ['NoSuchNameException', 'NoSuchResourceException'] as const;

// EPCIS 2.0 REST binding: /queries/{queryName}/subscriptions (webhooks; the WebSocket variant is
// not implemented). The organization that owns the query owns its subscriptions.
@ApiTags('Subscriptions')
@ApiBearerAuth(API_KEY_AUTH)
@Controller('queries/:queryName/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Options()
  @HttpCode(204)
  @EpcisDiscoveryHeaders()
  @ApiOperation({ summary: 'Discover the subscriptions endpoint of a query (headers only)' })
  @ApiPathParameter('queryName', QUERY_NAME, 'myQuery')
  @ApiResponse({ status: 204, description: 'Allow and the EPCIS discovery headers' })
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No query of this name', ['NoSuchNameException'])
  async options(
    @Param('queryName') queryName: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.subscriptions.list(principal, queryName, 1, undefined);
    res.setHeader('Allow', 'OPTIONS, GET, POST');
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Subscribe a webhook to the query: stream (every new match) or on a schedule',
    description:
      'Each callback POSTs an EPCISQueryDocument (at most SUBSCRIPTION_BATCH_SIZE events) to ' +
      'dest, signed in GS1-Signature (base64 HMAC-SHA256 of the body bytes, keyed by ' +
      'signatureToken), at least once: docs/specs/subscriptions.md.',
  })
  @ApiPathParameter('queryName', QUERY_NAME, 'myQuery')
  @ApiHeader({
    name: 'GS1-EPC-Format',
    required: false,
    description: 'How EPCs are written in the callbacks (default Always_GS1_Digital_Link)',
    schema: { type: 'string', enum: [...EPC_FORMATS] },
  })
  @ApiBody({ required: true, schema: SUBSCRIBE_BODY })
  @ApiResponse({
    status: 201,
    description: 'Subscribed; the subscription is at the Location URL (its secret is not shown)',
    headers: {
      Location: locationHeader(
        'Relative URL of the subscription',
        `/queries/myQuery/subscriptions/${SUBSCRIPTION_ID_EXAMPLE}`,
      ),
    },
    content: { 'application/json': { schema: SUBSCRIPTION } },
  })
  @ApiProblemResponse(400, 'The body is invalid (the detail names the field)', [
    'SubscriptionControlsException',
    'ValidationException',
    'QueryParameterException',
  ])
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No query of this name', ['NoSuchNameException'])
  async subscribe(
    @Param('queryName') queryName: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubscriptionView> {
    const epcFormat = parseEpcFormat(req.header('GS1-EPC-Format'));
    const created = await this.subscriptions.subscribe(principal, queryName, body, epcFormat);
    res.setHeader(
      'Location',
      `/queries/${encodeURIComponent(queryName)}/subscriptions/${created.subscriptionID}`,
    );
    return created;
  }

  @Get()
  @ApiOperation({ summary: "The query's subscriptions, oldest first, in pages" })
  @ApiPathParameter('queryName', QUERY_NAME, 'myQuery')
  @ApiPaging()
  @ApiResponse({
    status: 200,
    description: 'A page of subscriptions',
    headers: { Link: LINK_HEADER },
    content: { 'application/json': { schema: { type: 'array', items: SUBSCRIPTION } } },
  })
  @ApiProblemResponse(400, 'perPage or nextPageToken is invalid (the detail names it)', [
    'QueryParameterException',
  ])
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No query of this name', ['NoSuchNameException'])
  async list(
    @Param('queryName') queryName: string,
    @Query('perPage') perPage: string | undefined,
    @Query('nextPageToken') nextPageToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubscriptionView[]> {
    const size = pageSize(perPage);
    const page = await this.subscriptions.list(principal, queryName, size, nextPageToken);
    setNextPageLink(req, res, page.nextPageToken, size);
    return page.subscriptions;
  }

  @Options(':subscriptionID')
  @HttpCode(204)
  @EpcisDiscoveryHeaders()
  @ApiOperation({ summary: 'Discover a subscription resource (headers only)' })
  @ApiPathParameter('queryName', QUERY_NAME, 'myQuery')
  @ApiPathParameter('subscriptionID', SUBSCRIPTION_ID, SUBSCRIPTION_ID_EXAMPLE)
  @ApiResponse({ status: 204, description: 'Allow and the EPCIS discovery headers' })
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No such query or subscription', NOT_FOUND)
  async optionsOfSubscription(
    @Param('queryName') queryName: string,
    @Param('subscriptionID') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.subscriptions.get(principal, queryName, id);
    res.setHeader('Allow', 'OPTIONS, DELETE, GET');
  }

  @Get(':subscriptionID')
  @ApiOperation({ summary: 'A subscription, with the state of its deliveries' })
  @ApiPathParameter('queryName', QUERY_NAME, 'myQuery')
  @ApiPathParameter('subscriptionID', SUBSCRIPTION_ID, SUBSCRIPTION_ID_EXAMPLE)
  @ApiResponse({
    status: 200,
    description: 'The subscription (never its signatureToken)',
    content: { 'application/json': { schema: SUBSCRIPTION } },
  })
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No such query or subscription', NOT_FOUND)
  get(
    @Param('queryName') queryName: string,
    @Param('subscriptionID') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubscriptionView> {
    return this.subscriptions.get(principal, queryName, id);
  }

  @Delete(':subscriptionID')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe' })
  @ApiPathParameter('queryName', QUERY_NAME, 'myQuery')
  @ApiPathParameter('subscriptionID', SUBSCRIPTION_ID, SUBSCRIPTION_ID_EXAMPLE)
  @ApiResponse({ status: 204, description: 'Unsubscribed' })
  @ApiSecurityResponses()
  @ApiProblemResponse(404, 'No such query or subscription', NOT_FOUND)
  async unsubscribe(
    @Param('queryName') queryName: string,
    @Param('subscriptionID') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.subscriptions.unsubscribe(principal, queryName, id);
  }
}
