import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { Principal } from '../auth/principal.js';
import { validationError } from '../capture/capture.service.js';
import { CaptureValidator } from '../capture/validation/capture-validator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { EventsService } from '../events/events.service.js';
import { identifierParameter } from '../events/indexed-identifier.js';
import { MAX_TRACE_DEPTH, TraceService, type TraceView } from '../trace/trace.service.js';
import { affectedOf, traceNames } from './affected.js';
import { RECALL_CONTEXT, recallEvents } from './recall-events.js';
import type { CreateRecallInput, RecallSummary, RecallView } from './recalls.dto.js';
import {
  type RecallListRecord,
  type RecallRecord,
  RecallsRepository,
} from './recalls.repository.js';
import { decodePositionToken, encodePositionToken, UUID } from '../common/http/position-token.js';

/** A fault of one field of the body: 400 naming it (RFC 6901 pointer). */
const fieldError = (pointer: string, message: string): DomainError =>
  new DomainError('VALIDATION_FAILED', `${pointer}: ${message}`, {
    errors: [{ pointer, message: `${pointer}: ${message}` }],
    epcisException: 'ValidationException',
  });

/** An identifier field of the body, in the event index's form (400 naming the field when invalid). */
const parseIdentifier = (value: string, pointer: string) => {
  try {
    return identifierParameter(value, pointer);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw fieldError(pointer, `'${value}' is not an EPC URI or GS1 Digital Link`);
  }
};

/** What the body recalls: each identifier with the pointer of the field that named it. */
export const recalledIdentifiers = (
  input: Pick<CreateRecallInput, 'lot' | 'gtin' | 'epcs'>,
): { identifier: string; pointer: string }[] => {
  if (input.lot !== undefined) {
    const value =
      input.gtin !== undefined
        ? `/01/${input.gtin.padStart(14, '0')}/10/${encodeURIComponent(input.lot)}`
        : input.lot;
    const { identifier } = parseIdentifier(value, input.gtin !== undefined ? '/gtin' : '/lot');
    if (!/^https:\/\/id\.gs1\.org\/01\/\d{14}\/10\/[^/]+$/.test(identifier)) {
      throw fieldError('/lot', `'${input.lot}' names no lot (a GTIN with a lot number)`);
    }
    return [{ identifier, pointer: '/lot' }];
  }
  const seen = new Set<string>();
  return (input.epcs ?? []).flatMap((epc, i) => {
    const { identifier } = parseIdentifier(epc, `/epcs/${i}`);
    if (seen.has(identifier)) return [];
    seen.add(identifier);
    return [{ identifier, pointer: `/epcs/${i}` }];
  });
};

/** A recall's fields without its affected snapshot. */
const viewFields = (recall: Omit<RecallRecord, 'affected'>): Omit<RecallView, 'affected'> => ({
  id: recall.id,
  reason: recall.reason,
  ...(recall.classification !== null ? { classification: recall.classification } : {}),
  ...(recall.contact !== null ? { contact: recall.contact } : {}),
  organizationId: recall.organizationId,
  recalled: recall.identifiers,
  eventIDs: recall.eventIds,
  recalledAt: recall.recalledAt.toISOString(),
  createdAt: recall.createdAt.toISOString(),
});

export const recallView = (recall: RecallRecord): RecallView => ({
  ...viewFields(recall),
  affected: recall.affected,
});

const summaryOf = (recall: RecallListRecord): RecallSummary => ({
  ...viewFields(recall),
  affectedCounts: recall.counts,
  truncated: recall.truncated,
});

export type RecallPage = { recalls: RecallSummary[]; nextPageToken: string | null };

/**
 * POST /recalls: the forward trace of what is recalled, the recall events naming everything it
 * reached (captured like POST /events: validated, hash IDs, leaves, the query index), and the
 * recall row, stored in the one transaction that sequences the events (docs/specs/recalls.md).
 */
