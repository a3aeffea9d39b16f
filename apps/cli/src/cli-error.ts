// The CLI's closed set of outcomes and their exit codes (documented in `traceroot --help`).
export type ExitCode = 0 | 1 | 2 | 3;

export const EXIT = {
  OK: 0,
  /** The input is invalid, or verification failed: the reason is printed. */
  INVALID: 1,
  /** The command line is wrong (unknown command, missing or bad argument). */
  USAGE: 2,
  /** A file could not be read or parsed as JSON. */
  IO: 3,
} as const satisfies Record<string, ExitCode>;

export type CliErrorKind = 'USAGE' | 'IO' | 'INVALID';

/** Thrown by commands; main() prints the message and exits with the kind's code. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly kind: CliErrorKind,
    message: string,
  ) {
    super(message);
  }
}
