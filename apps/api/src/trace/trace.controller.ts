import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { Public } from '../auth/public.decorator.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
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
      'Follows transformations (inputs ⇄ outputs, instance and lot level: splits, merges), ' +
      'aggregations and associations (contents ⇄ containers, while packed; a container reached from ' +
      'one content does not lead to the others) and ILMD lots (lot ⇄ its commissioned items), within ' +
      'time windows, bounded by maxDepth and 2,000 events, cycle-safe. Nodes are identifiers, locations ' +
      'and parties; edges are events, each with its eventID and leaf index. With bundle=true, one ' +
      'TraceBundle proves every sealed event. docs/specs/trace.md.',
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
    @Query('direction') direction: string | undefined,
    @Query('maxDepth') maxDepth: string | undefined,
    @Query('bundle') bundle: string | undefined,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<TraceView> {
    return this.traces.trace({ identifier, direction, maxDepth, bundle, reader: principal });
  }
}
