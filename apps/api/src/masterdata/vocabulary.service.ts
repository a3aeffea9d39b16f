import { Injectable } from '@nestjs/common';

import { DomainError } from '../common/errors/domain-error.js';
import type { Sql } from '../ledger/ledger.repository.js';
import { isSameJson, mergeAttributes } from './attributes.js';
import { ATTRIBUTE_SCHEMAS, type Attributes } from './masterdata.dto.js';
import { MasterDataRepository, type StoredRecord } from './masterdata.repository.js';
import {
  planVocabulary,
  type VocabularyFailure,
  type VocabularyPlan,
  vocabularyListOf,
} from './vocabulary.js';

/** Who captures, and how (GS1-Capture-Error-Behaviour). */
export type VocabularyCaptureContext = {
  organizationId: string;
  apiKeyId: string | null;
  behaviour: 'rollback' | 'proceed';
  now: Date;
};

/**
 * A capture's master data, checked against the stored records inside the capture transaction:
 * what cannot be applied, and `write`, which appends the versions once the capture job's row
 * exists (versions name their capture job).
 */
export type StagedVocabulary = {
  readonly failures: readonly VocabularyFailure[];
  write(captureJobId: string, tx: Sql): Promise<void>;
};

type Change = {
  record: StoredRecord;
  isNew: boolean;
  attributes: Attributes;
  private: Record<string, unknown> | null;
};

const summary = (failures: readonly VocabularyFailure[]): string =>
  failures.map((failure) => failure.message).join('; ');

/**
 * The EPCIS 2.0 way to write master data: the vocabularies in a captured document's header
 * update the same records as PUT /masterdata/… (source `epcis`), in the capture's transaction —
 * so a capture that is refused or rolled back changes no master data. Each element's attributes
 * are laid over the record's current version (EPCIS master data may carry some attributes only).
 */
@Injectable()
export class VocabularyService {
  constructor(private readonly repository: MasterDataRepository) {}

  /**
   * The master data of a capture body, checked on its own (no database); null when it carries
   * none, which is all the capture of such a document pays.
   */
  plan(body: unknown): VocabularyPlan | null {
    const list = vocabularyListOf(body);
    return list === undefined ? null : planVocabulary(list);
  }

  /**
   * Locks the records `plan` updates, checks ownership (only the organization that created a
   * record may change it) and that every merged version is valid. `rollback`: any failure refuses
   * the capture (403 SecurityException for another organization's record, else 400), which rolls
   * the transaction back. `proceed`: failures are returned for the capture job's errors and the
   * rest is applied. Unchanged records get no new version.
   */
  async stage(
    plan: VocabularyPlan,
    tx: Sql,
    context: VocabularyCaptureContext,
  ): Promise<StagedVocabulary> {
    const ids = plan.updates.map((update) => update.key.id);
    await this.repository.lockRecords(ids, tx);
    const records = await this.repository.findRecords(ids, tx);
    const current = await this.repository.findVersionsAt(ids, context.now, tx);
    const failures: VocabularyFailure[] = [];
    const changes: Change[] = [];
    for (const { key, pointer, attributes } of plan.updates) {
      const record = records.get(key.id);
      if (record !== undefined && record.ownerOrganizationId !== context.organizationId) {
        failures.push({
          pointer: `${pointer}/id`,
          message: `${pointer}/id: ${key.id} is master data of another organization: only the organization that created it may change it`,
          exception: 'SecurityException',
        });
        continue;
      }
      const before = current.get(key.id);
      const merged = ATTRIBUTE_SCHEMAS[key.kind].safeParse(
        mergeAttributes(before?.attributes ?? {}, attributes),
      );
      if (!merged.success) {
        const problems = merged.error.issues
          .map((issue) => `${issue.path.join('.') || 'the record'} ${issue.message}`)
          .join(', ');
        failures.push({
          pointer,
          message: `${pointer}: the ${key.kind} ${key.id} would not be valid: ${problems}`,
          exception: 'ValidationException',
        });
        continue;
      }
      if (before !== undefined && isSameJson(before.attributes, merged.data)) continue;
      changes.push({
        record: record ?? { ...key, ownerOrganizationId: context.organizationId },
        isNew: record === undefined,
        attributes: merged.data,
        private: before?.privateAttributes ?? null,
      });
    }
    if (context.behaviour === 'rollback' && failures.length > 0) throw refusal(failures);
    return {
      failures,
      write: (captureJobId, writeTx) => this.write(changes, captureJobId, context, writeTx),
    };
  }

  private async write(
    changes: readonly Change[],
    captureJobId: string,
    context: VocabularyCaptureContext,
    tx: Sql,
  ): Promise<void> {
    if (changes.length === 0) return;
    await this.repository.insertRecords(
      changes.filter((change) => change.isNew).map((change) => change.record),
      tx,
    );
    const latest = await this.repository.findLatestVersionNumbers(
      changes.map((change) => change.record.id),
      tx,
    );
    await this.repository.insertVersions(
      changes.map((change) => ({
        recordId: change.record.id,
        version: (latest.get(change.record.id) ?? 0) + 1,
        validFrom: context.now,
        organizationId: context.organizationId,
        apiKeyId: context.apiKeyId,
        source: 'epcis',
        captureJobId,
        attributes: change.attributes,
        privateAttributes: change.private,
      })),
      tx,
    );
  }
}

/** The answer to a rollback capture whose master data cannot be applied. */
const refusal = (failures: readonly VocabularyFailure[]): DomainError => {
  const forbidden = failures.some((failure) => failure.exception === 'SecurityException');
  const errors = failures.map(({ pointer, message }) => ({ pointer, message }));
  return forbidden
    ? new DomainError('FORBIDDEN', summary(failures), { errors })
    : new DomainError('VALIDATION_FAILED', summary(failures), { errors });
};
