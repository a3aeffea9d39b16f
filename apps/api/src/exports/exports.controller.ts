import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Public } from '../auth/public.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblemResponse } from '../common/openapi/epcis-binding.js';
import { CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE } from './fsma204-file.js';
import { ExportsService } from './exports.service.js';

// Regulator exports (beyond EPCIS). Thin: the scope, the rows and the files are in the service.
@ApiTags('Exports')
@Public()
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('fsma204')
  @ApiOperation({
    summary: 'The FDA FSMA 204 electronic sortable spreadsheet of a traceability lot or a GTIN',
    description:
      'One row per Critical Tracking Event and traceability lot, with its Key Data Elements, ' +
      'eventID, event hash ID and leaf index; then the signed checkpoint and the TraceBundle that ' +
      'prove the rows (CSV: after an empty line; XLSX: the Proof sheet). docs/specs/fsma204.md.',
  })
  @ApiQuery({
    name: 'tlc',
    required: false,
    description: 'A traceability lot code: (01){gtin}(10){lot}, an LGTIN URI or a Digital Link',
  })
  @ApiQuery({ name: 'gtin', required: false, description: 'A GTIN (with from and to)' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD or RFC 3339 (with gtin)' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (inclusive) or RFC 3339' })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'xlsx'] })
  @ApiProduces(CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  @ApiResponse({ status: 200, description: 'The spreadsheet (Content-Disposition: attachment)' })
  @ApiProblemResponse(400, 'A parameter is invalid (the detail names it)', [
    'QueryParameterException',
  ])
  @ApiProblemResponse(404, 'No recorded event names the traceability lot', [
    'NoSuchResourceException',
  ])
  @ApiProblemResponse(406, 'The Accept header allows neither CSV nor XLSX', [
    'NotAcceptableException',
  ])
  async fsma204(
    @Query('tlc') tlc: string | undefined,
    @Query('gtin') gtin: string | undefined,
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal | null,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.exports.fsma204(
      { tlc, gtin, from, to, format },
      accept,
      new Date(),
      principal,
    );
    res
      .status(200)
      .type(
        file.format === 'csv' ? `${file.mediaType}; charset=utf-8; header=present` : file.mediaType,
      )
      .setHeader('Content-Disposition', `attachment; filename="${file.filename}"`)
      .setHeader('X-Row-Count', String(file.rows))
      .send(file.body);
  }
}
