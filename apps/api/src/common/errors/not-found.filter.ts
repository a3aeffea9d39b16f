import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpStatus, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { buildProblem, sendProblem } from './problem-details.js';

// Nest answers an unknown route by throwing NotFoundException ("Cannot GET /x"). Rendering it as
// problem details gives every 404 a client sees the same shape as a DomainError's.
@Catch(NotFoundException)
export class NotFoundFilter implements ExceptionFilter<NotFoundException> {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: NotFoundException, host: ArgumentsHost): void {
    const problem = buildProblem(HttpStatus.NOT_FOUND, error.message, 'NOT_FOUND');
    sendProblem(this.adapterHost, host.switchToHttp().getResponse(), problem);
  }
}
