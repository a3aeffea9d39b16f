import { Injectable } from '@nestjs/common';

import { isUniqueViolation } from '../database/pg-sql.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';

export type RuleMode = 'enforce' | 'flag' | 'off';

export const RULE_MODES: readonly RuleMode[] = ['enforce', 'flag', 'off'];

/** One changed rule state row: its key, its JSON record, the leaf that changed it when known. */
export type RuleStateRow = { key: string; state: unknown; updatedLeaf: number | null };

/**
 * The rule engine's state (rule_state) and the organizations' rule modes. Raw SQL on the
 * caller's transaction: the capture transaction is a node-postgres one (ADR 0007). Lists go to
 * PostgreSQL as one JSON text each, not as arrays: node-postgres escapes an array element by
 * element in JavaScript, which cost more than the statements themselves under capture load.
 */
@Injectable()
export class RulesRepository {
  constructor(private readonly prisma: PrismaService) {}

  get db(): Sql {
    return this.prisma.sql;
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.prisma.sql.$transaction(fn);
  }

  /**
   * The stored records of `keys`, row-locked until `tx` ends, in one statement: locks taken in
   * ascending key order (two transactions locking overlapping sets never deadlock), each row read
   * as it is once locked (a capture that waited for another sees what that one wrote). Row locks
   * live in the rows, not in PostgreSQL's shared lock table, so a capture may name any number of
   * items (advisory locks, one per key, exhausted that table — max_locks_per_transaction — at a
   * few thousand). Keys without a record are not locked: saveState creates them.
   */
  async lockState(keys: readonly string[], tx: Sql): Promise<Map<string, unknown>> {
    if (keys.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ key: string; state: unknown }[]>(
      `SELECT key, state FROM rule_state
       WHERE key = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
       ORDER BY key
       FOR UPDATE`,
      JSON.stringify(keys),
    );
    return new Map(rows.map((row) => [row.key, row.state]));
  }

  /**
   * Writes the records of a capture in one statement: `created`, keys lockState found no record
   * of, inserted in ascending key order; `updated`, keys it locked. When another transaction
   * created one of `created` meanwhile, the insert waits for it and, once it committed, fails with
   * the unique violation isStateRace recognises: the caller's view of the state was incomplete,
   * so it must roll back and check again in a new transaction (EventsService does).
   */
  async saveState(
    created: readonly RuleStateRow[],
    updated: readonly RuleStateRow[],
    tx: Sql,
  ): Promise<void> {
    if (created.length === 0 && updated.length === 0) return;
    await tx.$executeRawUnsafe(
      `WITH inserted AS (
         INSERT INTO rule_state (key, state, updated_leaf)
         SELECT u.r->>0, u.r->1, (u.r->>2)::bigint
         FROM jsonb_array_elements($1::jsonb) AS u(r)
         ORDER BY 1)
       UPDATE rule_state t SET state = u.r->1, updated_leaf = (u.r->>2)::bigint
       FROM jsonb_array_elements($2::jsonb) AS u(r)
       WHERE t.key = u.r->>0`,
      JSON.stringify(created.map((row) => [row.key, row.state, row.updatedLeaf])),
      JSON.stringify(updated.map((row) => [row.key, row.state, row.updatedLeaf])),
    );
  }

  /**
   * Whether `error` is rule_state's primary key refusing saveState's insert: a concurrent capture
   * created a record this transaction read as absent.
   */
  isStateRace(error: unknown): boolean {
    return isUniqueViolation(error, 'rule_state_pkey');
  }

  /** The organization's rule mode; null when there is no such organization (`organizationId` is a UUID). */
  async findMode(organizationId: string, db: Sql = this.db): Promise<RuleMode | null> {
    const rows = await db.$queryRawUnsafe<{ rule_mode: RuleMode }[]>(
      'SELECT rule_mode FROM organizations WHERE id = $1::uuid',
      organizationId,
    );
    return rows[0]?.rule_mode ?? null;
  }

  /** Sets the organization's rule mode; false when there is no such organization. */
  async updateMode(organizationId: string, mode: RuleMode, db: Sql = this.db): Promise<boolean> {
    const count = await db.$executeRawUnsafe(
      'UPDATE organizations SET rule_mode = $2 WHERE id = $1::uuid',
      organizationId,
      mode,
    );
    return count > 0;
  }
}
