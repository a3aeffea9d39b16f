import { STATUS_CODES } from 'node:http';

import { HttpException, HttpStatus } from '@nestjs/common';

import type { DomainErrorCode, EpcisExceptionName, FieldError } from './domain-error.js';
import { DomainError } from './domain-error.js';
import {
  CODE_BY_HTTP_STATUS,
  DEFAULT_EPCIS_EXCEPTION_BY_CODE,
  STATUS_BY_CODE,
  TITLE_BY_CODE,
  TITLE_BY_EPCIS_EXCEPTION,
  problemTypeOfCode,
  titleOfEpcisException,
  problemTypeOfEpcisException,
} from './problem-types.js';

/** The code of a failure that is the server's fault; never thrown, only rendered. */
export type ProblemCode = DomainErrorCode | 'INTERNAL_ERROR';

/** RFC 9457 §3 extension style: one entry per offending field. */
export type ProblemFieldError = {
  pointer: string;
  detail: string;
  /** RULE_VIOLATION: the rule ID and the evidence (docs/specs/rules.md). */
  rule?: string;
  evidence?: Readonly<Record<string, unknown>>;
};

/**
 * An RFC 9457 problem document, as this API renders every error. `code`, `requestId` and `errors`
 * are extension members (§3.2). See problem-types.md.
 */
export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path (no query string): identifies this occurrence together with requestId. */
  instance: string;
  /** Absent only for an HttpException whose status stands for no code (type "about:blank"). */
  code?: ProblemCode;
  requestId?: string;
  errors: ProblemFieldError[];
};

/** Where the problem happened: the request path and the request's ID. */
export type Occurrence = { instance: string; requestId: string | undefined };

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const INTERNAL_ERROR_DETAIL =
  'The server failed to handle the request. Quote the request ID when reporting it.';

const build = (
  fields: Omit<ProblemDetails, 'instance' | 'requestId'>,
  { instance, requestId }: Occurrence,
): ProblemDetails => ({
  type: fields.type,
  title: fields.title,
  status: fields.status,
  detail: fields.detail,
  instance,
  ...(fields.code === undefined ? {} : { code: fields.code }),
  ...(requestId === undefined ? {} : { requestId }),
  errors: fields.errors,
});

const fromCode = (
  code: DomainErrorCode,
  detail: string,
  epcisException: EpcisExceptionName | null | undefined,
  errors: readonly FieldError[],
  occurrence: Occurrence,
): ProblemDetails => {
  const exception =
    epcisException === undefined ? DEFAULT_EPCIS_EXCEPTION_BY_CODE[code] : epcisException;
  const status = STATUS_BY_CODE[code];
  return build(
    {
      type: exception ? problemTypeOfEpcisException(exception) : problemTypeOfCode(code),
      title: exception ? titleOfEpcisException(exception, status) : TITLE_BY_CODE[code],
      status,
      detail,
      code,
      errors: errors.map(({ pointer, message, rule, evidence }) => ({
        pointer,
        detail: message,
        ...(rule === undefined ? {} : { rule }),
        ...(evidence === undefined ? {} : { evidence }),
      })),
    },
    occurrence,
  );
};

export const problemFromDomainError = (
  error: DomainError,
  occurrence: Occurrence,
): ProblemDetails =>
  fromCode(error.code, error.message, error.epcisException, error.errors, occurrence);

/** The answer to anything unexpected: no message, no stack, nothing internal. */
export const internalErrorProblem = (occurrence: Occurrence): ProblemDetails =>
  build(
    {
      type: problemTypeOfEpcisException('ImplementationException'),
      title: TITLE_BY_EPCIS_EXCEPTION.ImplementationException,
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: INTERNAL_ERROR_DETAIL,
      code: 'INTERNAL_ERROR',
      errors: [],
    },
    occurrence,
  );

// Nest's exceptions carry either a string or `{ message: string | string[], … }`.
const httpExceptionDetail = (exception: HttpException): string => {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) {
    return message.join('; ');
  }
  return exception.message;
};

export const problemFromHttpException = (
  exception: HttpException,
  occurrence: Occurrence,
): ProblemDetails => {
  const status = exception.getStatus();
  if (status === 500) return internalErrorProblem(occurrence);
  const detail = httpExceptionDetail(exception);
  const code = CODE_BY_HTTP_STATUS[status];
  if (code !== undefined) return fromCode(code, detail, undefined, [], occurrence);
  // RFC 9457 §4.2.1: "about:blank" says no more than the status, so its title is the reason phrase.
  return build(
    { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, errors: [] },
    occurrence,
  );
};

/** Renders anything a request can fail with. Errors that are not ours become a generic 500. */
export const toProblem = (exception: unknown, occurrence: Occurrence): ProblemDetails => {
  if (exception instanceof DomainError) return problemFromDomainError(exception, occurrence);
  if (exception instanceof HttpException) return problemFromHttpException(exception, occurrence);
  return internalErrorProblem(occurrence);
};
