import { Injectable } from '@nestjs/common';

import {
  type CaptureValidationOptions,
  type EventValidationContext,
  validateCaptureDocument,
  validateEvent,
} from './validate-capture.js';
import type { ValidationResult } from './validation-result.js';

/**
 * The capture endpoints' validation (POST /capture, POST /events) as a Nest provider. Stateless:
 * the schema is compiled once when the module loads; every call is pure and synchronous, and
 * never throws on bad input.
 */
@Injectable()
export class CaptureValidator {
  /**
   * The body of POST /capture (see validateCaptureDocument). Pass `{ captureLimit }` (the
   * advertised GS1-EPCIS-Capture-Limit) to refuse longer documents before checking any event.
   */
  validateCaptureDocument(doc: unknown, options?: CaptureValidationOptions): ValidationResult {
    return validateCaptureDocument(doc, options);
  }

  /** See validateEvent: the body of POST /events, or one event of a document. */
  validateEvent(event: unknown, context?: EventValidationContext): ValidationResult {
    return validateEvent(event, context);
  }
}
