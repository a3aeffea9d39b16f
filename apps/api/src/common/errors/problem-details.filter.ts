import type { IncomingMessage, ServerResponse } from 'node:http';

import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { getRequestId, requestPath } from '../http/request-context.js';
import { DomainError } from './domain-error.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem-details.js';

/**
 * The one exception filter: every error a request can end in, from a route, a guard, a pipe or the
 * body parser, leaves as an RFC 9457 problem document (problem-details.ts decides which). Server
 * faults are logged with their stack; the client gets a generic detail and the request ID.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<ServerResponse>();
    const requestId = getRequestId(request);
    const problem = toProblem(exception, { instance: requestPath(request), requestId });

    // A DomainError is a condition the code chose to report (e.g. NOT_READY), not a fault.
    if (problem.status >= 500 && !(exception instanceof DomainError)) {
      this.logger.error('Request failed', exception, {
        requestId,
        method: request.method,
        path: problem.instance,
        status: problem.status,
      });
    }
    // A streamed response that fails half-way can no longer change its status: cut it short.
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const { httpAdapter } = this.adapterHost;
    httpAdapter.setHeader(response, 'Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    httpAdapter.reply(response, problem, problem.status);
  }
}
