import { createHmac } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { eventFields } from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';
import { LEDGER_CONFIG, type LedgerConfig } from '../ledger/ledger.config.js';
import type { Sql } from '../ledger/ledger.repository.js';
import type { PreparedEvent } from '../events/prepare-event.js';
import { type HiddenField, SALT_MEMBER } from '../events/prepare-event.js';
import { freshKey, open, seal } from './aead.js';
import { KEY_ENCRYPTION_KEYS } from './privacy.tokens.js';
import { type OpenedFields, openFields, sealFields } from './sealed-fields.js';
import type { KeyEncryptionKeys } from './kek.js';
import {
  type CompiledPolicy,
  compilePolicy,
  DEFAULT_POLICY,
  fieldVisibility,
  type Policy,
  type SharingMode,
  structuralFields,
  type Visibility,
} from './policy.js';
import {
  type EventKeyRow,
  type OrganizationKeyRow,
  PrivacyRepository,
} from './privacy.repository.js';
import {
  dataKeyAad,
  eventKeyAad,
  type Protection,
  type SealedColumn,
  type SealedField,
  type Viewer,
} from './sealed.js';

/** What a read path hands to `reveal`: a stored event's public disclosures and its protection. */
export type RevealInput = {
  seq: number;
  eventId: string;
  disclosures: Record<string, string>;
  protection: Protection;
};

/** What one viewer may see of an event: visible disclosures, every digest, and what is not shown. */
export type Revealed = {
  /** The disclosures this viewer may see (public, and partner/private ones it is entitled to). */
  disclosures: Record<string, string>;
  /** Every digest of the leaf, sorted: the leaf rebuilds from these and the event hash ID. */
  digests: string[];
  /** How many fields are withheld from this viewer (their digests are in `digests`). */
  withheld: number;
  /** Names of partner/private fields whose keys were destroyed: erased for everyone. */
  erased: string[];
  /** The digests of the fields not shown (withheld or erased), sorted. */
  hiddenDigests: string[];
};

/**
 * Who reads: a principal (its organization; the operator and anonymous callers read as nobody in
 * particular), or an already resolved Viewer, or null (anonymous).
 */
export type Reader = { organizationId: string | null } | Viewer | null;

/** How long a process trusts its cached policies and live data keys (other processes change them). */
const CACHE_MS = 2000;

