import {
  type EventPreHash,
  formatEventHashId,
  isTraceError,
  joinEventPreHash,
  renderEventPreHash,
} from '@traceroot/trace';
import { nodeSha256 } from '@traceroot/trace/node';

import { checkEventFields } from './event-checks.js';
import { childPointer, showValue } from './json-pointer.js';
import { describeSchemaError } from './schema-messages.js';
import { EPCIS_EVENT_TYPES, compileSchemaValidators } from './schema-validators.js';
import type { EventValidation, ValidationFailure, ValidationResult } from './validation-result.js';

// The validation of capture bodies (EPCIS 2.0 REST binding: POST /capture, POST /events): the
// EPCIS 2.0 JSON schema, then the rules it cannot express, then the CBV 2.0 event hash ID. Pure
// and synchronous: no database, no clock. Duplicate eventIDs are the capture service's concern.

// Compiled once, when the module loads (at startup).
const VALIDATORS = compileSchemaValidators();

const CAPTURE_DOCUMENTS = {
  EPCISDocument: { validate: VALIDATORS.document, eventList: ['epcisBody', 'eventList'] },
  // The REST binding: "This endpoint should support both EPCISDocument and EPCISQueryDocument".
  EPCISQueryDocument: {
    validate: VALIDATORS.queryDocument,
    eventList: ['epcisBody', 'queryResults', 'resultsBody', 'eventList'],
  },
} as const;

const STANDARD_TYPES: ReadonlySet<unknown> = new Set(EPCIS_EVENT_TYPES);
const EVENT_TYPE_LIST = `${EPCIS_EVENT_TYPES.slice(0, -1).join(', ')} and ${EPCIS_EVENT_TYPES.at(-1)}`;

export type CaptureValidationOptions = {
  /**
   * The most events one document may carry (the GS1-EPCIS-Capture-Limit the server advertises);
   * a longer event list fails with CaptureLimitExceededException before any event is checked.
   */
  readonly captureLimit?: number;
};

/** Where the event sits in the body, and the JSON-LD context it is read with. */
export type EventValidationContext = {
  /** JSON pointer of the event in the body; '' (the default) when the body is the event. */
  readonly pointer?: string;
  /** Its position in the event list; 0 by default. */
  readonly index?: number;
  /** The enclosing document's `@context`, needed to hash extension fields with prefixes. */
  readonly documentContext?: unknown;
};

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refuseDocument = (failure: ValidationFailure): ValidationResult => ({
  valid: false,
  documentFailures: [failure],
  events: [],
  failures: [failure],
});

// formatEventPreHash reports "<pointer relative to the event> <problem>" ("/" is the event itself).
const HASH_MESSAGE = /^(\/\S*) ([\s\S]*)$/;

const hashFailure = (message: string, eventPointer: string): ValidationFailure => {
  const [, relative = '', problem = message] = HASH_MESSAGE.exec(message) ?? [];
  const pointer = eventPointer + (relative === '/' ? '' : relative);
  return {
    pointer,
    message: `${pointer || 'The event'} ${problem} (needed for its CBV 2.0 event hash ID)`,
    exception: 'ValidationException',
  };
};

const hashEvent = (
  event: Readonly<Record<string, unknown>>,
  documentContext: unknown,
  pointer: string,
): { eventHashId: string; preHash: EventPreHash } | { failure: ValidationFailure } => {
  try {
    const preHash = renderEventPreHash(event, { context: documentContext });
    return { eventHashId: formatEventHashId(joinEventPreHash(preHash), nodeSha256), preHash };
  } catch (error) {
    if (!isTraceError(error) || error.code !== 'INVALID_EVENT') throw error; // a bug, not a verdict
    return { failure: hashFailure(error.message, pointer) };
  }
};

