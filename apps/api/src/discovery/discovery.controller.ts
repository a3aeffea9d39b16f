import type { IncomingHttpHeaders } from 'node:http';

import { Controller, Get, Header, Headers, HttpCode, HttpStatus, Options } from '@nestjs/common';
import {
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import type { ApiIndex } from './discovery.service.js';
import { DiscoveryService } from './discovery.service.js';
import { EPCIS_DISCOVERY_HEADERS, EpcisDiscoveryHeaders } from './epcis-headers.js';
import { Public } from '../auth/public.decorator.js';

const ALLOW = 'OPTIONS, GET, HEAD';

const discoveryResponseHeaders = Object.fromEntries(
  Object.entries(EPCIS_DISCOVERY_HEADERS).map(([name, value]) => [
    name,
    { schema: { type: 'string', example: value } },
  ]),
);

// EPCIS 2.0 REST binding, path "/": discovery.
@ApiTags('Discovery')
@Public()
@Controller()
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Options()
  @HttpCode(HttpStatus.NO_CONTENT)
  @Header('Allow', ALLOW)
  @EpcisDiscoveryHeaders()
  @ApiOperation({ summary: 'EPCIS and CBV versions, EPC format and vendor version (headers only)' })
  @ApiNoContentResponse({
    headers: { Allow: { schema: { type: 'string', example: ALLOW } }, ...discoveryResponseHeaders },
  })
  discover(): void {}

  @Get()
  @Header('Allow', ALLOW)
  @EpcisDiscoveryHeaders()
  @ApiOperation({ summary: 'The top-level resources and links to the API description' })
  @ApiHeader({
    name: 'GS1-EPCIS-Min',
    required: false,
    description: 'Lowest EPCIS version the client accepts',
  })
  @ApiHeader({
    name: 'GS1-EPCIS-Max',
    required: false,
    description: 'Highest EPCIS version the client accepts',
  })
  @ApiHeader({
    name: 'GS1-CBV-Min',
    required: false,
    description: 'Lowest CBV version the client accepts',
  })
  @ApiHeader({
    name: 'GS1-CBV-Max',
    required: false,
    description: 'Highest CBV version the client accepts',
  })
  @ApiOkResponse({
    description: 'EPCIS TopLevelResourceCollection with `links`',
    headers: discoveryResponseHeaders,
  })
  getIndex(@Headers() headers: IncomingHttpHeaders): ApiIndex {
    return this.discovery.getIndex(headers);
  }
}
