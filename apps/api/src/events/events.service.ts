import { setImmediate } from 'node:timers/promises';

import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  assembleEvent,
  type EventPreHash,
  formatEventHashId,
  joinEventPreHash,
  parseDisclosure,
  renderEventPreHash,
  RULE_SET,
  type TraceBundle,
  type Violation,
} from '@traceroot/trace';

import { pooledRandomBytes } from '../common/crypto/random-pool.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ENV, type Env } from '../config/env.js';
import { LEDGER_CONFIG, type LedgerConfig } from '../ledger/ledger.config.js';
import { LedgerRepository, type Sql } from '../ledger/ledger.repository.js';
import { ProofsService } from '../ledger/proofs.service.js';
import { SealerService } from '../ledger/sealer.service.js';
import type { Visibility } from '../privacy/policy.js';
import {
  type CaptureKeys,
  type Reader,
  type Revealed,
  PrivacyService,
} from '../privacy/privacy.service.js';
import { type RuleMode, RulesService } from '../rules/rules.service.js';
import { EventsRepository, sequenceParameters, type StoredEvent } from './events.repository.js';
import { type PreparedEvent, prepareEvent, SALT_MEMBER } from './prepare-event.js';

/** A stored event as one viewer may see it (PrivacyService.reveal). */
export type RevealedEvent = StoredEvent & Revealed;

/**
 * Where an event sits in the log and what this viewer is shown of it: with `eventHashId`,
 * `digests` (all, sorted) and `disclosures` (those shown) anyone rebuilds the leaf and checks
 * each shown field against it (docs/specs/privacy.md); `withheld` fields appear only as digests;
 * `erased` names fields whose keys were destroyed; `rules`: the rule-set version it was checked
 * against and the rules it broke (flag mode).
 */
export type LedgerView = {
  leafIndex: number;
  eventHashId: string;
  digests: string[];
  disclosures: string[];
  withheld: number;
  erased: string[];
  recordedBy: string;
  rules: { ruleSet: string; flags: unknown[] } | null;
};

export type EventView = Record<string, unknown> & {
  /** `sealed`/`treeSize`: the smallest signed tree size covering it (the checkpoint that sealed it), once sealed. */
  ledger: LedgerView & { sealed: boolean; treeSize?: number };
};

/** The ledger view of a revealed event. */
export const ledgerView = (event: RevealedEvent): LedgerView => ({
  leafIndex: event.leafIndex,
  eventHashId: event.eventHashId,
  digests: event.digests,
  disclosures: Object.values(event.disclosures),
  withheld: event.withheld,
  erased: event.erased,
  recordedBy: event.protection.organizationId,
  rules: rulesView(event),
});

/** The rule-set version an event was checked against and the rules it broke (flag mode), or null. */
export const rulesView = (event: Pick<StoredEvent, 'protection'>): LedgerView['rules'] =>
  event.protection.ruleSet === null
    ? null
    : { ruleSet: event.protection.ruleSet, flags: [...(event.protection.ruleViolations ?? [])] };

/** The recording organization as the rules see it. */
type Recorder = { mode: RuleMode; recordedBy: { organizationId: string; gln: string | null } };

/** Who captures events (their policy applies) and the capture's tightening of it. */
export type EventOwner = {
  organizationId: string;
  /** Fields the capture asks to keep stricter than the policy (Traceroot-Field-Visibility). */
  tightening?: Readonly<Record<string, Visibility>> | null;
};

export type SequenceOptions = {
  organizationId: string;
  captureJobId: string | null;
  behaviour: 'rollback' | 'proceed';
  pointerOf: (i: number) => string;

  /** Runs in the same transaction before the events are inserted (e.g. the capture job row they reference). */
  beforeSequencing?: (tx: Sql, skipped: readonly DomainError[]) => Promise<void>;
};

export type SequencedCapture = {
  firstLeafIndex: number;
  count: number;
  skipped: readonly DomainError[];
};

/**
 * Attempts of one capture that lost a race to another: to store the same eventID, or to create
 * the rule state of the same new item (each retry sees the winner).
 */
const SEQUENCE_ATTEMPTS = 5;

/** Events prepared between two yields to the event loop (≈ 2 ms of CPU). */
const PREPARE_SLICE = 10;

