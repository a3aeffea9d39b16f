import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { TraceBundle } from '@traceroot/trace';
import type { Request, Response } from 'express';

import { Public } from '../auth/public.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { requireOrganization } from '../capture/capture.controller.js';
import { RecordEventService } from './record-event.service.js';
import { type EventView, EventsService } from './events.service.js';
import { parseCount } from '../log/parse-count.js';

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const MAX_PER_PAGE = 1000;

// EPCIS 2.0 REST binding: /events. Thin: parse, call a service, shape the EPCIS response.
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly record: RecordEventService,
  ) {}

  @Post()
  @HttpCode(201)
  async post(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventView> {
    const event = await this.record.recordEvent(body, requireOrganization(principal));
    res.setHeader('Location', `/events/${encodeURIComponent(String(event.eventID))}`);
    return event;
  }

  @Public()
  @Get()
  async list(
    @Query('perPage') perPage: string | undefined,
    @Query('nextPageToken') nextPageToken: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const size =
      perPage === undefined ? 30 : Math.min(parseCount(perPage, 'perPage', 1), MAX_PER_PAGE);
    const page = await this.events.list(size, nextPageToken);
    if (page.nextPageToken) {
      const next = new URL(req.originalUrl, 'http://x');
      next.searchParams.set('nextPageToken', page.nextPageToken);
      next.searchParams.set('perPage', String(size));
      res.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    return {
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page.events } },
      },
    };
  }

  @Public()
  @Get(':eventID')
  get(@Param('eventID') eventId: string): Promise<EventView> {
    return this.events.getEvent(eventId);
  }

  @Public()
  @Get(':eventID/bundle')
  bundle(@Param('eventID') eventId: string): Promise<TraceBundle> {
    return this.events.bundle(eventId);
  }
}
