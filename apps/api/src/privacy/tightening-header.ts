import { DomainError } from '../common/errors/domain-error.js';
import { parseTightening, TighteningError, type Visibility } from './policy.js';

/** The capture header that tightens visibility per request (docs/specs/privacy.md). */
export const TIGHTENING_HEADER = 'traceroot-field-visibility';

/** Parses the Traceroot-Field-Visibility header; a bad one is a 400 naming the header. */
export const tighteningFromHeader = (
  value: string | undefined,
): Readonly<Record<string, Visibility>> | null => {
  try {
    return parseTightening(value);
  } catch (error) {
    if (!(error instanceof TighteningError)) throw error;
    const message = `Traceroot-Field-Visibility: ${error.message}`;
    throw new DomainError('VALIDATION_FAILED', message, {
      errors: [{ pointer: 'header:Traceroot-Field-Visibility', message: error.message }],
    });
  }
};