/** What validation computed of an event: its hash ID and pre-hash parts (for a salted hash). */
export type ValidatedHash = { eventHashId: string; preHash: EventPreHash };

/**
 * Records events into the log and reads them back. Duplicate policy (docs/capture.md):
 * an eventID already recorded with the same content (same CBV 2.0 event hash ID) is a
 * DUPLICATE_EVENT (409, nothing stored again: safe to retry); with different content it is a
 * CONFLICTING_EVENT (409). Both refuse the whole request in rollback mode.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly ledger: LedgerRepository,
    private readonly proofs: ProofsService,
    private readonly sealer: SealerService,
    private readonly privacy: PrivacyService,
    private readonly rules: RulesService,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Optional() @Inject(ENV) env?: Pick<Env, 'TRACEROOT_RULES'>,
  ) {
    this.rulesOn = env?.TRACEROOT_RULES !== 'off';
  }

  /** Whether captures are checked against the published rules (TRACEROOT_RULES). */
  private readonly rulesOn: boolean;

  /** What `viewer` may see of stored events. */
  reveal(events: readonly StoredEvent[], viewer: Reader): Promise<RevealedEvent[]> {
    return this.privacy.reveal(events, viewer);
  }

  /**
   * Prepares validated events (hash IDs, leaves, index rows) and encrypts the fields the owner's
   * policy hides (PrivacyService.forCapture); `hashes`: what validation computed of each event.
   * CPU-bound (≈ 0.2 ms an event): it yields to the event loop every PREPARE_SLICE events, so that
   * a large document does not hold up the replies other requests wait for — above all the
   * statements of a capture that holds the sequencer lock (ADR 0006), which every other capture
   * waits behind.
   */
  async prepare(
    events: readonly Record<string, unknown>[],
    context: unknown,
    owner: EventOwner,
    hashes?: readonly (ValidatedHash | undefined)[],
  ): Promise<PreparedEvent[]> {
    const privacy = await this.privacy.forCapture(owner.organizationId, owner.tightening ?? null);
    const now = new Date();
    const tools = {
      now,
      // The disclosure salts: 16 bytes per field, ≈ 10 fields per event, cut from a pool.
      randomBytes: pooledRandomBytes,
      hasher: this.config.hasher,
      sha: this.config.sha,
      codec: this.config.disclosureCodec,
      ruleSet: this.rulesOn ? RULE_SET.version : undefined,
    };
    const prepared: PreparedEvent[] = [];
    let keys: CaptureKeys | undefined;
    for (const [i, event] of events.entries()) {
      if (i > 0 && i % PREPARE_SLICE === 0) await setImmediate();
      const hidden = privacy.hiddenOf(event);
      const known = hashes?.[i];
      if (hidden.length === 0) {
        prepared.push(prepareEvent(event, context, tools, known?.eventHashId));
        continue;
      }
      // Hidden fields: committed with a secret salt member, so its hash ID reveals nothing. The
      // salted hash ID comes from the rendered pre-hash and the salt, not a second rendering.
      const preHash = known?.preHash ?? renderEventPreHash(event, { context });
      const unsalted =
        known?.eventHashId ?? formatEventHashId(joinEventPreHash(preHash), this.config.sha);
      keys ??= await privacy.unlock();
      const salt = { [SALT_MEMBER]: keys.salt(unsalted) };
      const saltedHashId = formatEventHashId(joinEventPreHash(preHash, salt), this.config.sha);
      const one = prepareEvent({ ...event, ...salt }, context, tools, saltedHashId, hidden);
      keys.protect(one);
      prepared.push(one);
    }
    return prepared;
  }

  /**
   * Stores prepared events durably with consecutive leaf indexes, in one transaction that also
   * runs `beforeSequencing` (e.g. the capture job's row). `rollback`: any duplicate refuses the
   * whole request (DUPLICATE_EVENT / CONFLICTING_EVENT naming the first) and stores nothing.
   * `proceed`: duplicates are left out and reported; the rest is stored.
   */
  async sequence(
    prepared: readonly PreparedEvent[],
    options: SequenceOptions,
  ): Promise<SequencedCapture> {
    if (prepared.some((event) => event.pending.length > 0)) {
      throw new Error('an event still has unencrypted hidden fields: prepare() seals them');
    }
    // Read before the transaction: on the embedded database the pool has one connection, which
    // the transaction holds (a query outside it would wait for ever).
    const recorder = await this.recorderOf(options.organizationId);
    let result: SequencedCapture | undefined;
    for (let attempt = 1; result === undefined; attempt += 1) {
      try {
        result = await this.sequenceOnce(prepared, options, recorder);
      } catch (error) {
        // A capture of one of these eventIDs committed between this one's duplicate check and its
        // insert (the unique index refused it; nothing was stored): checked again, it is a 409.
        // Or one created the rule state of an item this one read as new: checked again, the
        // rules see it (RulesService.check).
        const lost = this.events.isDuplicateEventId(error) || this.rules.isStateRace(error);
        if (attempt >= SEQUENCE_ATTEMPTS || !lost) throw error;
      }
    }
    if (result.count > 0) this.sealer.noteSequenced(result.firstLeafIndex + result.count);
    return result;
  }

  /**
   * One attempt of `sequence`: the duplicate check and `beforeSequencing` first, then the
   * sequencer lock (held until commit) and one statement that stores the events (ADR 0006). Under
   * the lock the capture runs no CPU-heavy work of its own and needs two round trips (the
   * statement and COMMIT), each of which may still wait for the event loop to finish other work.
   */
  private sequenceOnce(
    prepared: readonly PreparedEvent[],
    options: SequenceOptions,
    recorder: Recorder,
  ): Promise<SequencedCapture> {
    return this.events.transaction(async (tx) => {
      const existing = await this.events.findExisting(
        prepared.map((e) => e.eventId),
        tx,
      );
      const seen = new Map<string, string>();
      const skipped: DomainError[] = [];
      const accepted = prepared.filter((event, i) => {
        const hashId = existing.get(event.eventId) ?? seen.get(event.eventId);
        seen.set(event.eventId, event.eventHashId);
        if (hashId === undefined) return true;
        const error = duplicateError(event, hashId, options.pointerOf(i));
        if (options.behaviour === 'rollback') throw error;
        skipped.push(error);
        return false;
      });
      await options.beforeSequencing?.(tx, skipped);
      const kept = await this.checkRules(tx, accepted, options, prepared, skipped, recorder);
      if (kept.length === 0) return { firstLeafIndex: -1, count: 0, skipped };
      // Everything CPU-bound (serialising ≈ 4 KB an event) happens before the lock is taken.
      const parameters = sequenceParameters(kept);
      await this.events.lockSequencer(tx);
      const firstLeafIndex = await this.events.sequence(
        parameters,
        options.organizationId,
        options.captureJobId,
        tx,
      );
      return { firstLeafIndex, count: kept.length, skipped };
    });
  }

  /**
   * The published rules (docs/specs/rules.md), in `tx` before the sequencer lock: every event is
   * checked (the rule state sees every stored event, whatever the mode). Enforce: a violating
   * event is refused — the whole request with RULE_VIOLATION (422) in rollback, that event (in
   * `skipped`) in proceed; flag: it is stored with its violations; off: stored, violations not
   * kept. Returns the events to store.
   */
  private async checkRules(
    tx: Sql,
    accepted: readonly PreparedEvent[],
    options: SequenceOptions,
    all: readonly PreparedEvent[],
    skipped: DomainError[],
    { mode, recordedBy }: Recorder,
  ): Promise<PreparedEvent[]> {
    if (accepted.length === 0 || !this.rulesOn) return [...accepted];
    const refused = new Set<number>();
    const verdicts = await this.rules.check(
      tx,
      accepted.map((event) => ({
        fields: event.full,
        context: event.context ?? undefined,
        recordedBy,
      })),
      { keep: (i, violations) => !(mode === 'enforce' && violations.length > 0 && refused.add(i)) },
    );
    const kept: PreparedEvent[] = [];
    accepted.forEach((event, i) => {
      const violations = verdicts[i]!;
      // Off: the verdict is not kept, so the event claims none (a replay does not compare it).
      event.ruleSet = mode === 'off' ? null : RULE_SET.version;
      event.ruleViolations = mode === 'flag' && violations.length > 0 ? violations : null;
      if (!refused.has(i)) {
        kept.push(event);
        return;
      }
      const error = ruleViolationError(event, violations, options.pointerOf(all.indexOf(event)));
      if (options.behaviour === 'rollback') throw error;
      skipped.push(error);
    });
    return kept;
  }

  /** Who records a capture, for the rules: its mode and its identity (read before the transaction). */
  private async recorderOf(organizationId: string): Promise<Recorder> {
    if (!this.rulesOn) return { mode: 'off', recordedBy: { organizationId, gln: null } };
    const [mode, viewer] = await Promise.all([
      // An organization the transaction itself creates (the operator's, on its first admin
      // record) has the default mode.
      this.ruleMode(organizationId).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'NOT_FOUND') return 'flag' as const;
        throw error;
      }),
      this.privacy.viewerOf({ organizationId }),
    ]);
    return { mode, recordedBy: { organizationId, gln: viewer.gln } };
  }

  private readonly modes = new Map<string, { mode: RuleMode; at: number }>();

  /** The organization's rule mode, cached for a moment (an admin change applies within 2 s). */
  private async ruleMode(organizationId: string): Promise<RuleMode> {
    const cached = this.modes.get(organizationId);
    if (cached && Date.now() - cached.at < 2000) return cached.mode;
    const mode = await this.rules.modeOf(organizationId);
    this.modes.set(organizationId, { mode, at: Date.now() });
    return mode;
  }

  async getEvent(eventId: string, viewer: Reader): Promise<EventView> {
    const [event] = await this.reveal([await this.require(eventId)], viewer);
    return this.view(event!);
  }

  /** The leaf index of an event named by eventID, or the given index when it exists. */
  async leafIndexFor(eventId: string | undefined, leafIndex: number | undefined): Promise<number> {
    if (eventId !== undefined) return (await this.require(eventId)).leafIndex;
    if (leafIndex === undefined) {
      throw new DomainError('QUERY_PARAMETER_INVALID', 'give eventID or leafIndex');
    }
    return leafIndex;
  }

  /** The self-contained bundle of one event that `traceroot verify` and verifyTraceBundle accept. */
  async bundle(eventId: string, viewer: Reader): Promise<TraceBundle> {
    const [event] = await this.reveal([await this.require(eventId)], viewer);
    return this.proofs.bundle([this.bundleEntry(event!)]);
  }

  /**
   * One bundle for several events, at the latest checkpoint: the events it does not cover yet are
   * left out (`unsealed`). `bundle` is null while the log has no checkpoint. `checkpoint` says
   * which one it is and when the service signed it (a statement of the service, not signed).
   */
  async bundleOf(events: readonly RevealedEvent[]): Promise<{
    bundle: TraceBundle | null;
    unsealed: string[];
    checkpoint?: { treeSize: number; signedAt: string | null };
  }> {
    const latest = await this.ledger.latestCheckpoint();
    const covered = events.filter((e) => latest !== null && e.leafIndex < latest.treeSize);
    const unsealed = events.filter((e) => !covered.includes(e)).map((e) => e.eventId);
    if (latest === null || covered.length === 0) return { bundle: null, unsealed };
    const [bundle, signedAt] = await Promise.all([
      this.proofs.bundle(
        covered.map((event) => this.bundleEntry(event)),
        latest,
      ),
      this.ledger.checkpointSignedAt(latest.treeSize),
    ]);
    return {
      bundle,
      unsealed,
      checkpoint: { treeSize: latest.treeSize, signedAt: signedAt?.toISOString() ?? null },
    };
  }

  private bundleEntry(event: RevealedEvent) {
    return {
      leafIndex: event.leafIndex,
      eventHashId: event.eventHashId,
      disclosures: Object.values(event.disclosures),
      digests: event.digests,
    };
  }

  /** A page of events in log order; the token is the last seq served (opaque to clients). */
  async list(
    perPage: number,
    nextPageToken: string | undefined,
    viewer: Reader,
    naming?: { identifiers: readonly string[]; roles: readonly string[] },
  ): Promise<{ events: Record<string, unknown>[]; nextPageToken: string | null }> {
    const after = nextPageToken === undefined ? 0 : decodeToken(nextPageToken);
    const rows = await this.events.list(after, perPage + 1, naming);
    const page = rows.slice(0, perPage);
    return {
      events: (await this.reveal(page, viewer)).map(committedEvent),
      nextPageToken: rows.length > perPage ? encodeToken(page.at(-1)!.seq) : null,
    };
  }

  private async require(eventId: string): Promise<StoredEvent> {
    const event = await this.events.findByEventId(eventId);
    if (!event) {
      throw new DomainError('NOT_FOUND', `no event with eventID ${eventId}`, {
        epcisException: 'NoSuchResourceException',
      });
    }
    return event;
  }

  private async view(event: RevealedEvent): Promise<EventView> {
    // The checkpoint that sealed it: stable as the log grows (proofs at later sizes exist too).
    const covering = await this.ledger.smallestCheckpointCovering(event.leafIndex);
    const sealed = covering !== null;
    return {
      ...committedEvent(event),
      ledger: { ...ledgerView(event), sealed, ...(sealed ? { treeSize: covering } : {}) },
    };
  }
}

