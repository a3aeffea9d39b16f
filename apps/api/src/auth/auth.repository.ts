import { Injectable } from '@nestjs/common';

import { OPERATOR_ORGANIZATION_ID } from '../admin-records/admin-action.js';
import { DomainError } from '../common/errors/domain-error.js';
import { PrismaService } from '../database/prisma.service.js';
import { organizationNotFound } from './authorization.js';
import type { Sql } from '../ledger/ledger.repository.js';

// Advisory lock key of "create the first organization" ("TRACE" + 3; the ledger uses + 1 and + 2).
export const FIRST_ORGANIZATION_LOCK = 0x54524143_4503n;

export type OrganizationRecord = {
  id: string;
  name: string;
  gln: string | null;
  createdAt: Date;
};

/** An api_keys row to insert: the service chooses the ID (it is part of the key string). */
export type NewApiKeyRow = {
  keyId: string;
  secretHash: Uint8Array;
  scopes: readonly string[];
  isAdmin?: boolean;
  expiresAt?: Date | null;
};

/** A key as the admin routes list it: never its secret's hash. */
export type ApiKeyRecord = {
  keyId: string;
  organizationId: string | null;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

/** What authentication needs of an active key. */
export type ActiveApiKey = {
  keyId: string;
  organizationId: string | null;
  secretHash: Uint8Array;
  isAdmin: boolean;
  scopes: string[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The columns are uuid: a malformed ID is simply absent (PostgreSQL would reject it with an error).
const isUuid = (text: string): boolean => UUID.test(text);

// Prisma's known request errors carry a code; checked by shape so Prisma types stay in here.
const prismaCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const translateGlnConflict = (error: unknown): never => {
  // Unique constraint violation (Prisma's P2002, PostgreSQL's 23505 through raw SQL); gln is the
  // only unique column an insert of an organization here can break.
  const code = prismaCode(error);
  if (code === 'P2002' || code === '23505') {
    throw new DomainError('VALIDATION_FAILED', 'an organization with this GLN already exists', {
      errors: [{ pointer: '/gln', message: 'an organization with this GLN already exists' }],
      epcisException: null,
      cause: error,
    });
  }
  throw error;
};

const ORGANIZATION_FIELDS = { id: true, name: true, gln: true, createdAt: true } as const;

const toKeyData = (key: NewApiKeyRow) => ({
  id: key.keyId,
  secretHash: new Uint8Array(key.secretHash), // Prisma wants Uint8Array<ArrayBuffer>
  scopes: [...key.scopes],
  isAdmin: key.isAdmin ?? false,
  expiresAt: key.expiresAt ?? null,
});

/** Organizations and their API keys (small tables: the Prisma client API serves them). */
@Injectable()
export class AuthRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates an organization and its first key in one transaction. */
  async createOrganization(
    organization: { name: string; gln: string | null },
    firstKey: NewApiKeyRow,
  ): Promise<OrganizationRecord> {
    try {
      return await this.prisma.client.organization.create({
        data: { ...organization, apiKeys: { create: toKeyData(firstKey) } },
        select: ORGANIZATION_FIELDS,
      });
    } catch (error) {
      return translateGlnConflict(error);
    }
  }

  /**
   * Creates `organization` with `firstKey` if no organization exists yet (besides the operator
   * organization), and returns it; returns null when one does. Serialised by an advisory lock, so API processes starting together on an
   * empty database create one organization, not one each.
   */
  createFirstOrganization(
    organization: { name: string; gln: string | null },
    firstKey: NewApiKeyRow,
  ): Promise<OrganizationRecord | null> {
    return this.prisma.client.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', FIRST_ORGANIZATION_LOCK);
      // The operator organization (which records admin actions) is not one that captures.
      const existing = await tx.organization.findFirst({
        where: { id: { not: OPERATOR_ORGANIZATION_ID } },
        select: { id: true },
      });
      if (existing !== null) return null;
      return tx.organization.create({
        data: { ...organization, apiKeys: { create: toKeyData(firstKey) } },
        select: ORGANIZATION_FIELDS,
      });
    });
  }

  async findOrganization(id: string): Promise<OrganizationRecord | null> {
    if (!isUuid(id)) return null;
    return this.prisma.client.organization.findUnique({
      where: { id },
      select: ORGANIZATION_FIELDS,
    });
  }

  /** Adds a key to an existing organization; NOT_FOUND when there is no such organization. */
  async createApiKey(organizationId: string, key: NewApiKeyRow): Promise<void> {
    const notFound = organizationNotFound;
    if (!isUuid(organizationId)) throw notFound();
    try {
      await this.prisma.client.apiKey.create({ data: { ...toKeyData(key), organizationId } });
    } catch (error) {
      // P2003: foreign key violation, i.e. the organization does not exist.
      if (prismaCode(error) === 'P2003') throw notFound();
      throw error;
    }
  }

  /**
   * Marks a key revoked at `now`; revoking it again keeps the first time. Returns false when there
   * is no such key.
   */
  async revokeApiKey(keyId: string, now: Date): Promise<boolean> {
    if (!isUuid(keyId)) return false;
    const { count } = await this.prisma.client.apiKey.updateMany({
      where: { id: keyId, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count > 0) return true;
    const existing = await this.prisma.client.apiKey.findUnique({
      where: { id: keyId },
      select: { id: true },
    });
    return existing !== null;
  }

  /** The key `keyId` if it is neither revoked nor expired at `now`; null otherwise. */
  async findActiveApiKey(keyId: string, now: Date): Promise<ActiveApiKey | null> {
    if (!isUuid(keyId)) return null;
    const row = await this.prisma.client.apiKey.findFirst({
      where: {
        id: keyId,
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
      select: { id: true, organizationId: true, secretHash: true, isAdmin: true, scopes: true },
    });
    if (row === null) return null;
    const { id, ...rest } = row;
    return { keyId: id, ...rest, secretHash: new Uint8Array(rest.secretHash) };
  }

  // Raw SQL on a caller's transaction: the admin actions that AdminRecordsService records run
  // inside its transaction (one connection; the embedded PGlite has no second one to wait for).

  /** Inserts organization `organization` (its ID chosen by the caller) and its first key, in `tx`. */
  async insertOrganization(
    tx: Sql,
    organization: { id: string; name: string; gln: string | null },
    firstKey: NewApiKeyRow,
  ): Promise<void> {
    try {
      await tx.$executeRawUnsafe(
        'INSERT INTO organizations (id, name, gln) VALUES ($1::uuid, $2, $3)',
        organization.id,
        organization.name,
        organization.gln,
      );
    } catch (error) {
      translateGlnConflict(error);
    }
    await this.insertApiKey(tx, organization.id, firstKey);
  }

  /** Adds a key to organization `organizationId` in `tx`; false when there is no such organization. */
  async insertApiKey(tx: Sql, organizationId: string, key: NewApiKeyRow): Promise<boolean> {
    if (!isUuid(organizationId)) return false;
    const count = await tx.$executeRawUnsafe(
      `INSERT INTO api_keys (id, organization_id, secret_hash, scopes, is_admin, expires_at)
       SELECT $1::uuid, id, $3, $4::text[], $5, $6 FROM organizations WHERE id = $2::uuid`,
      key.keyId,
      organizationId,
      Buffer.from(key.secretHash),
      [...key.scopes],
      key.isAdmin ?? false,
      key.expiresAt ?? null,
    );
    return count === 1;
  }

  /** Revokes key `keyId` at `now` in `tx` unless it is revoked already; whether this revoked it. */
  async revokeApiKeyIn(tx: Sql, keyId: string, now: Date): Promise<boolean> {
    const count = await tx.$executeRawUnsafe(
      'UPDATE api_keys SET revoked_at = $2 WHERE id = $1::uuid AND revoked_at IS NULL',
      keyId,
      now,
    );
    return count === 1;
  }

  /** The key `keyId`, revoked or expired or not; null when there is none. */
  async findApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    if (!isUuid(keyId)) return null;
    const row = await this.prisma.client.apiKey.findUnique({
      where: { id: keyId },
      select: API_KEY_FIELDS,
    });
    return row && toKeyRecord(row);
  }

  /** Every key of organization `organizationId`, oldest first. */
  async listApiKeys(organizationId: string): Promise<ApiKeyRecord[]> {
    if (!isUuid(organizationId)) return [];
    const rows = await this.prisma.client.apiKey.findMany({
      where: { organizationId },
      select: API_KEY_FIELDS,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toKeyRecord);
  }
}

const API_KEY_FIELDS = {
  id: true,
  organizationId: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;

const toKeyRecord = ({
  id,
  ...rest
}: {
  id: string;
  organizationId: string | null;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}): ApiKeyRecord => ({ keyId: id, ...rest });
