import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import type { DomainErrorCode } from './domain-error.js';
import { DomainError } from './domain-error.js';
import { buildProblem, sendProblem } from './problem-details.js';

// Exhaustive by type: a new DomainErrorCode does not compile until it has a status here.
const STATUS_BY_CODE: Record<DomainErrorCode, HttpStatus> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
};

@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter<DomainError> {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: DomainError, host: ArgumentsHost): void {
    const problem = buildProblem(STATUS_BY_CODE[error.code], error.message, error.code);
    sendProblem(this.adapterHost, host.switchToHttp().getResponse(), problem);
  }
}
