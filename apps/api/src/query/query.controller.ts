import { applyDecorators, Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { Public } from '../auth/public.decorator.js';
import { getPrincipal } from '../auth/request-principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { pageSize, setNextPageLink } from '../common/http/paging.js';
import {
  ApiPaging,
  ApiPathParameter,
  ApiProblemResponse,
  ApiSchemaResponse,
  LINK_HEADER,
} from '../common/openapi/epcis-binding.js';
import { EPC_FORMATS, parseEpcFormat } from './epc-format.js';
import { EPCIS_EVENT_TYPES } from '../capture/validation/schema-validators.js';
import { parseEventQuery } from './event-query.js';
import { queryDocument } from './query-document.js';
import { QueryService } from './query.service.js';

/** A query-string value given at most once, as text. */
const single = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new DomainError('QUERY_PARAMETER_INVALID', `${name} must be given once`);
};

/** An EPCIS query over HTTP: parse, run a page, shape the EPCISQueryDocument and headers. */
export const runEventsQuery = async (
  service: QueryService,
  req: Request,
  res: Response,
  fixed: Readonly<Record<string, string>> = {},
): Promise<Record<string, unknown>> => {
  // perPage and nextPageToken page the query; they are not part of it.
  const parameters = Object.fromEntries(
    Object.entries(req.query).filter(([name]) => name !== 'perPage' && name !== 'nextPageToken'),
  );
  for (const name of Object.keys(fixed)) {
    if (name in parameters) {
      throw new DomainError(
        'QUERY_PARAMETER_INVALID',
        `${name} is set by this resource's path: leave it out of the query string`,
      );
    }
  }
  const query = parseEventQuery({ ...parameters, ...fixed });
  const size = pageSize(single(req, 'perPage'));
  const nextPageToken = single(req, 'nextPageToken');
  const epcFormat = parseEpcFormat(req.header('GS1-EPC-Format'));
  const page = await service.page(query, {
    perPage: size,
    ...(nextPageToken === undefined ? {} : { nextPageToken }),
    epcFormat,
    // Each caller sees what it may (docs/specs/privacy.md); anonymous callers the public fields.
    reader: getPrincipal(req) ?? null,
  });
  res.setHeader('GS1-EPC-Format', epcFormat);
  setNextPageLink(req, res, page.nextPageToken, size);
  return queryDocument('SimpleEventQuery', page.events);
};

/** The OpenAPI description shared by every events query operation. */
export const ApiEventsQuery = () =>
  applyDecorators(
    ApiPaging(),
    ApiHeader({
      name: 'GS1-EPC-Format',
      required: false,
      description:
        'How EPCs are written in the results: Always_GS1_Digital_Link (the default), ' +
        'Always_EPC_URN, Never_Translates or No_Preference (docs/specs/query.md). Echoed.',
      schema: { type: 'string', enum: [...EPC_FORMATS] },
    }),
    ApiSchemaResponse(200, 'A page of events as an EPCISQueryDocument', 'EPCISQueryDocument', {
      headers: { Link: LINK_HEADER },
    }),
    ApiProblemResponse(
      400,
      'A query parameter is unknown or invalid, or nextPageToken belongs to another query (the detail names it)',
      ['QueryParameterException'],
    ),
    ApiProblemResponse(
      413,
      'More events match than maxEventCount, or the query ran longer than the time limit',
      ['QueryTooLargeException', 'QueryTooComplexException'],
    ),
  );

// EPCIS 2.0 REST binding: GET /events with the SimpleEventQuery parameters. Thin: parse, call the
// service, shape the response.
@ApiTags('Events')
@Controller('events')
export class QueryController {
  constructor(private readonly query: QueryService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Query EPCIS events (SimpleEventQuery parameters), in pages',
    description:
      'Every EPCIS 2.0 SimpleEventQuery parameter of docs/specs/query.md (eventType, ' +
      'GE_/LT_eventTime, MATCH_epc, EQ_bizStep, WD_bizLocation, EQ_bizTransaction_{type}, ' +
      'orderBy, eventCountLimit, maxEventCount, …); lists are pipe-delimited. Log order unless ' +
      'orderBy is given.',
  })
  @ApiEventsQuery()
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    return runEventsQuery(this.query, req, res);
  }
}

type Browse = {
  /** The query parameter a value of the resource is. */
  parameter: string;
  source: Parameters<QueryService['distinct']>[0];
};

const BROWSE: Readonly<Record<string, Browse>> = {
  bizSteps: { parameter: 'EQ_bizStep', source: { column: 'biz_step' } },
  dispositions: { parameter: 'EQ_disposition', source: { column: 'disposition' } },
  bizLocations: { parameter: 'EQ_bizLocation', source: { term: 'bizLocation' } },
  readPoints: { parameter: 'EQ_readPoint', source: { term: 'readPoint' } },
  epcs: { parameter: 'MATCH_anyEPC', source: 'identifiers' },
};

const collection = (member: readonly string[]) => ({
  '@context': 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  type: 'Collection',
  member: [...member],
});

