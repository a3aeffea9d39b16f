// RFC 9457 problem details for the QR code and label routes, in the API's shape
// (apps/api/src/common/errors/problem-types.md): a closed set of codes, each with one status,
// one `type` URI and one title (RFC 9457 §3.1.4: a title never varies between occurrences).

export type ProblemCode =
  | 'INVALID_IDENTIFIER'
  | 'INVALID_PARAMETER'
  | 'NOT_FOUND'
  | 'MALFORMED_BODY'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

const PROBLEM_TYPE_BASE = 'https://traceroot.dev/problems/';

const PROBLEMS = {
  INVALID_IDENTIFIER: { status: 400, title: 'Invalid GS1 identifier' },
  INVALID_PARAMETER: { status: 400, title: 'Invalid parameter' },
  NOT_FOUND: { status: 404, title: 'Resource not found' },
  MALFORMED_BODY: { status: 400, title: 'Malformed request body' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
} as const satisfies Record<ProblemCode, { status: number; title: string }>;

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** Extension: the stable machine-readable code. */
  code: ProblemCode;
  /** Extension: the query parameter or body field at fault, when one is. */
  parameter?: string;
};

/** A refusal of the request, thrown by src/lib/qr and src/lib/labels, rendered by the handlers. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';

  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export const invalidParameter = (parameter: string, message: string): ProblemError =>
  new ProblemError('INVALID_PARAMETER', `${parameter}: ${message}`, parameter);

export const toProblem = (error: ProblemError, instance: string): Problem => ({
  type: PROBLEM_TYPE_BASE + error.code.toLowerCase().replaceAll('_', '-'),
  ...PROBLEMS[error.code],
  detail: error.message,
  instance,
  code: error.code,
  ...(error.parameter !== undefined && { parameter: error.parameter }),
});

/** The problem as `application/problem+json`; never cached (the fix is usually one request away). */
export const problemResponse = (error: ProblemError, instance: string): Response => {
  const problem = toProblem(error, instance);
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
};
