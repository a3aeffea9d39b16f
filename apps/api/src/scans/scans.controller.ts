import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import { Public } from '../auth/public.decorator.js';
import { ApiProblemResponse } from '../common/openapi/epcis-binding.js';
import { BodyPipe } from '../masterdata/body.pipe.js';
import { type RecordScanInput, recordScanSchema, type ScanSummaryView } from './scans.dto.js';
import { ScansService } from './scans.service.js';

const RECORD_SCAN_BODY: Record<string, unknown> = z.toJSONSchema(recordScanSchema, { io: 'input' });
delete RECORD_SCAN_BODY.$schema; // OpenAPI 3.0 schema objects have no $schema

const WARNING = {
  nullable: true,
  type: 'object',
  required: ['reason', 'detail'],
  description:
    'far-apart: two scans at least 100 km apart faster than SCAN_MAX_SPEED_KMH (distanceKm, minutesApart, speedKmh, maxSpeedKmh); ' +
    'else many-scans: SCAN_WARN_COUNT scans or more (scanCount, threshold).',
  properties: {
    reason: { type: 'string', enum: ['many-scans', 'far-apart'] },
    detail: { type: 'string' },
  },
  additionalProperties: true,
};

const SUMMARY = {
  type: 'object',
  required: ['identifier', 'scanCount', 'firstScannedAt', 'lastScannedAt', 'warning'],
  properties: {
    identifier: {
      type: 'string',
      format: 'uri',
      example: 'https://id.gs1.org/01/09506000134352/21/0001',
    },
    scanCount: { type: 'integer', minimum: 0 },
    firstScannedAt: { type: 'string', format: 'date-time', nullable: true },
    lastScannedAt: { type: 'string', format: 'date-time', nullable: true },
    warning: WARNING,
  },
};

// Scan telemetry for counterfeit warnings. Public, and it never reads who is asking.
@ApiTags('Scans')
@Controller('scans')
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record one scan of a serialised item’s code; answers its scan summary and warning',
    description:
      'Counts only items a recorded event names (an EPC of an event, at instance level). ' +
      'Stores the item, the time and (if given) the position rounded to 0.1° (≈ 10 km) — never an IP address, user agent or cookie.',
  })
  @ApiBody({ required: true, schema: RECORD_SCAN_BODY })
  @ApiResponse({
    status: 200,
    description: 'The item’s summary',
    content: { 'application/json': { schema: SUMMARY } },
  })
  @ApiProblemResponse(
    400,
    'identifier names no serialised item (GTIN + serial), or the body is invalid',
    ['ValidationException'],
  )
  @ApiProblemResponse(404, 'No recorded event names this item: nothing is stored', [
    'NoSuchResourceException',
  ])
  record(@Body(new BodyPipe(recordScanSchema)) body: RecordScanInput): Promise<ScanSummaryView> {
    return this.scans.record(body);
  }

  @Public()
  @Get(':identifier')
  @ApiOperation({
    summary: 'The scan summary of a serialised item (count, first and last scan, warning)',
  })
  @ApiParam({
    name: 'identifier',
    required: true,
    description:
      'A Digital Link URI or path of a serialised item (…/01/{gtin}/21/{serial}), percent-encoded',
    example: 'https%3A%2F%2Fid.gs1.org%2F01%2F09506000134352%2F21%2F0001',
    schema: { type: 'string' },
  })
  @ApiResponse({
    status: 200,
    description: 'The summary (count 0 when never scanned)',
    content: { 'application/json': { schema: SUMMARY } },
  })
  @ApiProblemResponse(400, 'The identifier names no serialised item', ['ValidationException'])
  @ApiProblemResponse(404, 'No recorded event names this item', ['NoSuchResourceException'])
  summary(@Param('identifier') identifier: string): Promise<ScanSummaryView> {
    return this.scans.summary(identifier);
  }
}