/**
 * Field visibility, encryption at rest and crypto-shredding (docs/specs/privacy.md, ADR 0010).
 * Captures go through `protect` before sequencing; every read path through `reveal`.
 */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);
  private readonly policies = new Map<string, { compiled: CompiledPolicy; at: number }>();
  private readonly liveKeys = new Map<
    string,
    { row: OrganizationKeyRow; key: Uint8Array; at: number }
  >();
  private readonly dataKeys = new Map<string, Uint8Array>();
  private readonly glns = new Map<string, string | null>();

  constructor(
    private readonly repository: PrivacyRepository,
    @Inject(KEY_ENCRYPTION_KEYS) private readonly keks: KeyEncryptionKeys,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  // ── policies ────────────────────────────────────────────────────────────────────────────────

  /** The organization's policy (the default when it set none) and whether it is the default. */
  async policyOf(
    organizationId: string,
  ): Promise<{ policy: Policy; isDefault: boolean; updatedAt: string | null }> {
    const stored = await this.repository.policy(organizationId);
    return stored === null
      ? { policy: DEFAULT_POLICY, isDefault: true, updatedAt: null }
      : {
          policy: stored.policy as Policy,
          isDefault: false,
          updatedAt: stored.updatedAt.toISOString(),
        };
  }

  /** Replaces the organization's policy (validated by the caller); `tx`: an admin record's transaction. */
  async putPolicy(organizationId: string, policy: Policy, tx?: Sql): Promise<void> {
    await this.repository.putPolicy(organizationId, policy, tx);
    this.policies.delete(organizationId);
  }

  private async compiledPolicy(organizationId: string): Promise<CompiledPolicy> {
    const cached = this.policies.get(organizationId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.compiled;
    const compiled = compilePolicy((await this.policyOf(organizationId)).policy);
    this.policies.set(organizationId, { compiled, at: Date.now() });
    return compiled;
  }

  // ── capture ─────────────────────────────────────────────────────────────────────────────────

  /**
   * What a capture by `organizationId` (with the capture's tightening) needs of privacy: which
   * fields of an event to hide, the salt an event with hidden fields is committed with, and the
   * encryption of its hidden fields. The policy is read once, so every event of the capture is
   * planned and sealed under the same one; the data key once, when the first event needs it.
   */
  async forCapture(
    organizationId: string,
    tightening: Readonly<Record<string, Visibility>> | null,
  ): Promise<CapturePrivacy> {
    const policy = await this.compiledPolicy(organizationId);
    const sharing = policy.policy.sharing;
    let keys: Promise<CaptureKeys> | null = null;
    return {
      hiddenOf: (event) => hiddenFields(policy, tightening, event),
      unlock: () =>
        (keys ??= this.liveDataKey(organizationId).then((dataKey) => ({
          salt: (eventHashId) => saltOf(dataKey.key, eventHashId),
          protect: (event) => {
            if (event.pending.length > 0) sealPending(event, sharing, dataKey);
          },
        }))),
    };
  }

  private digest(disclosure: string): string {
    const codec = this.config.disclosureCodec;
    if (codec) return codec.digest(disclosure);
    return Buffer.from(this.config.sha(new TextEncoder().encode(disclosure))).toString('base64url');
  }

  /** The organization's live data key, created (and wrapped by the current KEK) on first use. */
  private async liveDataKey(
    organizationId: string,
  ): Promise<{ row: OrganizationKeyRow; key: Uint8Array }> {
    const cached = this.liveKeys.get(organizationId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached;
    let row = await this.repository.liveKey(organizationId);
    if (row === null) {
      const fresh = freshKey();
      const { kekId, wrapped } = await this.keks.wrap(fresh, dataKeyAad(organizationId));
      row = await this.repository.createLiveKey(organizationId, kekId, wrapped);
    }
    const entry = { row, key: await this.unwrapDataKey(row), at: Date.now() };
    this.liveKeys.set(organizationId, entry);
    return entry;
  }

  private async unwrapDataKey(row: OrganizationKeyRow): Promise<Uint8Array> {
    const cacheKey = `${row.id} ${row.kekId}`;
    let key = this.dataKeys.get(cacheKey);
    if (key === undefined) {
      key = await this.keks.unwrap(row.kekId, row.wrapped!, dataKeyAad(row.organizationId));
      if (this.dataKeys.size > 10_000) this.dataKeys.clear();
      this.dataKeys.set(cacheKey, key);
    }
    return key;
  }

  // ── reads ───────────────────────────────────────────────────────────────────────────────────

  /** The viewer a principal reads as: its organization and that organization's GLN. */
  async viewerOf(reader: Reader): Promise<Viewer> {
    if (reader !== null && 'gln' in reader) return reader;
    const organizationId = reader?.organizationId ?? null;
    if (organizationId === null) return { organizationId: null, gln: null };
    let gln = this.glns.get(organizationId);
    if (gln === undefined) {
      gln = (await this.repository.organization(organizationId))?.gln ?? null;
      this.glns.set(organizationId, gln);
    }
    return { organizationId, gln };
  }

  /**
   * What `viewer` may see of each event: the owner sees every field; a partner field is shown to
   * the parties the event names (restricted) or also to organizations linked to it through a
   * shared identifier (linked); a private field to the owner only. Fields whose keys were
   * destroyed are `erased` for everyone. Hidden fields remain as digests.
   */
  async reveal<T extends RevealInput>(
    rows: readonly T[],
    reader: Reader,
  ): Promise<(T & Revealed)[]> {
    const viewer = await this.viewerOf(reader);
    const sealedRows = rows.filter((row) => row.protection.sealed !== null);
    const keys = await this.repository.eventKeys(sealedRows.map((row) => row.seq));
    const needsLink =
      viewer.organizationId === null
        ? []
        : sealedRows.filter(
            (row) =>
              row.protection.sealed!.sharing === 'linked' &&
              row.protection.organizationId !== viewer.organizationId &&
              !(viewer.gln !== null && row.protection.parties.includes(viewer.gln)) &&
              Object.values(row.protection.sealed!.fields).some((f) => f.v === 'partner'),
          );
    const linked =
      needsLink.length === 0
        ? new Set<number>()
        : await this.repository.linkedEvents(
            viewer.organizationId!,
            needsLink.map((r) => r.seq),
          );
    const out: (T & Revealed)[] = [];
    for (const row of rows) {
      const disclosures = { ...row.disclosures };
      const digests = Object.values(row.disclosures).map((d) => this.digest(d));
      const erased: string[] = [];
      const hidden: string[] = [];
      let withheld = 0;
      const sealed = row.protection.sealed;
      if (sealed !== null) {
        const isOwner = viewer.organizationId === row.protection.organizationId;
        const isPartner =
          isOwner ||
          (viewer.gln !== null && row.protection.parties.includes(viewer.gln)) ||
          linked.has(row.seq);
        const keyRow = keys.get(row.seq);
        const live = keyRow !== undefined && keyRow.organizationKey.wrapped !== null;
        let opened: OpenedFields | null = null;
        for (const [name, field] of Object.entries(sealed.fields)) {
          digests.push(field.d);
          if (!live) {
            erased.push(name);
            hidden.push(field.d);
            continue;
          }
          if (!(isOwner || (field.v === 'partner' && isPartner))) {
            withheld += 1;
            hidden.push(field.d);
            continue;
          }
          try {
            opened ??= await this.opener(row.eventId, sealed, keyRow);
            const disclosure = opened(name, field);
            if (this.digest(disclosure) !== field.d) throw new Error('digest mismatch');
            disclosures[name] = disclosure;
          } catch (error) {
            // Never the value: only which event and field could not be opened.
            this.logger.error(
              `sealed field ${name} of event ${row.eventId} does not open: ${(error as Error).message}`,
            );
            withheld += 1;
            hidden.push(field.d);
          }
        }
      }
      out.push({
        ...row,
        disclosures,
        digests: digests.sort(),
        withheld,
        erased: erased.sort(),
        hiddenDigests: hidden.sort(),
      });
    }
    return out;
  }

  /** Opens an event's sealed fields: its key under the data key, then openFields. */
  private async opener(
    eventId: string,
    sealed: SealedColumn,
    keyRow: EventKeyRow,
  ): Promise<OpenedFields> {
    const eventKey = open(
      await this.unwrapDataKey(keyRow.organizationKey),
      keyRow.wrapped,
      eventKeyAad(eventId),
    );
    return openFields(eventKey, eventId, sealed.c);
  }

  // ── erasure and rotation ───────────────────────────────────────────────────────────────────

  /**
   * The event's owner and seq, for `POST /events/{eventID}/erase`. A viewer that is not the owner
   * (nor the operator) gets the same NOT_FOUND as for an eventID that does not exist.
   */
  async requireOwnEvent(
    eventId: string,
    principal: { organizationId: string | null; isAdmin: boolean },
  ): Promise<{ seq: number; organizationId: string }> {
    const event = await this.repository.eventOwner(eventId);
    if (
      event === null ||
      !(principal.isAdmin || principal.organizationId === event.organizationId)
    ) {
      throw new DomainError('NOT_FOUND', `no event with eventID ${eventId}`, {
        epcisException: 'NoSuchResourceException',
      });
    }
    return event;
  }

  /** Deletes one event's key (its partner and private fields become unreadable). */
  async eraseEvent(seq: number, tx?: Sql): Promise<boolean> {
    return this.repository.eraseEvent(seq, tx);
  }

  /** Destroys every data key of the organization (and its events' keys). */
  async eraseOrganization(organizationId: string, tx?: Sql): Promise<number> {
    const count = await this.repository.eraseOrganization(organizationId, tx);
    this.liveKeys.delete(organizationId);
    for (const key of [...this.dataKeys.keys()]) this.dataKeys.delete(key);
    return count;
  }

  /**
   * Re-wraps every live data key under the current KEK, in batches, each key in its own
   * statement: captures and reads go on meanwhile (a key is readable under its old KEK until it
   * is re-wrapped, and under the new one after). Returns how many keys were re-wrapped.
   */
  async rewrapDataKeys(onProgress?: (done: number) => void): Promise<number> {
    let done = 0;
    for (;;) {
      const batch = await this.repository.keysNotWrappedBy(this.keks.currentId, 100);
      if (batch.length === 0) return done;
      for (const row of batch) {
        const key = await this.keks.unwrap(row.kekId, row.wrapped!, dataKeyAad(row.organizationId));
        const { kekId, wrapped } = await this.keks.wrap(key, dataKeyAad(row.organizationId));
        if (await this.repository.rewrap(row.id, row.kekId, kekId, wrapped)) done += 1;
      }
      onProgress?.(done);
    }
  }

  get currentKekId(): string {
    return this.keks.currentId;
  }
}

/** What a capture needs of privacy (PrivacyService.forCapture). */
export type CapturePrivacy = {
  /**
   * The fields of an event the leaf will commit (eventFields: top-level members, ILMD members)
   * that are not public, and — when any is hidden — the salt member, with the strictest of their
   * visibilities; none when everything is public.
   */
  hiddenOf: (event: Readonly<Record<string, unknown>>) => HiddenField[];
  /**
   * The organization's live data key (created on first use), read once per capture and only
   * when an event has hidden fields: what salts and seals them.
   */
  unlock: () => Promise<CaptureKeys>;
};

/** Salting and sealing under the organization's live data key (CapturePrivacy.unlock). */
export type CaptureKeys = {
  /** The salt an event with hidden fields is committed with (SALT_MEMBER), from its hash ID. */
  salt: (eventHashId: string) => string;
  /** Encrypts a prepared event's pending fields into `sealed`, under a fresh event key. */
  protect: (event: PreparedEvent) => void;
};

const hiddenFields = (
  policy: CompiledPolicy,
  tightening: Readonly<Record<string, Visibility>> | null,
  event: Readonly<Record<string, unknown>>,
): HiddenField[] => {
  const visibilityOf = (name: string): Visibility => fieldVisibility(policy, tightening, name);
  const structural = structuralFields(event, (name) => visibilityOf(name) === 'public');
  const hidden: HiddenField[] = [];
  for (const [name] of eventFields(event)) {
    const visibility = structural.has(name) ? 'public' : visibilityOf(name);
    if (visibility !== 'public') hidden.push([name, visibility]);
  }
  if (hidden.length > 0) {
    const strictest = hidden.some(([, v]) => v === 'private') ? 'private' : 'partner';
    hidden.push([SALT_MEMBER, strictest]);
  }
  return hidden;
};

/**
 * The salt of an event with hidden fields (SALT_MEMBER): HMAC-SHA256 under the organization's
 * data key of the event's own hash ID, so that a retry of the same event by the same organization
 * is the same event (duplicates stay duplicates), and nobody without the key can guess it.
 * Without it, the public event hash ID would let anyone test guesses of a hidden field with few
 * possible values (a bizStep, a small price) against the log.
 */
const saltOf = (dataKey: Uint8Array, eventHashId: string): string =>
  createHmac('sha256', dataKey).update(`traceroot-salt/v1\n${eventHashId}`).digest('base64url');

/**
 * Seals an event's pending fields (format v2, sealed.ts): one AES-256-GCM message of all their
 * disclosures under a fresh event key, which the organization's data key wraps.
 */
const sealPending = (
  event: PreparedEvent,
  sharing: SharingMode,
  dataKey: { row: OrganizationKeyRow; key: Uint8Array },
): void => {
  const eventKey = freshKey();
  const fields: Record<string, SealedField> = {};
  const disclosures: Record<string, string> = {};
  for (const { name, visibility, disclosure, digest } of event.pending) {
    fields[name] = { v: visibility, d: digest };
    disclosures[name] = disclosure;
  }
  const c = sealFields(eventKey, event.eventId, disclosures);
  event.sealed = { sharing, fields, c } satisfies SealedColumn;
  event.eventKey = {
    organizationKeyId: dataKey.row.id,
    wrapped: seal(dataKey.key, eventKey, eventKeyAad(event.eventId)),
  };
  eventKey.fill(0);
  event.pending = [];
};
