import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Public } from '../auth/public.decorator.js';
import { type PublishedRules, RulesService } from './rules.service.js';

// The published rules (issue 6 §3): anyone may read the rule set every capture is checked
// against, and recompute its hash (docs/specs/rules.md).
@ApiTags('Rules')
@Public()
@Controller('rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The published rule set, its version and hash (sha256 of its canonical JSON)',
  })
  @ApiOkResponse({
    description: '{ name, version, hash, rules: [{ id, title, description }] }, with an ETag',
  })
  get(@Res({ passthrough: true }) response: Response): PublishedRules {
    // A strong validator: the rule set is its hash. Express answers 304 to a matching If-None-Match.
    response.setHeader('ETag', `"${this.rules.published.hash}"`);
    return this.rules.published;
  }
}