const checkEvent = (event: unknown, context: EventValidationContext): EventValidation => {
  const { pointer = '', index = 0, documentContext } = context;
  const invalid = (failure: ValidationFailure): EventValidation => ({
    index,
    pointer,
    valid: false,
    failures: [failure],
  });
  if (!VALIDATORS.event(event)) {
    return invalid(describeSchemaError(VALIDATORS.event.errors ?? [], pointer, 'The event'));
  }
  const valid = event as Readonly<Record<string, unknown>>;
  if (!STANDARD_TYPES.has(valid['type'])) {
    // Schema-valid: an extension event type named by a URI (the schema's Extended-Event).
    const at = childPointer(pointer, 'type');
    return invalid({
      pointer: at,
      message: `${at} ${showValue(valid['type'])} is an extension event type, which Traceroot does not capture: its log identifies events by their CBV 2.0 event hash ID, defined for ${EVENT_TYPE_LIST} only`,
      exception: 'ImplementationException',
    });
  }
  const failures = checkEventFields(valid, pointer);
  const hashed = hashEvent(valid, documentContext, pointer);
  if ('failure' in hashed) failures.push(hashed.failure);
  return {
    index,
    pointer,
    ...('eventHashId' in hashed && { eventHashId: hashed.eventHashId, preHash: hashed.preHash }),
    valid: failures.length === 0,
    failures,
  };
};

const collect = (events: readonly EventValidation[]): ValidationResult => {
  const failures = events.flatMap((event) => event.failures);
  return { valid: failures.length === 0, documentFailures: [], events, failures };
};

const describeType = (type: unknown): ValidationFailure =>
  type === undefined
    ? {
        pointer: '',
        message:
          'The document is missing the required field type: capture an "EPCISDocument" (or an "EPCISQueryDocument"), or POST a single event to /events',
        exception: 'ValidationException',
      }
    : {
        pointer: '/type',
        message: `/type is ${showValue(type)}, but a capture document is an "EPCISDocument" or an "EPCISQueryDocument"; a single event is POSTed to /events`,
        exception: 'ValidationException',
      };

/**
 * Validates the body of POST /capture: an EPCISDocument (or EPCISQueryDocument, which the REST
 * binding also accepts) against the EPCIS 2.0 JSON schema, then each of its events on its own
 * (schema, identifiers, CBV vocabulary, event hash ID), so that a failing event does not hide the
 * verdict on the others (GS1-Capture-Error-Behaviour: proceed keeps the valid ones).
 *
 * Never throws on bad input (anything else thrown is a bug). `doc` is attacker-controlled.
 */
export const validateCaptureDocument = (
  doc: unknown,
  options: CaptureValidationOptions = {},
): ValidationResult => {
  if (!isObject(doc)) {
    return refuseDocument({
      pointer: '',
      message: 'The document must be a JSON object: an EPCISDocument',
      exception: 'ValidationException',
    });
  }
  const type = doc['type'];
  const kind =
    type === 'EPCISDocument' || type === 'EPCISQueryDocument' ? CAPTURE_DOCUMENTS[type] : undefined;
  if (kind === undefined) return refuseDocument(describeType(type));
  if (!kind.validate(doc)) {
    return refuseDocument(describeSchemaError(kind.validate.errors ?? [], '', 'The document'));
  }
  let list: unknown = doc;
  let listPointer = '';
  for (const key of kind.eventList) {
    list = (list as Readonly<Record<string, unknown>>)[key]; // the envelope schema requires it
    listPointer = childPointer(listPointer, key);
  }
  const events = list as readonly unknown[];
  const { captureLimit } = options;
  if (captureLimit !== undefined && events.length > captureLimit) {
    return refuseDocument({
      pointer: listPointer,
      message: `${listPointer} has ${events.length} events, more than this server's capture limit of ${captureLimit} (GS1-EPCIS-Capture-Limit): split the document`,
      exception: 'CaptureLimitExceededException',
    });
  }
  const documentContext = doc['@context'];
  return collect(
    events.map((event, index) =>
      checkEvent(event, { index, pointer: childPointer(listPointer, index), documentContext }),
    ),
  );
};

/**
 * Validates one event: the body of POST /events (the REST binding's EPCIS-Document-Event, no
 * `@context` required), or an event of a document when `context` says where it sits. The result
 * has exactly one entry in `events`.
 *
 * Never throws on bad input (anything else thrown is a bug). `event` is attacker-controlled.
 */
export const validateEvent = (
  event: unknown,
  context: EventValidationContext = {},
): ValidationResult => collect([checkEvent(event, context)]);
