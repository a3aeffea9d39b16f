// The EPCIS 2.0 REST binding's exceptions that a capture request (POST /capture, POST /events)
// can answer with, named and typed exactly as the binding's OpenAPI document
// (gs1/EPCIS `REST Bindings/openapi.yaml`, components.responses) writes them in problem details.
// The set is closed: mapping it to anything (HTTP statuses below, UI text) is exhaustive by type.
export type EpcisException =
  /** 400: the body is not a valid EPCIS 2.0 document or event (schema or semantic rule). */
  | 'ValidationException'
  /** 413: more events (GS1-EPCIS-Capture-Limit) or bytes than the server accepts at once. */
  | 'CaptureLimitExceededException'
  /** 409 (POST /events): an event with this eventID already exists. */
  | 'ResourceAlreadyExistsException'
  /** 401 / 403: missing or invalid credentials, or not allowed to capture. */
  | 'SecurityException'
  /** 406: the response cannot be given in the requested format. */
  | 'NotAcceptableException'
  /** 415: the body is not in a supported media type. */
  | 'UnsupportedMediaTypeException'
  /** 501: valid EPCIS that this server does not implement; 500: a server-side error. */
  | 'ImplementationException';

/**
 * The exceptions the validation itself raises (ValidationFailure): the others belong to other
 * stages of a request (authentication, content negotiation, duplicates).
 */
export type CaptureValidationException = Extract<
  EpcisException,
  'ValidationException' | 'CaptureLimitExceededException' | 'ImplementationException'
>;

export type EpcisExceptionInfo = {
  /** The problem details `type` URI, verbatim from the OpenAPI document. */
  readonly type: `epcisException:${EpcisException}`;
  /** The HTTP status the OpenAPI document pairs it with for capture. */
  readonly status: number;
};

/**
 * Each capture exception's problem `type` and status (openapi.yaml responses 400, 401/403, 406,
 * 409ResourceAlreadyExistsException, 413CapturePayloadTooLarge, 415UnsupportedMediaType,
 * 501NotImplemented). ImplementationException is listed with 501 because validation raises it
 * only for valid EPCIS that Traceroot does not support; a server bug stays a 500.
 */
export const EPCIS_EXCEPTIONS: Readonly<Record<EpcisException, EpcisExceptionInfo>> = {
  ValidationException: { type: 'epcisException:ValidationException', status: 400 },
  CaptureLimitExceededException: {
    type: 'epcisException:CaptureLimitExceededException',
    status: 413,
  },
  ResourceAlreadyExistsException: {
    type: 'epcisException:ResourceAlreadyExistsException',
    status: 409,
  },
  SecurityException: { type: 'epcisException:SecurityException', status: 401 },
  NotAcceptableException: { type: 'epcisException:NotAcceptableException', status: 406 },
  UnsupportedMediaTypeException: {
    type: 'epcisException:UnsupportedMediaTypeException',
    status: 415,
  },
  ImplementationException: { type: 'epcisException:ImplementationException', status: 501 },
};
