import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AdminRecordsService } from '../admin-records/admin-records.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { parseKeyId } from './api-key.js';
import type {
  AdminActionView,
  ApiKeyView,
  CreateApiKeyInput,
  CreatedApiKeyView,
  CreatedOrganizationResponse,
  CreateOrganizationInput,
  OrganizationResponse,
} from './admin.dto.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService, newApiKey, toRow, verifyGln } from './auth.service.js';
import {
  apiKeyNotFound,
  canAdministerOrganization,
  organizationNotFound,
  requireOrganizationAdmin,
  requireScope,
} from './authorization.js';
import { type ApiKeyScope, DEFAULT_API_KEY_SCOPES, type Principal } from './principal.js';

/**
 * The /admin routes (docs/specs/admin.md): who may do what, and every change recorded through
 * AdminRecordsService (in the transaction that makes it, with its event in the log).
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly auth: AuthService,
    private readonly repository: AuthRepository,
    private readonly records: AdminRecordsService,
  ) {}

  /** POST /admin/organizations: the operator only (the route is @AdminOnly()). */
  async createOrganization(
    principal: Principal,
    input: CreateOrganizationInput,
  ): Promise<CreatedOrganizationResponse> {
    const gln = input.gln ?? null;
    if (gln !== null) verifyGln(gln);
    const id = randomUUID();
    const key = newApiKey();
    const row = toRow(key);
    // No name in the record: the log is public and permanent; the row has it.
    await this.records.record(
      principal,
      'organization.create',
      { organizationId: id, details: { gln, keyId: key.keyId, scopes: [...row.scopes] } },
      (tx) => this.repository.insertOrganization(tx, { id, name: input.name, gln }, row),
    );
    return { id, name: input.name, gln, keyId: key.keyId, apiKey: key.apiKey };
  }

  async getOrganization(principal: Principal, id: string): Promise<OrganizationResponse> {
    requireOrganizationAdmin(principal, id);
    return this.auth.getOrganization(id);
  }

  /** A new key of organization `organizationId`; its default scopes unless `input` names some. */
  async createApiKey(
    principal: Principal,
    organizationId: string,
    input: CreateApiKeyInput | undefined,
    now: Date = new Date(),
  ): Promise<CreatedApiKeyView> {
    requireOrganizationAdmin(principal, organizationId);
    const scopes: readonly ApiKeyScope[] = input?.scopes ?? DEFAULT_API_KEY_SCOPES;
    const expiresAt = input?.expiresAt === undefined ? null : new Date(input.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
      const message = '/expiresAt: must be in the future';
      throw new DomainError('VALIDATION_FAILED', `the request body is invalid: ${message}`, {
        errors: [{ pointer: '/expiresAt', message }],
        epcisException: null,
      });
    }
    const key = newApiKey();
    const details = { scopes: [...scopes], expiresAt: expiresAt?.toISOString() ?? null };
    await this.records.record(
      principal,
      'api-key.create',
      { organizationId, target: key.keyId, details },
      async (tx) => {
        const row = toRow(key, { scopes, expiresAt });
        if (!(await this.repository.insertApiKey(tx, organizationId, row))) {
          throw organizationNotFound();
        }
      },
    );
    return { keyId: key.keyId, apiKey: key.apiKey, ...details };
  }

  /** The keys of organization `organizationId`: never their secrets or the secrets' hashes. */
  async listApiKeys(principal: Principal, organizationId: string): Promise<ApiKeyView[]> {
    requireOrganizationAdmin(principal, organizationId);
    await this.auth.getOrganization(organizationId); // NOT_FOUND when there is none
    const keys = await this.repository.listApiKeys(organizationId);
    return keys.map((key) => ({
      keyId: key.keyId,
      scopes: key.scopes,
      createdAt: key.createdAt.toISOString(),
      expiresAt: key.expiresAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    }));
  }

  /**
   * Revokes key `keyId` (its UUID or the 32 hex digits inside the key): it fails from its next
   * request on. Revoking a revoked key succeeds, changes nothing and records nothing. A key the
   * caller may not administer is answered as one that does not exist.
   */
  async revokeApiKey(principal: Principal, keyId: string): Promise<void> {
    requireScope(principal, 'admin');
    const id = parseKeyId(keyId);
    const key = id === null ? null : await this.repository.findApiKey(id);
    if (
      key === null ||
      (key.organizationId === null
        ? !principal.isAdmin
        : !canAdministerOrganization(principal, key.organizationId))
    ) {
      throw apiKeyNotFound();
    }
    if (key.revokedAt !== null) return;
    await this.records
      .record(
        principal,
        'api-key.revoke',
        { organizationId: key.organizationId, target: key.keyId },
        async (tx) => {
          if (!(await this.repository.revokeApiKeyIn(tx, key.keyId, new Date()))) {
            throw new AlreadyRevoked(); // revoked meanwhile: nothing to record
          }
        },
      )
      .catch((error: unknown) => {
        if (!(error instanceof AlreadyRevoked)) throw error;
      });
  }

  /**
   * Recorded actions in log order after leaf `after` (absent: from the start), at most `limit`.
   * The operator sees every organization's (or `organizationId`'s); an organization's admin key
   * only its own organization's (another `organizationId` is answered as unknown).
   */
  async listActions(
    principal: Principal,
    organizationId: string | undefined,
    after: number,
    limit: number,
  ): Promise<AdminActionView[]> {
    requireScope(principal, 'admin');
    let scope: string | null = null;
    if (organizationId !== undefined) {
      requireOrganizationAdmin(principal, organizationId);
      scope = (await this.auth.getOrganization(organizationId)).id; // NOT_FOUND when there is none
    } else if (!principal.isAdmin) {
      scope = principal.organizationId;
      if (scope === null) throw organizationNotFound(); // unreachable: admin scope needs one
    }
    const actions = await this.records.list(scope, after, limit);
    return actions.map((action) => ({
      id: action.id,
      at: action.at.toISOString(),
      action: action.action,
      actorKeyId: action.actorKeyId,
      actorOrganizationId: action.actorOrganizationId,
      organizationId: action.organizationId,
      target: action.target,
      details: action.details,
      eventId: action.eventId,
      leafIndex: action.leafIndex,
    }));
  }
}

/** Rolls a revocation back that another request made first (it is recorded once, by that one). */
class AlreadyRevoked extends Error {}
