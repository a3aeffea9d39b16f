import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { Principal } from '../auth/principal.js';
import { EventsService } from '../events/events.service.js';
import type { Sql } from '../ledger/ledger.repository.js';
import {
  type AdminAction,
  type AdminRecord,
  buildAdminEvent,
  OPERATOR_ORGANIZATION_ID,
} from './admin-action.js';
import { AdminRecordsRepository, type StoredAdminAction } from './admin-records.repository.js';

/** What an action is about (admin_actions' columns besides who and when). */
export type AdminActionFields = {
  /** The organization acted upon; null or absent for actions on none (keys.rotate). */
  organizationId?: string | null;
  /** What was acted upon inside it (an API key ID, an eventID …); null: the organization. */
  target?: string | null;
  /** The action's parameters: never a secret (API key, key material), never personal data. */
  details?: Record<string, unknown>;
};

/** Where the record of an action is in the log. */
export type RecordedAdminAction = { eventId: string; leafIndex: number };

/**
 * The record of administrative actions (issue 6 §4, docs/specs/admin.md): every action is
 * performed, written to admin_actions and appended to the log as an EPCIS event in one
 * transaction, so that no action is recorded without happening and none happens unrecorded.
 */
@Injectable()
export class AdminRecordsService {
  private operatorReady: Promise<void> | undefined;

  constructor(
    private readonly events: EventsService,
    private readonly repository: AdminRecordsRepository,
  ) {}

  /**
   * Performs `apply` (the action itself, on the transaction it is given: it must use `tx` for
   * every statement) and records it: an admin_actions row and an event in the log, recorded by
   * the operator organization (created on first use, before the transaction). Anything `apply` throws rolls all of it
   * back and is rethrown. The actor is `principal`: its key, and its organization or, for an
   * operator key of none, the operator organization.
   */
  async record(
    principal: Principal,
    action: AdminAction,
    fields: AdminActionFields,
    apply?: (tx: Sql) => Promise<void>,
  ): Promise<RecordedAdminAction> {
    const record: AdminRecord = {
      id: randomUUID(),
      at: new Date(),
      action,
      actorKeyId: principal.keyId,
      actorOrganizationId: principal.organizationId ?? OPERATOR_ORGANIZATION_ID,
      organizationId: fields.organizationId ?? null,
      target: fields.target ?? null,
      details: fields.details ?? {},
    };
    // Before the capture path looks the recording organization up (its policy, its data key).
    this.operatorReady ??= this.repository.ensureOperatorOrganization().catch((error: unknown) => {
      this.operatorReady = undefined;
      throw error;
    });
    await this.operatorReady;
    const { '@context': context, ...event } = buildAdminEvent(record);
    const prepared = await this.events.prepare([event], context, {
      organizationId: OPERATOR_ORGANIZATION_ID,
    });
    const { firstLeafIndex } = await this.events.sequence(prepared, {
      organizationId: OPERATOR_ORGANIZATION_ID,
      captureJobId: null,
      behaviour: 'rollback',
      pointerOf: () => '',
      beforeSequencing: async (tx) => {
        await apply?.(tx);
        await this.repository.insert(tx, record);
      },
    });
    return { eventId: prepared[0]!.eventId, leafIndex: firstLeafIndex };
  }

  /**
   * Recorded actions in log order after leaf `afterLeafIndex` (−1: from the start), at most
   * `limit`; only those on `organizationId` when it is given.
   */
  list(
    organizationId: string | null,
    afterLeafIndex: number,
    limit: number,
  ): Promise<StoredAdminAction[]> {
    return this.repository.list({ organizationId, afterLeafIndex, limit });
  }
}