// EPCIS's usual order of event fields, for reading; the rest follow in alphabetical order.
const FIELD_ORDER = [
  '@context',
  'type',
  'eventID',
  'eventTime',
  'eventTimeZoneOffset',
  'recordTime',
  'errorDeclaration',
  'certificationInfo',
  'parentID',
  'epcList',
  'childEPCs',
  'inputEPCList',
  'inputQuantityList',
  'outputEPCList',
  'outputQuantityList',
  'transformationID',
  'quantityList',
  'childQuantityList',
  'action',
  'bizStep',
  'disposition',
  'persistentDisposition',
  'readPoint',
  'bizLocation',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'sensorElementList',
  'ilmd',
];
const rank = (name: string): number => {
  const i = FIELD_ORDER.indexOf(name);
  return i === -1 ? FIELD_ORDER.length : i;
};

/**
 * The event as its leaf commits to it: every field from its SD-JWT disclosure, so that what is
 * served is exactly what the log proves (the `document` column, which the queries read, plays no
 * part: an edit there cannot change what a reader gets). Includes the capture's `@context`.
 */
export const committedEvent = (
  event: Pick<StoredEvent, 'disclosures'>,
): Record<string, unknown> => {
  const fields = Object.fromEntries(
    Object.values(event.disclosures).map((disclosure) => {
      const { name, value } = parseDisclosure(disclosure);
      return [name, value];
    }),
  );
  // ILMD members come back into `ilmd`; pseudo-fields (`@ruleSet`) are not part of the event.
  const { event: members, context } = assembleEvent(fields);
  const all: [string, unknown][] = Object.entries(members);
  if (context !== undefined) all.push(['@context', context]);
  all.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(all);
};

