import { Injectable } from '@nestjs/common';
import {
  checkRules,
  RULE_SET,
  type RuleEvent,
  type RuleSet,
  ruleSetHash,
  type RuleState,
  ruleStateKeys,
  type Violation,
} from '@traceroot/trace';
import { nodeSha256 } from '@traceroot/trace/node';

import { DomainError } from '../common/errors/domain-error.js';
import type { Sql } from '../ledger/ledger.repository.js';
import {
  RULE_MODES,
  type RuleMode,
  RulesRepository,
  type RuleStateRow,
} from './rules.repository.js';

export type { RuleMode } from './rules.repository.js';
export { RULE_MODES } from './rules.repository.js';

/** GET /rules: the rule set in force and its hash. */
export type PublishedRules = RuleSet & { hash: string };

export type CheckOptions = {
  /**
   * Called with each event's violations, in order, before the next event is checked: false
   * means the event will not be stored (refused), so its effects are discarded and later events
   * are checked as if it never came. Default: every event is kept.
   */
  keep?: (index: number, violations: readonly Violation[]) => boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The published rules at capture (docs/specs/rules.md): checks events against the rule set,
 * keeping the engine's state in rule_state, and each organization's rule mode.
 */
@Injectable()
export class RulesService {
  /** The rule set in force and its hash (`sha256:<hex>` of its canonical JSON). */
  readonly published: PublishedRules = { ...RULE_SET, hash: ruleSetHash(RULE_SET, nodeSha256) };

  constructor(private readonly repository: RulesRepository) {}

  /**
   * Checks `events` in order, in the caller's transaction `tx`, BEFORE the caller takes the
   * sequencer lock: locks and reads the state records of all events (one statement, row locks in
   * key order: two captures never deadlock, and any number of items can be locked), runs
   * checkRules on an in-memory map, writes the changed and new records (one statement) and
   * returns each event's violations. Effects of events `options.keep` refuses are discarded. A
   * rollback of `tx` discards every effect.
   *
   * A record that did not exist when it was read cannot be locked: if another transaction creates
   * it meanwhile, this one's insert waits for that one and, once it committed, fails
   * (isStateRace): the caller rolls `tx` back and checks again in a new transaction, which finds
   * the record (EventsService retries). Every item an event names that has no record
   * gets one (the first event naming an item makes its recorder custodian), so a stored event
   * never relies on the absence of a record another capture was creating.
   *
   * Every event that will be stored must go through here, whatever its organization's mode:
   * the mode decides what a violation does, never whether the state sees the event (a replay
   * of the log applies every stored event).
   */
  async check(
    tx: Sql,
    events: readonly RuleEvent[],
    options: CheckOptions = {},
  ): Promise<Violation[][]> {
    const keys = [...new Set(events.flatMap(ruleStateKeys))].sort();
    const stored = await this.repository.lockState(keys, tx);
    const current = new Map(stored);
    const changedBy = new Map<string, number | null>();
    const results: Violation[][] = [];
    // One event's writes, applied once it is kept.
    const staged = new Map<string, unknown>();
    const state: RuleState = {
      get: (key) => (staged.has(key) ? staged.get(key) : current.get(key)),
      set: (key, value) => {
        staged.set(key, value);
      },
    };
    events.forEach((event, index) => {
      staged.clear();
      const violations = checkRules(event, state);
      results.push(violations);
      if (options.keep && !options.keep(index, violations)) return;
      for (const [key, value] of staged) {
        current.set(key, value);
        changedBy.set(key, event.leafIndex ?? null);
      }
    });
    const locked = new Set(keys);
    const created: RuleStateRow[] = [];
    const updated: RuleStateRow[] = [];
    for (const [key, updatedLeaf] of changedBy) {
      // checkRules writes only the keys ruleStateKeys names: anything else is a bug, not data.
      if (!locked.has(key)) throw new Error(`rule state key ${key} was written but not locked`);
      const state = current.get(key);
      if (!stored.has(key)) {
        if (state !== undefined) created.push({ key, state, updatedLeaf });
      } else if (JSON.stringify(state) !== JSON.stringify(stored.get(key))) {
        updated.push({ key, state, updatedLeaf });
      }
    }
    await this.repository.saveState(created, updated, tx);
    return results;
  }

  /**
   * Whether `error` (from a transaction that ran `check`) means a concurrent capture created a
   * record `check` read as absent: roll back and check again in a new transaction.
   */
  isStateRace(error: unknown): boolean {
    return this.repository.isStateRace(error);
  }

  /** The organization's rule mode (default 'flag'); NOT_FOUND for an unknown organization. */
  async modeOf(organizationId: string): Promise<RuleMode> {
    const mode = UUID.test(organizationId) ? await this.repository.findMode(organizationId) : null;
    if (mode === null) throw new DomainError('NOT_FOUND', `no organization ${organizationId}`);
    return mode;
  }

  /** Sets the organization's rule mode (in `tx` when given); NOT_FOUND for an unknown organization. */
  async setMode(organizationId: string, mode: RuleMode, tx?: Sql): Promise<void> {
    if (!RULE_MODES.includes(mode)) {
      throw new DomainError('VALIDATION_FAILED', `mode must be one of ${RULE_MODES.join(', ')}`, {
        errors: [{ pointer: '/mode', message: `must be one of ${RULE_MODES.join(', ')}` }],
      });
    }
    const updated = UUID.test(organizationId)
      ? await this.repository.updateMode(organizationId, mode, tx)
      : false;
    if (!updated) throw new DomainError('NOT_FOUND', `no organization ${organizationId}`);
  }
}
