// Services throw DomainError, never HttpException, so they run unchanged from a job or the CLI
// (STYLE §3.5). The union is closed: add a code here and the filter's map must follow.
export type DomainErrorCode = 'NOT_FOUND';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}