const encodeToken = (seq: number): string => Buffer.from(`s:${seq}`).toString('base64url');

const decodeToken = (token: string): number => {
  const match = /^s:(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      'nextPageToken is not a token this service issued',
    );
  }
  return Number(match[1]);
};

// The pointer names the refused event in the request body ('' for the body of POST /events).
const duplicateError = (
  event: PreparedEvent,
  existingHashId: string,
  pointer: string,
): DomainError => {
  const [code, message] =
    existingHashId === event.eventHashId
      ? ([
          'DUPLICATE_EVENT',
          `event ${event.eventId} is already recorded with the same content`,
        ] as const)
      : ([
          'CONFLICTING_EVENT',
          `eventID ${event.eventId} is already recorded with different content`,
        ] as const);
  return new DomainError(code, pointer === '' ? message : `${pointer}: ${message}`, {
    errors: [{ pointer, message }],
  });
};

/** The 422 of an event an enforcing organization's rules refuse: each broken rule and its evidence. */
const ruleViolationError = (
  event: PreparedEvent,
  violations: readonly Violation[],
  pointer: string,
): DomainError => {
  const rules = violations.map((v) => v.rule).join(', ');
  const message = `event ${event.eventId} breaks the published rule${violations.length > 1 ? 's' : ''} ${rules}`;
  return new DomainError('RULE_VIOLATION', pointer === '' ? message : `${pointer}: ${message}`, {
    errors: violations.map((v) => ({
      pointer,
      message: v.message,
      rule: v.rule,
      evidence: v.evidence,
    })),
  });
};
