import { Injectable } from '@nestjs/common';

import { CaptureValidator } from '../capture/validation/capture-validator.js';
import { validationError } from '../capture/capture.service.js';
import type { Visibility } from '../privacy/policy.js';
import { type EventView, EventsService } from './events.service.js';
import { findUnstorable, unstorableMessage } from './storable-json.js';

/** POST /events: one event, captured synchronously (201) or refused whole (4xx). */
@Injectable()
export class RecordEventService {
  constructor(
    private readonly validator: CaptureValidator,
    private readonly events: EventsService,
  ) {}

  async recordEvent(
    body: unknown,
    organizationId: string,
    tightening: Readonly<Record<string, Visibility>> | null = null,
  ): Promise<EventView> {
    const result = this.validator.validateEvent(body);
    if (!result.valid) throw validationError(result.failures);
    const fault = findUnstorable(body);
    if (fault !== null) {
      throw validationError([
        { pointer: fault, message: unstorableMessage(fault), exception: 'ValidationException' },
      ]);
    }
    const { '@context': context, ...event } = body as Record<string, unknown>;
    const prepared = await this.events.prepare([event], context, { organizationId, tightening });
    await this.events.sequence(prepared, {
      organizationId,
      captureJobId: null,
      behaviour: 'rollback',
      pointerOf: () => '',
    });
    // The capturing organization reads its own event: every field.
    return this.events.getEvent(prepared[0]!.eventId, { organizationId });
  }
}