@Injectable()
export class RecallsService {
  constructor(
    private readonly repository: RecallsRepository,
    private readonly traces: TraceService,
    private readonly events: EventsService,
    private readonly validator: CaptureValidator,
  ) {}

  async create(
    input: CreateRecallInput,
    principal: Principal,
    now: Date = new Date(),
  ): Promise<RecallView> {
    if (!principal.organizationId) {
      throw new DomainError(
        'FORBIDDEN',
        'this key belongs to no organization: use an organization key to record a recall',
      );
    }
    if (!principal.scopes.includes('capture')) {
      throw new DomainError('FORBIDDEN', 'recording a recall needs a key with the capture scope');
    }
    const recalled = recalledIdentifiers(input);
    if (
      input.readPoint !== undefined &&
      !/^https:\/\/id\.gs1\.org\/414\//.test(
        parseIdentifier(input.readPoint, '/readPoint').identifier,
      )
    ) {
      throw fieldError('/readPoint', `'${input.readPoint}' is not a location (SGLN or GLN)`);
    }

    // One forward trace per recalled identifier, one after another (each is bounded).
    const traces: TraceView[] = [];
    for (const { identifier, pointer } of recalled) {
      const trace = await this.traces.trace({
        identifier,
        direction: 'forward',
        maxDepth: String(MAX_TRACE_DEPTH),
        // The affected places and parties a recall publishes come from public fields only: what
        // the recaller may see of its partners' events is not for GET /recalls to repeat.
        reader: null,
      });
      if (!traceNames(trace, identifier)) {
        throw new DomainError('NOT_FOUND', `${pointer}: no recorded event names ${identifier}`, {
          errors: [{ pointer, message: `no recorded event names ${identifier}` }],
          epcisException: 'NoSuchResourceException',
        });
      }
      traces.push(trace);
    }
    const affected = affectedOf(traces);

    const id = randomUUID();
    const events = recallEvents({
      id,
      time: now,
      reason: input.reason,
      classification: input.classification,
      readPoint: input.readPoint,
      lots: affected.lots,
      epcs: affected.epcs,
    });
    for (const event of events) {
      const result = this.validator.validateEvent({ '@context': RECALL_CONTEXT, ...event });
      if (!result.valid) throw validationError(result.failures);
    }
    const prepared = await this.events.prepare(events, RECALL_CONTEXT, {
      organizationId: principal.organizationId,
    });
    const recall: RecallRecord = {
      id,
      organizationId: principal.organizationId,
      apiKeyId: principal.keyId,
      reason: input.reason,
      classification: input.classification ?? null,
      contact: input.contact ?? null,
      identifiers: recalled.map((r) => r.identifier),
      eventIds: prepared.map((p) => p.eventId),
      affected,
      recalledAt: now,
      createdAt: now,
    };
    await this.events.sequence(prepared, {
      organizationId: principal.organizationId,
      captureJobId: null,
      behaviour: 'rollback',
      pointerOf: () => '',
      beforeSequencing: (tx) => this.repository.insert(recall, tx),
    });
    return recallView(recall);
  }

  async get(id: string): Promise<RecallView> {
    const recall = UUID.test(id) ? await this.repository.find(id) : null;
    if (!recall) {
      throw new DomainError('NOT_FOUND', `no recall ${id}`, {
        epcisException: 'NoSuchResourceException',
      });
    }
    return recallView(recall);
  }

  /** GET /recalls: newest first, `perPage` a page; the token is opaque to clients. */
  async list(perPage: number, nextPageToken: string | undefined): Promise<RecallPage> {
    const before = nextPageToken === undefined ? null : decodePositionToken('r', nextPageToken);
    const rows = await this.repository.list(before, perPage + 1);
    const page = rows.slice(0, perPage);
    return {
      recalls: page.map(summaryOf),
      nextPageToken: rows.length > perPage ? encodePositionToken('r', page.at(-1)!) : null,
    };
  }
}
