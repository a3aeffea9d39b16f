// Services throw DomainError, never HttpException, so they run unchanged from a job or the CLI
// (STYLE §3.5). The union is closed: add a code here and the compiler points at every table in
// problem-types.ts that must learn it (status, title, EPCIS exception).
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'QUERY_PARAMETER_INVALID'
  | 'QUERY_TOO_LARGE'
  | 'QUERY_TOO_COMPLEX'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_ACCEPTABLE'
  | 'DUPLICATE_EVENT'
  | 'CONFLICTING_EVENT'
  | 'ALREADY_EXISTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'CAPTURE_LIMIT_EXCEEDED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_IMPLEMENTED'
  | 'NOT_READY'
  | 'RULE_VIOLATION';

/**
 * The exception names of the EPCIS 2.0 REST binding (the `epcisException:*` problem types of its
 * OpenAPI document, `components.responses`). `NoSuchResourceException` is the name its 404 example
 * uses; `NoSuchNameException` the one its schema enumerates (for named queries).
 */
export type EpcisExceptionName =
  | 'SecurityException'
  | 'ValidationException'
  | 'QueryValidationException'
  | 'QueryParameterException'
  | 'QueryTooLargeException'
  | 'QueryTooComplexException'
  | 'SubscriptionControlsException'
  | 'NoSuchNameException'
  | 'NoSuchResourceException'
  | 'ResourceAlreadyExistsException'
  | 'CaptureLimitExceededException'
  | 'NotAcceptableException'
  | 'UnsupportedMediaTypeException'
  | 'URITooLongException'
  | 'ImplementationException';

/** One offending field. `pointer` is an RFC 6901 JSON Pointer into the request body ("" = all). */
export type FieldError = {
  readonly pointer: string;
  readonly message: string;
  /** RULE_VIOLATION: the published rule broken (docs/specs/rules.md) and its evidence. */
  readonly rule?: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
};

export type DomainErrorOptions = {
  /** The fields at fault, e.g. from schema validation. Build pointers with `toJsonPointer`. */
  errors?: readonly FieldError[];
  /**
   * The EPCIS exception this error is, which becomes the problem `type`. Omitted: the code's
   * default (problem-types.ts). `null`: no EPCIS meaning, even if the code has a default.
   */
  epcisException?: EpcisExceptionName | null;
  cause?: unknown;
};

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly errors: readonly FieldError[];
  readonly epcisException: EpcisExceptionName | null | undefined;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errors = options.errors ?? [];
    this.epcisException = options.epcisException;
  }
}
