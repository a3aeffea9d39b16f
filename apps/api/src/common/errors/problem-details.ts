import { STATUS_CODES } from 'node:http';

import type { HttpAdapterHost } from '@nestjs/core';

// RFC 9457 problem details. `type` stays "about:blank" until the API documents problem types of
// its own; with "about:blank", `title` is the status's reason phrase (§4.2.1).
export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Extension member (RFC 9457 §3.2): the DomainErrorCode, when there is one. */
  code?: string;
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const buildProblem = (status: number, detail: string, code?: string): ProblemDetails => ({
  type: 'about:blank',
  title: STATUS_CODES[status] ?? 'Error',
  status,
  detail,
  ...(code === undefined ? {} : { code }),
});

// Through Nest's adapter rather than Express's API, so filters stay platform-neutral.
export const sendProblem = (
  { httpAdapter }: HttpAdapterHost,
  response: unknown,
  problem: ProblemDetails,
): void => {
  httpAdapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
  httpAdapter.reply(response, problem, problem.status);
};