const encodeValueToken = (value: string): string => Buffer.from(`v:${value}`).toString('base64url');
const decodeValueToken = (token: string): string => {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('v:') || text.length < 3) {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      'nextPageToken is not a token this service issued',
    );
  }
  return text.slice(2);
};

// The browse resources of the EPCIS 2.0 REST binding: the values the events use (paged
// collections), each value's sub-resources (`events`), and its events (the same query as GET
// /events with the value as its parameter).
@ApiTags('Events')
@Controller()
export class BrowseController {
  constructor(private readonly query: QueryService) {}

  @Public()
  @Get('eventTypes')
  @ApiOperation({ summary: 'The EPCIS event types this service supports' })
  eventTypes(): Record<string, unknown> {
    return collection(EPCIS_EVENT_TYPES);
  }

  @Public()
  @Get('eventTypes/:eventType')
  @ApiOperation({ summary: "An event type's sub-resources (events)" })
  @ApiPathParameter('eventType', 'An EPCIS event type', 'ObjectEvent')
  @ApiProblemResponse(404, 'No such event type', ['NoSuchResourceException'])
  eventType(@Param('eventType') eventType: string): Record<string, unknown> {
    if (!(EPCIS_EVENT_TYPES as readonly string[]).includes(eventType)) {
      throw new DomainError('NOT_FOUND', `${eventType} is not an EPCIS event type`, {
        epcisException: 'NoSuchResourceException',
      });
    }
    return collection(['events']);
  }

  @Public()
  @Get('eventTypes/:eventType/events')
  @ApiOperation({ summary: 'Events of one type (the query parameters of GET /events apply)' })
  @ApiPathParameter('eventType', 'An EPCIS event type', 'ObjectEvent')
  @ApiEventsQuery()
  eventTypeEvents(
    @Param('eventType') eventType: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    return runEventsQuery(this.query, req, res, { eventType });
  }
}

/**
 * The controller of one value resource (/bizSteps, /dispositions, /bizLocations, /readPoints,
 * /epcs): its values (a paged Collection), a value's sub-resources, and a value's events.
 */
const valueResource = (resource: string, browse: Browse, example: string) => {
  @ApiTags('Events')
  @Controller(resource)
  class ValueResourceController {
    constructor(readonly query: QueryService) {}

    @Public()
    @Get()
    @ApiOperation({ summary: `The ${resource} of recorded events (a paged Collection)` })
    @ApiPaging()
    @ApiSchemaResponse(200, 'A page of values (a Collection)', null, {
      headers: { Link: LINK_HEADER },
    })
    @ApiProblemResponse(400, 'perPage or nextPageToken is invalid', ['QueryParameterException'])
    async values(
      @Req() req: Request,
      @Res({ passthrough: true }) res: Response,
    ): Promise<Record<string, unknown>> {
      const size = pageSize(single(req, 'perPage'));
      const token = single(req, 'nextPageToken');
      const values = await this.query.distinct(
        browse.source,
        token === undefined ? null : decodeValueToken(token),
        size + 1,
      );
      const page = values.slice(0, size);
      setNextPageLink(req, res, values.length > size ? encodeValueToken(page.at(-1)!) : null, size);
      return collection(page);
    }

    @Public()
    @Get(':value')
    @ApiOperation({ summary: `A value's sub-resources (events); 404 when no event has it` })
    @ApiPathParameter('value', `One of the ${resource} (URL-encoded)`, example)
    @ApiProblemResponse(404, 'No recorded event has this value', ['NoSuchResourceException'])
    async value(@Param('value') value: string): Promise<Record<string, unknown>> {
      const found = await this.query.page(parseEventQuery({ [browse.parameter]: value }), {
        perPage: 1,
        reader: null,
      });
      if (found.events.length === 0) {
        throw new DomainError('NOT_FOUND', `no recorded event has ${resource} ${value}`, {
          epcisException: 'NoSuchResourceException',
        });
      }
      return collection(['events']);
    }

    @Public()
    @Get(':value/events')
    @ApiOperation({ summary: `A value's events (the query parameters of GET /events apply)` })
    @ApiPathParameter('value', `One of the ${resource} (URL-encoded)`, example)
    @ApiEventsQuery()
    events(
      @Param('value') value: string,
      @Req() req: Request,
      @Res({ passthrough: true }) res: Response,
    ): Promise<Record<string, unknown>> {
      return runEventsQuery(this.query, req, res, { [browse.parameter]: value });
    }
  }
  Object.defineProperty(ValueResourceController, 'name', {
    value: `${resource[0]!.toUpperCase()}${resource.slice(1)}Controller`,
  });
  return ValueResourceController;
};

export const VALUE_RESOURCE_CONTROLLERS = [
  valueResource('bizSteps', BROWSE.bizSteps!, 'shipping'),
  valueResource('dispositions', BROWSE.dispositions!, 'in_transit'),
  valueResource('bizLocations', BROWSE.bizLocations!, 'urn:epc:id:sgln:0614141.00777.0'),
  valueResource('readPoints', BROWSE.readPoints!, 'urn:epc:id:sgln:0614141.00777.0'),
  valueResource('epcs', BROWSE.epcs!, 'urn:epc:id:sgtin:0614141.107346.2017'),
];
