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
   * sequencer lock: locks the state records of all events (one statement, row locks in key
   * order: two captures never deadlock, and any number of items can be locked), loads them (one
   * statement), runs checkRules on an in-memory map, writes the changed records back (one
   * statement) and returns each event's violations. Effects of events
   * `options.keep` refuses are discarded. A rollback of `tx` discards every effect.
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
    const created = await this.repository.lockKeys(keys, tx);
    // Keys the lock just created have no record: only the others are read.
    const stored = await this.repository.loadState(
      keys.filter((key) => !created.has(key)),
      tx,
    );
    const current = new Map(stored);
    const changedBy = new Map<string, number | null>();
    const results: Violation[][] = [];
    events.forEach((event, index) => {
      const staged = new Map<string, unknown>();
      const state: RuleState = {
        get: (key) => (staged.has(key) ? staged.get(key) : current.get(key)),
        set: (key, value) => {
          staged.set(key, value);
        },
      };
      const violations = checkRules(event, state);
      results.push(violations);
      if (options.keep && !options.keep(index, violations)) return;
      for (const [key, value] of staged) {
        current.set(key, value);
        changedBy.set(key, event.leafIndex ?? null);
      }
    });
    const rows: RuleStateRow[] = [];
    for (const [key, updatedLeaf] of changedBy) {
      const state = current.get(key);
      if (JSON.stringify(state) === JSON.stringify(stored.get(key))) continue;
      rows.push({ key, state, updatedLeaf });
    }
    const locked = new Set(keys);
    const unwritten = rows.find((row) => !locked.has(row.key));
    if (unwritten !== undefined) {
      // checkRules writes only the keys ruleStateKeys names: anything else is a bug, not data.
      throw new Error(`rule state key ${unwritten.key} was written but not locked`);
    }
    const saved = new Set(rows.map((row) => row.key));
    await this.repository.saveState(
      rows,
      [...created].filter((key) => !saved.has(key)),
      tx,
    );
    return results;
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
