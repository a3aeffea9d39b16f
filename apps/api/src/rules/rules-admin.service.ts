import { Injectable } from '@nestjs/common';

import { AdminRecordsService } from '../admin-records/admin-records.service.js';
import { organizationNotFound, requireOrganizationAdmin } from '../auth/authorization.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { type RuleMode, RulesService } from './rules.service.js';

export type RuleModeView = {
  organizationId: string;
  mode: RuleMode;
  ruleSet: string;
  hash: string;
};

/** Per-organization rule modes, set by the organization's admin (or the operator), recorded in the log. */
@Injectable()
export class RulesAdminService {
  constructor(
    private readonly rules: RulesService,
    private readonly records: AdminRecordsService,
  ) {}

  async get(principal: Principal, organizationId: string): Promise<RuleModeView> {
    requireOrganizationAdmin(principal, organizationId);
    const mode = await this.rules.modeOf(organizationId).catch(notFound);
    return this.view(organizationId, mode);
  }

  async set(principal: Principal, organizationId: string, mode: RuleMode): Promise<RuleModeView> {
    requireOrganizationAdmin(principal, organizationId);
    await this.rules.modeOf(organizationId).catch(notFound);
    await this.records.record(
      principal,
      'rules.mode',
      { organizationId, details: { mode } },
      (tx) => this.rules.setMode(organizationId, mode, tx),
    );
    return this.view(organizationId, mode);
  }

  private view(organizationId: string, mode: RuleMode): RuleModeView {
    const { version, hash } = this.rules.published;
    return { organizationId, mode, ruleSet: version, hash };
  }
}

/** An unknown organization answers exactly as one the caller may not administer. */
const notFound = (error: unknown): never => {
  if (error instanceof DomainError && error.code === 'NOT_FOUND') throw organizationNotFound();
  throw error;
};
