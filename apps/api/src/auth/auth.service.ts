import { randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { isTraceError, verifyAiValue } from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';
import { ENV, type Env } from '../config/env.js';
import {
  API_KEY_SECRET_BYTES,
  buildApiKey,
  hashApiKeySecret,
  isApiKeySecretValid,
  isSameSecretText,
  type NewApiKey,
  parseApiKey,
  parseKeyId,
} from './api-key.js';
import { AuthRepository, type NewApiKeyRow } from './auth.repository.js';
import { apiKeyNotFound, organizationNotFound } from './authorization.js';
import {
  type ApiKeyScope,
  BOOTSTRAP_PRINCIPAL,
  DEFAULT_API_KEY_SCOPES,
  type Principal,
} from './principal.js';

export type CreatedOrganization = {
  id: string;
  name: string;
  gln: string | null;
  keyId: string;
  /** The organization's first API key. Shown once: only its hash is stored. */
  apiKey: string;
};

export type CreatedApiKey = {
  keyId: string;
  /** Shown once: only its hash is stored. */
  apiKey: string;
};

export const DEFAULT_ORGANIZATION_NAME = 'Default organization';

// RFC 7235 §2.1: the scheme is case-insensitive; RFC 6750 §2.1: one token after one or more spaces.
const BEARER = /^Bearer +([^\s]+) *$/i;

const INVALID_KEY = 'the API key is not valid';

// Compared against when a key ID is unknown, so that answer takes as long as a wrong secret.
const UNKNOWN_KEY_HASH = hashApiKeySecret(new Uint8Array(API_KEY_SECRET_BYTES));

const SCOPES = new Set<string>(['capture', 'query', 'admin'] satisfies ApiKeyScope[]);
const isScope = (scope: string): scope is ApiKeyScope => SCOPES.has(scope);

/** Organizations, API keys, and who a request's Authorization header says it comes from. */
@Injectable()
export class AuthService {
  private readonly bootstrapKey: string | undefined;

  constructor(
    private readonly repository: AuthRepository,
    @Inject(ENV) env: Env,
  ) {
    this.bootstrapKey = env.TRACEROOT_BOOTSTRAP_API_KEY;
  }

  /**
   * The principal of an `Authorization: Bearer <key>` header (attacker-controlled). Throws
   * UNAUTHENTICATED when it is missing, malformed, or names no active key; the message does not
   * say whether a key is unknown, revoked, expired or has a wrong secret. Nothing is cached: a
   * revoked key fails on its next request.
   */
  async authenticate(authorizationHeader: string | undefined): Promise<Principal> {
    if (authorizationHeader === undefined || authorizationHeader === '') {
      throw new DomainError(
        'UNAUTHENTICATED',
        'this request needs an API key (Authorization: Bearer <key>)',
      );
    }
    const token = BEARER.exec(authorizationHeader)?.[1];
    if (token === undefined) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'the Authorization header must be "Bearer <API key>"',
      );
    }
    if (this.bootstrapKey !== undefined && isSameSecretText(token, this.bootstrapKey)) {
      return BOOTSTRAP_PRINCIPAL;
    }
    const { keyId, secret } = parseApiKey(token);
    const key = await this.repository.findActiveApiKey(keyId, new Date());
    if (!isApiKeySecretValid(secret, key?.secretHash ?? UNKNOWN_KEY_HASH) || key === null) {
      throw new DomainError('UNAUTHENTICATED', INVALID_KEY);
    }
    return {
      organizationId: key.organizationId,
      isAdmin: key.isAdmin,
      keyId: key.keyId,
      scopes: key.scopes.filter(isScope),
    };
  }

  /** Creates an organization with its first API key. `gln`, when given, must be a valid GLN. */
  async createOrganization(input: {
    name: string;
    gln?: string | undefined;
  }): Promise<CreatedOrganization> {
    const gln = input.gln ?? null;
    if (gln !== null) verifyGln(gln);
    const key = newApiKey();
    const organization = await this.repository.createOrganization(
      { name: input.name, gln },
      toRow(key),
    );
    return { ...withoutDate(organization), keyId: key.keyId, apiKey: key.apiKey };
  }

  /**
   * For the first start of the embedded default: when no organization exists, creates
   * "Default organization" and returns it with its key (for the caller to print once); otherwise
   * null. Safe to call from every process at every start.
   */
  async ensureFirstOrganization(): Promise<CreatedOrganization | null> {
    const key = newApiKey();
    const organization = await this.repository.createFirstOrganization(
      { name: DEFAULT_ORGANIZATION_NAME, gln: null },
      toRow(key),
    );
    return organization && { ...withoutDate(organization), keyId: key.keyId, apiKey: key.apiKey };
  }

  /** The organization `id`; NOT_FOUND when there is none. */
  async getOrganization(
    id: string,
  ): Promise<{ id: string; name: string; gln: string | null; createdAt: string }> {
    const organization = await this.repository.findOrganization(id);
    if (organization === null) throw organizationNotFound();
    return { ...withoutDate(organization), createdAt: organization.createdAt.toISOString() };
  }

  /** A new API key for organization `organizationId`; NOT_FOUND when there is none. */
  async createApiKey(organizationId: string): Promise<CreatedApiKey> {
    const key = newApiKey();
    await this.repository.createApiKey(organizationId, toRow(key));
    return { keyId: key.keyId, apiKey: key.apiKey };
  }

  /**
   * Revokes a key (by its UUID, or the 32 hex digits inside the key string): it fails from its
   * next request on. Revoking a revoked key succeeds and keeps the first revocation time.
   * NOT_FOUND when there is no such key.
   */
  async revokeApiKey(keyId: string): Promise<void> {
    const id = parseKeyId(keyId);
    if (id === null || !(await this.repository.revokeApiKey(id, new Date()))) {
      throw apiKeyNotFound();
    }
  }
}

/** A new key from fresh randomness (node:crypto). */
export const newApiKey = (): NewApiKey =>
  buildApiKey(randomUUID(), new Uint8Array(randomBytes(API_KEY_SECRET_BYTES)));

/** The api_keys row of `key`: the default scopes unless told otherwise. */
export const toRow = (
  key: NewApiKey,
  options: { scopes?: readonly ApiKeyScope[]; expiresAt?: Date | null } = {},
): NewApiKeyRow => ({
  keyId: key.keyId,
  secretHash: key.secretHash,
  scopes: options.scopes ?? DEFAULT_API_KEY_SCOPES,
  expiresAt: options.expiresAt ?? null,
});

const withoutDate = ({ id, name, gln }: { id: string; name: string; gln: string | null }) => ({
  id,
  name,
  gln,
});

/** Throws VALIDATION_FAILED naming /gln unless `gln` is a GLN: GS1 AI 414, 13 digits, check digit. */
export const verifyGln = (gln: string): void => {
  try {
    verifyAiValue('414', gln);
  } catch (error) {
    if (!isTraceError(error)) throw error;
    const message = `gln must be a GS1 GLN (13 digits with a valid check digit): ${error.message}`;
    throw new DomainError('VALIDATION_FAILED', message, {
      errors: [{ pointer: '/gln', message }],
      epcisException: null,
      cause: error,
    });
  }
};
