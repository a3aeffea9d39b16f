import { HttpStatus } from '@nestjs/common';

import type { DomainErrorCode, EpcisExceptionName } from './domain-error.js';

// Every table is a Record over a closed union, not a switch: a new code or exception name does
// not compile until each table has its row. problem-types.md documents the same tables.

export const STATUS_BY_CODE: Record<DomainErrorCode, HttpStatus> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  MALFORMED_JSON: HttpStatus.BAD_REQUEST,
  QUERY_PARAMETER_INVALID: HttpStatus.BAD_REQUEST,
  QUERY_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  QUERY_TOO_COMPLEX: HttpStatus.PAYLOAD_TOO_LARGE,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_ACCEPTABLE: HttpStatus.NOT_ACCEPTABLE,
  DUPLICATE_EVENT: HttpStatus.CONFLICT,
  CONFLICTING_EVENT: HttpStatus.CONFLICT,
  ALREADY_EXISTS: HttpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  CAPTURE_LIMIT_EXCEEDED: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  NOT_IMPLEMENTED: HttpStatus.NOT_IMPLEMENTED,
  NOT_READY: HttpStatus.SERVICE_UNAVAILABLE,
  RULE_VIOLATION: HttpStatus.UNPROCESSABLE_ENTITY,
};

/**
 * The EPCIS exception a code stands for unless the thrower says otherwise. `null` where the code
 * has no single EPCIS meaning: a 404 is `NoSuchResourceException` on /events but not on /log, so
 * the thrower names it.
 */
export const DEFAULT_EPCIS_EXCEPTION_BY_CODE: Record<DomainErrorCode, EpcisExceptionName | null> = {
  NOT_FOUND: null,
  VALIDATION_FAILED: 'ValidationException',
  MALFORMED_JSON: 'ValidationException',
  QUERY_PARAMETER_INVALID: 'QueryParameterException',
  // More events than the query's maxEventCount allows.
  QUERY_TOO_LARGE: 'QueryTooLargeException',
  // The query ran longer than QUERY_TIMEOUT_MS.
  QUERY_TOO_COMPLEX: 'QueryTooComplexException',
  UNAUTHENTICATED: 'SecurityException',
  FORBIDDEN: 'SecurityException',
  NOT_ACCEPTABLE: 'NotAcceptableException',
  DUPLICATE_EVENT: 'ResourceAlreadyExistsException',
  CONFLICTING_EVENT: 'ResourceAlreadyExistsException',
  // A named query of that name exists (POST /queries).
  ALREADY_EXISTS: 'ResourceAlreadyExistsException',
  // The body limit is what OPTIONS /capture announces as GS1-EPCIS-Capture-File-Size-Limit.
  PAYLOAD_TOO_LARGE: 'CaptureLimitExceededException',
  CAPTURE_LIMIT_EXCEEDED: 'CaptureLimitExceededException',
  UNSUPPORTED_MEDIA_TYPE: 'UnsupportedMediaTypeException',
  // Valid EPCIS that Traceroot does not support (the binding's 501NotImplemented response).
  NOT_IMPLEMENTED: 'ImplementationException',
  NOT_READY: null,
  // A published rule refused the event (an organization in enforce mode): docs/specs/rules.md.
  RULE_VIOLATION: null,
};

// RFC 9457 §3.1.4: a title belongs to its type and does not change between occurrences.
export const TITLE_BY_CODE: Record<DomainErrorCode, string> = {
  NOT_FOUND: 'Resource not found',
  VALIDATION_FAILED: 'Request validation failed',
  MALFORMED_JSON: 'Malformed JSON body',
  QUERY_PARAMETER_INVALID: 'Invalid query parameter',
  QUERY_TOO_LARGE: 'Query result too large',
  QUERY_TOO_COMPLEX: 'Query too complex',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Access forbidden',
  NOT_ACCEPTABLE: 'Not acceptable',
  DUPLICATE_EVENT: 'Duplicate event',
  CONFLICTING_EVENT: 'Conflicting event',
  ALREADY_EXISTS: 'Resource already exists',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  CAPTURE_LIMIT_EXCEEDED: 'Capture limit exceeded',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  NOT_IMPLEMENTED: 'Not implemented',
  NOT_READY: 'Service not ready',
  RULE_VIOLATION: 'Rule violated',
};

export const TITLE_BY_EPCIS_EXCEPTION: Record<EpcisExceptionName, string> = {
  SecurityException: 'Unauthorised request',
  ValidationException: 'Invalid request',
  QueryValidationException: 'Invalid EPCIS query',
  QueryParameterException: 'Invalid query parameter',
  QueryTooLargeException: 'Query result too large',
  QueryTooComplexException: 'Query too complex',
  SubscriptionControlsException: 'Invalid subscription controls',
  NoSuchNameException: 'No such name',
  NoSuchResourceException: 'Resource not found',
  ResourceAlreadyExistsException: 'Resource already exists',
  CaptureLimitExceededException: 'Capture payload too large',
  NotAcceptableException: 'Not acceptable',
  UnsupportedMediaTypeException: 'Unsupported media type',
  URITooLongException: 'URI too long',
  ImplementationException: 'A server-side error occurred',
};

/**
 * The title of an EPCIS exception answered with `status`. The binding gives one exception two
 * titles: ImplementationException is "A server-side error occurred" as a 500
 * (500ImplementationException) and "Functionality not supported by server" as a 501
 * (501NotImplemented); every other exception has one.
 */
export const titleOfEpcisException = (name: EpcisExceptionName, status: number): string =>
  name === 'ImplementationException' && status === Number(HttpStatus.NOT_IMPLEMENTED)
    ? 'Functionality not supported by server'
    : TITLE_BY_EPCIS_EXCEPTION[name];

/** Statuses whose Nest HttpException (thrown by a pipe or guard) stands for exactly one code. */
export const CODE_BY_HTTP_STATUS: Partial<Record<number, DomainErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION_FAILED',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.NOT_ACCEPTABLE]: 'NOT_ACCEPTABLE',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.NOT_IMPLEMENTED]: 'NOT_IMPLEMENTED',
};

/** The problem-type URI of a code without an EPCIS meaning: NOT_FOUND → …/problems/not-found. */
export const PROBLEM_TYPE_BASE = 'https://traceroot.dev/problems/';

export const problemTypeOfCode = (code: DomainErrorCode): string =>
  `${PROBLEM_TYPE_BASE}${code.toLowerCase().replaceAll('_', '-')}`;

/** The EPCIS 2.0 REST binding's problem type for an exception: a CURIE-like `epcisException:` URI. */
export const problemTypeOfEpcisException = (name: EpcisExceptionName): string =>
  `epcisException:${name}`;
