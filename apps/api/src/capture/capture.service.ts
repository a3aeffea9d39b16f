import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { DomainError, type DomainErrorCode } from '../common/errors/domain-error.js';
import type { Visibility } from '../privacy/policy.js';
import { EventsService } from '../events/events.service.js';
import { findUnstorable, unstorableMessage } from '../events/storable-json.js';
import { VocabularyService } from '../masterdata/vocabulary.service.js';
import { CAPTURE_LIMITS, type CaptureLimits } from './capture-limits.js';
import {
  type CaptureErrorBehaviour,
  type CaptureJobRecord,
  CaptureJobsRepository,
} from './capture-jobs.repository.js';
import { CaptureValidator } from './validation/capture-validator.js';
import { resolvePointer } from './validation/json-pointer.js';
import type { EventValidation, ValidationFailure } from './validation/validation-result.js';
import { decodePositionToken, encodePositionToken, UUID } from '../common/http/position-token.js';

/** The answer to a refused capture body, by the exception of the failure that decides it. */
const REFUSAL_CODE: Record<ValidationFailure['exception'], DomainErrorCode> = {
  CaptureLimitExceededException: 'CAPTURE_LIMIT_EXCEEDED',
  ValidationException: 'VALIDATION_FAILED',
  ImplementationException: 'NOT_IMPLEMENTED',
};

/**
 * Turns validation failures into the one error type the filter renders (RFC 9457, JSON pointers).
 * One failure decides the answer and gives the detail, in the order of REFUSAL_CODE: too many
 * events (413), then a fault of the body (400), then valid EPCIS that Traceroot does not implement
 * (501 ImplementationException: an extension event type). A document with a fault and an
 * unsupported event is a client's mistake first. `errors` lists every failure.
 */
export const validationError = (failures: readonly ValidationFailure[]): DomainError => {
  const order = Object.keys(REFUSAL_CODE) as ValidationFailure['exception'][];
  const decisive = order.map((name) => failures.find((f) => f.exception === name)).find(Boolean);
  const exception = decisive?.exception ?? 'ValidationException';
  return new DomainError(
    REFUSAL_CODE[exception],
    decisive?.message ?? 'the document is not valid EPCIS 2.0',
    {
      epcisException: exception,
      errors: failures.map(({ pointer, message }) => ({ pointer, message })),
    },
  );
};

/**
 * POST /capture (EPCIS 2.0 REST binding, capture interface): validate the whole document, then
 * store it — all of it (`rollback`, the default) or its valid events (`proceed`) — with its
 * capture job, in one transaction. Invalid documents are refused with 4xx (an extension event
 * type, which Traceroot does not implement, with 501) and store nothing.
 */
@Injectable()
export class CaptureService {
  constructor(
    private readonly validator: CaptureValidator,
    private readonly events: EventsService,
    private readonly jobs: CaptureJobsRepository,
    @Inject(CAPTURE_LIMITS) private readonly limits: CaptureLimits,
    private readonly vocabulary: VocabularyService,
  ) {}

