import { Injectable } from '@nestjs/common';

import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isSameJson, withoutUndefined } from './attributes.js';
import type {
  Attributes,
  LookupView,
  MasterDataVersionsView,
  MasterDataVersionView,
  PutMasterDataInput,
} from './masterdata.dto.js';
import { MasterDataRepository, type StoredVersion } from './masterdata.repository.js';
import {
  describingKeysOf,
  locationKey,
  lotKey,
  partyKey,
  productKey,
  type RecordKey,
  RecordKeyError,
} from './record-key.js';

/** A record as the URL names it (path parameters, percent-decoded; attacker-controlled). */
export type RecordRef =
  | { kind: 'product'; gtin: string }
  | { kind: 'lot'; gtin: string; lot: string }
  | { kind: 'location'; id: string }
  | { kind: 'party'; pgln: string };

export type PutResult = { created: boolean; view: MasterDataVersionView };

const NO_SUCH_RECORD = { epcisException: 'NoSuchResourceException' } as const;

const keyOf = (ref: RecordRef): RecordKey => {
  try {
    switch (ref.kind) {
      case 'product':
        return productKey(ref.gtin);
      case 'lot':
        return lotKey(ref.gtin, ref.lot);
      case 'location':
        return locationKey(ref.id);
      case 'party':
        return partyKey(ref.pgln);
    }
  } catch (error) {
    if (!(error instanceof RecordKeyError)) throw error;
    throw new DomainError('VALIDATION_FAILED', `the path names no ${ref.kind}: ${error.message}`, {
      cause: error,
    });
  }
};

/** The organization and key a write is attributed to; only an organization's key may write. */
const writerOf = (principal: Principal): { organizationId: string; apiKeyId: string | null } => {
  if (principal.organizationId === null) {
    throw new DomainError(
      'FORBIDDEN',
      'this API key belongs to no organization: use an organization key to write master data',
    );
  }
  if (!principal.scopes.includes('capture')) {
    throw new DomainError('FORBIDDEN', 'this API key lacks the capture scope, which writes need');
  }
  return { organizationId: principal.organizationId, apiKeyId: principal.keyId };
};

/** A version as served; `private` only to the organization that owns the record. */
const viewOf = (version: StoredVersion, viewer: Principal | null): MasterDataVersionView => ({
  id: version.recordId,
  kind: version.kind,
  version: version.version,
  validFrom: version.validFrom.toISOString(),
  recordedAt: version.recordedAt.toISOString(),
  updatedBy: { organizationId: version.organizationId },
  source: version.source,
  ...version.attributes,
  ...(viewer?.organizationId === version.ownerOrganizationId && version.privateAttributes !== null
    ? { private: version.privateAttributes }
    : {}),
});

/**
 * Versioned master data of products, lots, locations and parties (docs/specs/master-data.md).
 * Every change is a new version (append-only); a version is valid from its `validFrom` until the
 * next one by `validFrom`. The organization that creates a record owns it.
 */
@Injectable()
export class MasterDataService {
  constructor(private readonly repository: MasterDataRepository) {}

  /**
   * PUT: the body replaces the record's attributes from `validFrom` (default now; never in the
   * future). A body equal to the version valid at that instant adds nothing and answers that
   * version. 403 when another organization owns the record.
   */
  async put(
    ref: RecordRef,
    body: PutMasterDataInput,
    principal: Principal,
    now: Date = new Date(),
  ): Promise<PutResult> {
    const key = keyOf(ref);
    const writer = writerOf(principal);
    const { private: privateAttributes = null, validFrom: validFromText, ...rest } = body;
    const attributes: Attributes = withoutUndefined(rest);
    const validFrom = validFromText === undefined ? now : new Date(validFromText);
    if (validFrom.getTime() > now.getTime()) {
      const message = `/validFrom: ${validFromText} is in the future: a version can be backdated, not postdated`;
      throw new DomainError('VALIDATION_FAILED', message, {
        errors: [{ pointer: '/validFrom', message }],
      });
    }
    return this.repository.transaction(async (tx) => {
      await this.repository.lockRecords([key.id], tx);
      const record = (await this.repository.findRecords([key.id], tx)).get(key.id);
      if (record !== undefined && record.ownerOrganizationId !== writer.organizationId) {
        throw new DomainError(
          'FORBIDDEN',
          `${key.id} is master data of another organization: only the organization that created it may change it`,
        );
      }
      const current = (await this.repository.findVersionsAt([key.id], validFrom, tx)).get(key.id);
      if (
        current !== undefined &&
        isSameJson(current.attributes, attributes) &&
        isSameJson(current.privateAttributes, privateAttributes)
      ) {
        return { created: false, view: viewOf(current, principal) };
      }
      if (record === undefined) {
        await this.repository.insertRecords(
          [{ ...key, ownerOrganizationId: writer.organizationId }],
          tx,
        );
      }
      const latest = (await this.repository.findLatestVersionNumbers([key.id], tx)).get(key.id);
      const version = (latest ?? 0) + 1;
      await this.repository.insertVersions(
        [
          {
            recordId: key.id,
            version,
            validFrom,
            ...writer,
            source: 'api',
            captureJobId: null,
            attributes,
            privateAttributes,
          },
        ],
        tx,
      );
      // The highest version at its own validFrom: the one valid then.
      const stored = (await this.repository.findVersionsAt([key.id], validFrom, tx)).get(key.id)!;
      return { created: version === 1, view: viewOf(stored, principal) };
    });
  }

  /** The version valid at `at` (default now); NoSuchResourceException when there is none. */
  async get(
    ref: RecordRef,
    at: Date | undefined,
    viewer: Principal | null,
  ): Promise<MasterDataVersionView> {
    const key = keyOf(ref);
    const version = (await this.repository.findVersionsAt([key.id], at ?? new Date())).get(key.id);
    if (version === undefined) {
      const when = at === undefined ? '' : ` valid at ${at.toISOString()}`;
      throw new DomainError('NOT_FOUND', `no master data${when} for ${key.id}`, NO_SUCH_RECORD);
    }
    return viewOf(version, viewer);
  }

  /** Every version of a record, newest first; NoSuchResourceException when it has none. */
  async versions(ref: RecordRef, viewer: Principal | null): Promise<MasterDataVersionsView> {
    const key = keyOf(ref);
    const versions = await this.repository.listVersions([key.id]);
    if (versions.length === 0) {
      throw new DomainError('NOT_FOUND', `no master data for ${key.id}`, NO_SUCH_RECORD);
    }
    return { id: key.id, kind: key.kind, versions: versions.map((v) => viewOf(v, viewer)) };
  }

  /**
   * POST /masterdata/lookup: every version (public attributes) of every record describing one of
   * `ids` — the record itself and, for a lot or serialised item, its product (and lot); for a
   * location with an extension, its site. Unknown and non-GS1 identifiers are simply absent.
   */
  async lookup(ids: readonly string[]): Promise<LookupView> {
    const keys = [...new Set(ids.flatMap(describingKeysOf))];
    const versions = await this.repository.listVersions(keys);
    const records = new Map<string, LookupView['records'][number]>();
    for (const version of versions) {
      let record = records.get(version.recordId);
      if (record === undefined) {
        record = { id: version.recordId, kind: version.kind, versions: [] };
        records.set(version.recordId, record);
      }
      record.versions.push({
        version: version.version,
        validFrom: version.validFrom.toISOString(),
        source: version.source,
        attributes: version.attributes,
      });
    }
    return { records: keys.flatMap((key) => records.get(key) ?? []) };
  }
}
