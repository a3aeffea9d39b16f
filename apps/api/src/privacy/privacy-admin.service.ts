import { Injectable } from '@nestjs/common';

import { AdminRecordsService } from '../admin-records/admin-records.service.js';
import {
  organizationNotFound,
  requireOrganizationAdmin,
  requireScope,
} from '../auth/authorization.js';
import type { Principal } from '../auth/principal.js';
import { UUID } from '../common/http/position-token.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { PrivacyRepository } from './privacy.repository.js';
import { PrivacyService } from './privacy.service.js';

export type PolicyView = {
  organizationId: string;
  policy: Policy;
  /** True while the organization has set no policy of its own. */
  isDefault: boolean;
  updatedAt: string | null;
  /** The service's default policy, for reference. */
  defaultPolicy: Policy;
};

/**
 * The administrative side of privacy: policies, erasure, KEK rotation. Each action is authorised
 * (the organization's admin key or the operator), performed and recorded in the log in one
 * transaction (AdminRecordsService).
 */
@Injectable()
export class PrivacyAdminService {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly repository: PrivacyRepository,
    private readonly records: AdminRecordsService,
  ) {}

  private async requireOrganization(principal: Principal, organizationId: string): Promise<void> {
    requireOrganizationAdmin(principal, organizationId);
    if (
      !UUID.test(organizationId) ||
      (await this.repository.organization(organizationId)) === null
    ) {
      throw organizationNotFound();
    }
  }

  async getPolicy(principal: Principal, organizationId: string): Promise<PolicyView> {
    await this.requireOrganization(principal, organizationId);
    const { policy, isDefault, updatedAt } = await this.privacy.policyOf(organizationId);
    return { organizationId, policy, isDefault, updatedAt, defaultPolicy: DEFAULT_POLICY };
  }

  async putPolicy(
    principal: Principal,
    organizationId: string,
    policy: Policy,
  ): Promise<PolicyView> {
    await this.requireOrganization(principal, organizationId);
    await this.records.record(
      principal,
      'policy.update',
      { organizationId, details: { policy } },
      (tx) => this.privacy.putPolicy(organizationId, policy, tx),
    );
    return this.getPolicy(principal, organizationId);
  }

  /**
   * Crypto-shredding of an organization (GDPR/PIPL erasure, docs/specs/privacy.md §erasure): its
   * data keys are destroyed, so every partner and private field of its events is unreadable for
   * everyone; public fields, leaves, proofs and checkpoints are unchanged.
   */
  async eraseOrganization(
    principal: Principal,
    organizationId: string,
  ): Promise<{ organizationId: string; dataKeysDestroyed: number; recordedAs: string }> {
    await this.requireOrganization(principal, organizationId);
    let dataKeysDestroyed = 0;
    const recorded = await this.records.record(
      principal,
      'organization.erase',
      { organizationId },
      async (tx) => {
        dataKeysDestroyed = await this.privacy.eraseOrganization(organizationId, tx);
      },
    );
    return { organizationId, dataKeysDestroyed, recordedAs: recorded.eventId };
  }

  /** Crypto-shredding of one event's partner and private fields (its key is deleted). */
  async eraseEvent(
    principal: Principal,
    eventId: string,
  ): Promise<{ eventID: string; erased: boolean; recordedAs: string }> {
    requireScope(principal, 'admin');
    const event = await this.privacy.requireOwnEvent(eventId, principal);
    let erased = false;
    const recorded = await this.records.record(
      principal,
      'event.erase',
      { organizationId: event.organizationId, target: eventId },
      async (tx) => {
        erased = await this.privacy.eraseEvent(event.seq, tx);
      },
    );
    return { eventID: eventId, erased, recordedAs: recorded.eventId };
  }

  /** Re-wraps every live data key under the current KEK (operator only; no downtime). */
  async rotateKeys(
    principal: Principal,
  ): Promise<{ kekId: string; rewrapped: number; recordedAs: string }> {
    const rewrapped = await this.privacy.rewrapDataKeys();
    const recorded = await this.records.record(principal, 'keys.rotate', {
      target: this.privacy.currentKekId,
      details: { rewrapped },
    });
    return { kekId: this.privacy.currentKekId, rewrapped, recordedAs: recorded.eventId };
  }
}
