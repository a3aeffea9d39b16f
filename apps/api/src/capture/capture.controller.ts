import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Options,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';

import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { EpcisDiscoveryHeaders } from '../discovery/epcis-headers.js';
import { parseCount } from '../log/parse-count.js';
import { CAPTURE_LIMITS, type CaptureLimits } from './capture-limits.js';
import { captureJobView, CaptureService } from './capture.service.js';
import { Inject } from '@nestjs/common';

// The EPCIS 2.0 REST binding's capture interface. Thin: parse headers, call the service.
@Controller('capture')
export class CaptureController {
  constructor(
    private readonly capture: CaptureService,
    @Inject(CAPTURE_LIMITS) private readonly limits: CaptureLimits,
  ) {}

  @Options()
  @HttpCode(204)
  @EpcisDiscoveryHeaders()
  options(@Res({ passthrough: true }) res: Response): void {
    res.setHeader('Allow', 'OPTIONS, GET, POST');
    res.setHeader('GS1-EPCIS-Capture-Limit', String(this.limits.maxEvents));
    res.setHeader('GS1-EPCIS-Capture-File-Size-Limit', String(this.limits.maxBytes));
    res.setHeader('GS1-Capture-Error-Behaviour', 'rollback, proceed');
  }

  @Post()
  @HttpCode(202)
  async post(
    @Body() body: unknown,
    @Headers('gs1-capture-error-behaviour') behaviour: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReturnType<typeof captureJobView>> {
    const job = await this.capture.capture(
      body,
      requireOrganization(principal),
      parseBehaviour(behaviour),
    );
    res.setHeader('Location', `/capture/${job.id}`);
    return captureJobView(job);
  }

  @Get()
  async list(
    @Query('perPage') perPage: string | undefined,
    @Query('nextPageToken') nextPageToken: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReturnType<typeof captureJobView>[]> {
    const page = await this.capture.listJobs(requireOrganization(principal), {
      ...(perPage === undefined ? {} : { perPage: parseCount(perPage, 'perPage', 1) }),
      ...(nextPageToken === undefined ? {} : { nextPageToken }),
    });
    if (page.nextPageToken !== null) {
      const next = new URL(req.originalUrl, 'http://x');
      next.searchParams.set('nextPageToken', page.nextPageToken);
      next.searchParams.set('perPage', String(page.perPage));
      res.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    return page.jobs.map(captureJobView);
  }

  @Get(':captureID')
  async get(
    @Param('captureID') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnType<typeof captureJobView>> {
    return captureJobView(await this.capture.getJob(id, requireOrganization(principal)));
  }
}

export const parseBehaviour = (value: string | undefined): 'rollback' | 'proceed' => {
  const v = (value ?? 'rollback').trim().toLowerCase();
  if (v === 'rollback' || v === 'proceed') return v;
  throw new DomainError(
    'VALIDATION_FAILED',
    `GS1-Capture-Error-Behaviour must be rollback or proceed, not "${value}"`,
  );
};

export const requireOrganization = (principal: Principal): string => {
  if (!principal.organizationId) {
    throw new DomainError(
      'FORBIDDEN',
      'this key belongs to no organization: use an organization key to capture',
    );
  }
  return principal.organizationId;
};
