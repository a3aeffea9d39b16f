import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TraceBundle } from '@traceroot/trace';
import type { Response } from 'express';

import { Public } from '../auth/public.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { RequireScope } from '../auth/require-scope.decorator.js';
import {
  ApiJsonBody,
  ApiPathParameter,
  ApiProblemResponse,
  ApiSchemaResponse,
  ApiSecurityResponses,
  locationHeader,
} from '../common/openapi/epcis-binding.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import { requireOrganization } from '../capture/capture.controller.js';
import { TIGHTENING_HEADER, tighteningFromHeader } from '../privacy/tightening-header.js';
import { RecordEventService } from './record-event.service.js';
import { type EventView, EventsService } from './events.service.js';

const EVENT_ID =
  'The ID of an EPCIS event: its eventID as captured, or its CBV 2.0 event hash ID when it had none (URL-encoded).';
const EVENT_ID_EXAMPLE =
  'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0';
const NO_SUCH_EVENT = ['NoSuchResourceException'] as const;

// EPCIS 2.0 REST binding: /events. Thin: parse, call a service, shape the EPCIS response.
@ApiTags('Events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly record: RecordEventService,
  ) {}

  @Post()
  @RequireScope('capture')
  @HttpCode(201)
  @ApiBearerAuth(API_KEY_AUTH)
  @ApiOperation({
    summary: 'Capture a single EPCIS event, synchronously',
    description:
      'Validated, stored and sequenced into the log before the answer; refused whole on any fault.',
  })
  @ApiJsonBody('EPCISEvent', 'A single EPCIS event (with its @context)')
  @ApiSchemaResponse(201, 'Captured; the event is at the Location URL', 'LedgerEvent', {
    headers: {
      Location: locationHeader(
        'Relative URL of the new event',
        '/events/urn%3Auuid%3A831c0292-4de1-430a-8255-2aca821abaab',
      ),
    },
  })
  @ApiProblemResponse(400, 'The event is not valid EPCIS 2.0 (JSON pointers name the faults)', [
    'ValidationException',
  ])
  @ApiSecurityResponses()
  @ApiProblemResponse(
    409,
    'An event with this eventID is already recorded (same content or different content)',
    ['ResourceAlreadyExistsException'],
  )
  @ApiProblemResponse(413, 'The body is larger than GS1-EPCIS-Capture-File-Size-Limit', [
    'CaptureLimitExceededException',
  ])
  @ApiProblemResponse(415, 'The body is not application/json or application/ld+json', [
    'UnsupportedMediaTypeException',
  ])
  @ApiProblemResponse(
    501,
    'Valid EPCIS that Traceroot does not implement (an extension event type)',
    ['ImplementationException'],
  )
  async post(
    @Body() body: unknown,
    @Headers(TIGHTENING_HEADER) visibility: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventView> {
    const event = await this.record.recordEvent(
      body,
      requireOrganization(principal),
      tighteningFromHeader(visibility),
    );
    res.setHeader('Location', `/events/${encodeURIComponent(String(event.eventID))}`);
    return event;
  }

  @Public()
  @Get(':eventID')
  @ApiOperation({ summary: 'An individual EPCIS event, with its place in the log' })
  @ApiPathParameter('eventID', EVENT_ID, EVENT_ID_EXAMPLE)
  @ApiSchemaResponse(200, 'The event', 'LedgerEvent')
  @ApiProblemResponse(404, 'No event with this eventID', NO_SUCH_EVENT)
  get(
    @Param('eventID') eventId: string,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<EventView> {
    return this.events.getEvent(eventId, principal);
  }

  @Public()
  @Get(':eventID/bundle')
  @ApiOperation({
    summary: 'The proof bundle of an event: checkpoint, disclosures, inclusion path',
  })
  @ApiPathParameter('eventID', EVENT_ID, EVENT_ID_EXAMPLE)
  @ApiSchemaResponse(200, 'The TraceBundle that `traceroot verify` checks', 'TraceBundle')
  @ApiProblemResponse(404, 'No event with this eventID, or no checkpoint covers it yet', [
    ...NO_SUCH_EVENT,
    'NOT_FOUND',
  ])
  bundle(
    @Param('eventID') eventId: string,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<TraceBundle> {
    return this.events.bundle(eventId, principal);
  }
}
