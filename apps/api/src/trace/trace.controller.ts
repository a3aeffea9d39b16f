import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { Public } from '../auth/public.decorator.js';
import {
  ApiPathParameter,
  ApiProblemResponse,
  ApiSchemaResponse,
} from '../common/openapi/epcis-binding.js';
import { MAX_TRACE_DEPTH, TraceService, type TraceView } from './trace.service.js';

// The multi-hop trace (beyond EPCIS): thin, the walk is in trace-graph.ts.
@ApiTags('Trace')
@Public()
@Controller('trace')
export class TraceController {
  constructor(private readonly traces: TraceService) {}

  @Get(':identifier')
  @ApiOperation({
    summary: 'Everything upstream (backward) and/or downstream (forward) of an identifier',
    description:
      'Follows transformations (inputs ⇄ outputs), aggregations (contents ⇄ containers, until unpacked) ' +
      'and commissioning ILMD lots. Nodes are identifiers, locations and parties; edges are events, ' +
      'each with its place in the log. With bundle=true, one TraceBundle proves every sealed event.',
  })
  @ApiPathParameter(
    'identifier',
    'An EPC URI, a GS1 Digital Link URI or a Digital Link path such as /01/{gtin}/10/{lot}/21/{serial} (URL-encoded)',
    'urn:epc:id:sgtin:0614141.107346.2018',
  )
  @ApiQuery({ name: 'direction', required: false, enum: ['backward', 'forward', 'both'] })
  @ApiQuery({
    name: 'maxDepth',
    required: false,
    description: `hops, 0–${MAX_TRACE_DEPTH} (default 10)`,
  })
  @ApiQuery({ name: 'bundle', required: false, enum: ['true', 'false'] })
  @ApiSchemaResponse(200, 'The trace: nodes, edges, events (and a TraceBundle)', null)
  @ApiProblemResponse(400, 'The identifier or a parameter is invalid (the detail names it)', [
    'QueryParameterException',
  ])
  trace(
    @Param('identifier') identifier: string,
    @Query('direction') direction?: string,
    @Query('maxDepth') maxDepth?: string,
    @Query('bundle') bundle?: string,
  ): Promise<TraceView> {
    return this.traces.trace({ identifier, direction, maxDepth, bundle });
  }
}