  /**
   * `apiKeyId`: the capturing key, recorded with the master data versions the document's header
   * writes (docs/specs/master-data.md).
   */
  async capture(
    body: unknown,
    organizationId: string,
    behaviour: CaptureErrorBehaviour,
    apiKeyId: string | null = null,
    tightening: Readonly<Record<string, Visibility>> | null = null,
  ): Promise<CaptureJobRecord> {
    const validated = this.validator.validateCaptureDocument(body, {
      captureLimit: this.limits.maxEvents,
    });
    if (validated.documentFailures.length > 0) throw validationError(validated.documentFailures);
    const context = (body as Record<string, unknown>)['@context'];
    const contextFault = findUnstorable(context, '/@context');
    if (contextFault !== null) throw validationError([unstorableFailure(contextFault)]);
    const result = withStorableEvents(body, validated.events);
    // Master data in the header (null when none: all a document without it pays), checked like
    // the events; applied in the capture transaction, so a refused capture changes none of it.
    const vocabulary = this.vocabulary.plan(body);
    const vocabularyFailures = (vocabulary?.failures ?? []).map((failure) => ({
      ...failure,
      exception: 'ValidationException' as const,
    }));
    if (behaviour === 'rollback' && (!result.valid || vocabularyFailures.length > 0)) {
      throw validationError([...result.failures, ...vocabularyFailures]);
    }
    // Only the valid events are read out of the body: in `proceed` mode the others may be
    // anything at all (e.g. a number), which eventsOfDocument would refuse.
    const keep = result.events.filter((event) => event.valid);
    const prepared = await this.events.prepare(
      keep.map((event) => resolvePointer(body, event.pointer) as Record<string, unknown>),
      context,
      { organizationId, tightening },
      keep.map((event) =>
        event.eventHashId !== undefined && event.preHash !== undefined
          ? { eventHashId: event.eventHashId, preHash: event.preHash }
          : undefined,
      ),
    );
    const createdAt = new Date();
    const validationErrors = [...result.failures, ...vocabularyFailures].map(
      ({ pointer, message, exception }) => ({ pointer, message, exception }),
    );
    const job: CaptureJobRecord = {
      id: randomUUID(),
      organizationId,
      status: 'SUCCESS',
      errorBehaviour: behaviour,
      eventCount: 0,
      errors: validationErrors,
      createdAt,
      finishedAt: createdAt,
    };
    await this.events.sequence(prepared, {
      organizationId,
      captureJobId: job.id,
      behaviour,
      pointerOf: (i) => keep[i]!.pointer,
      beforeSequencing: async (tx, skipped) => {
        // rollback: master data that cannot be applied (another organization's record) throws,
        // which rolls the whole capture back; proceed: it is listed with the job's errors.
        const staged =
          vocabulary === null
            ? null
            : await this.vocabulary.stage(vocabulary, tx, {
                organizationId,
                apiKeyId,
                behaviour,
                now: createdAt,
              });
        // Built afresh on each attempt (a retried capture must not list its duplicates twice).
        const errors = [
          ...validationErrors,
          ...(staged?.failures ?? []),
          ...skipped.map((e) => ({
            pointer: e.errors[0]?.pointer ?? '',
            message: e.message,
            exception: 'ResourceAlreadyExistsException',
          })),
        ];
        Object.assign(job, {
          eventCount: prepared.length - skipped.length,
          errors,
          status: errors.length > 0 ? 'FAILED' : 'SUCCESS',
        });
        await this.jobs.insert(job, tx);
        await staged?.write(job.id, tx);
      },
    });
    return job;
  }

  async getJob(id: string, organizationId: string): Promise<CaptureJobRecord> {
    const job = UUID.test(id) ? await this.jobs.find(id, organizationId) : null;
    if (!job) {
      throw new DomainError('NOT_FOUND', `no capture job ${id} for this organization`, {
        epcisException: 'NoSuchResourceException',
      });
    }
    return job;
  }

  /**
   * GET /capture: a page of `perPage` of the organization's capture jobs, newest first;
   * `nextPageToken` is the opaque position a previous page returned (null on the last page).
   */
  async listJobs(
    organizationId: string,
    perPage: number,
    nextPageToken: string | undefined,
  ): Promise<CaptureJobPage> {
    const before = nextPageToken === undefined ? null : decodePositionToken('j', nextPageToken);
    const rows = await this.jobs.list(organizationId, before, perPage + 1);
    const jobs = rows.slice(0, perPage);
    return {
      jobs,
      nextPageToken: rows.length > perPage ? encodePositionToken('j', jobs.at(-1)!) : null,
    };
  }
}

export type CaptureJobPage = { jobs: CaptureJobRecord[]; nextPageToken: string | null };

const unstorableFailure = (pointer: string): ValidationFailure => ({
  pointer,
  message: unstorableMessage(pointer),
  exception: 'ValidationException',
});

/** The validated events, those with a string PostgreSQL cannot store now invalid too. */
const withStorableEvents = (body: unknown, events: readonly EventValidation[]) => {
  const checked = events.map((event): EventValidation => {
    const fault = event.valid
      ? findUnstorable(resolvePointer(body, event.pointer), event.pointer)
      : null;
    return fault === null
      ? event
      : { ...event, valid: false, failures: [unstorableFailure(fault)] };
  });
  const failures = checked.flatMap((event) => event.failures);
  return { valid: failures.length === 0, events: checked, failures };
};

/** The EPCIS CaptureJob document for a job. */
export const captureJobView = (job: CaptureJobRecord) => ({
  captureID: job.id,
  createdAt: job.createdAt.toISOString(),
  finishedAt: job.finishedAt?.toISOString(),
  running: job.status === 'RUNNING',
  success: job.status === 'SUCCESS',
  captureErrorBehaviour: job.errorBehaviour,
  eventCount: job.eventCount,
  errors: job.errors,
});
