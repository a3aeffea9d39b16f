import type { EventPreHash } from '@traceroot/trace';

import type { CaptureValidationException } from './epcis-exception.js';

/** One reason a capture body is refused. */
export type ValidationFailure = {
  /**
   * RFC 6901 JSON pointer into the submitted body (`/epcisBody/eventList/1/epcList/0`); `''` is
   * the whole body. For a missing field it points at the object that lacks it.
   */
  readonly pointer: string;
  /** A sentence a person can act on; it starts with the pointer (or "The document"/"The event"). */
  readonly message: string;
  /** ImplementationException: valid EPCIS that Traceroot does not capture (answered with 501). */
  readonly exception: CaptureValidationException;
};

/** The verdict on one event of the body. */
export type EventValidation = {
  /** Position in the event list (0 for the body of POST /events). */
  readonly index: number;
  /** JSON pointer of the event in the body. */
  readonly pointer: string;
  /**
   * The event's CBV 2.0 event hash ID (`ni:///sha-256;…?ver=CBV2.0`), computed from the event as
   * submitted; absent when the event is not schema-valid or cannot be hashed.
   */
  readonly eventHashId?: string;
  /** Its pre-hash string in parts (renderEventPreHash), with `eventHashId`: for a salted hash. */
  readonly preHash?: EventPreHash;
  readonly valid: boolean;
  /** This event's failures (empty when valid): its first schema error, or every semantic one. */
  readonly failures: readonly ValidationFailure[];
};

export type ValidationResult = {
  /** True when the body and every one of its events pass every check. */
  readonly valid: boolean;
  /**
   * Failures outside any event (not a JSON object, document type, header, envelope, capture
   * limit). When there are any, `events` is empty and nothing may be captured, whatever
   * GS1-Capture-Error-Behaviour says.
   */
  readonly documentFailures: readonly ValidationFailure[];
  /** One entry per event, in document order; `proceed` keeps those with `valid: true`. */
  readonly events: readonly EventValidation[];
  /** Every failure: the document's, then each event's, in document order. */
  readonly failures: readonly ValidationFailure[];
};
