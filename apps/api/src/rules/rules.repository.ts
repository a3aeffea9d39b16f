import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';

export type RuleMode = 'enforce' | 'flag' | 'off';

export const RULE_MODES: readonly RuleMode[] = ['enforce', 'flag', 'off'];

/** One changed rule state row: its key, its JSON record, the leaf that changed it when known. */
export type RuleStateRow = { key: string; state: unknown; updatedLeaf: number | null };

/**
 * The record a key holds while a capture that locked it has not written it yet (lockKeys): JSON
 * null, which loadState reads as no record and saveState removes again.
 */
const PLACEHOLDER = `'null'::jsonb`;

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
   * Locks the records of `keys` until `tx` ends, in one statement: row locks taken in ascending
   * key order (two transactions locking overlapping sets never deadlock), after creating a
   * placeholder record for each key that has none (so that a key nobody holds yet is locked
   * too: a concurrent insert of it waits for this transaction). Row locks live in the rows, not
   * in PostgreSQL's shared lock table, so a capture may name any number of items (advisory locks,
   * one per key, exhausted that table — max_locks_per_transaction — at a few thousand). Returns
   * the keys it created placeholders for: they have no record.
   */
  async lockKeys(keys: readonly string[], tx: Sql): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const created = await tx.$queryRawUnsafe<{ key: string }[]>(
      `INSERT INTO rule_state AS r (key, state)
       SELECT DISTINCT k, ${PLACEHOLDER} FROM json_array_elements_text($1::json) AS u(k) ORDER BY k
       ON CONFLICT (key) DO UPDATE SET state = r.state WHERE false
       RETURNING key`,
      JSON.stringify(keys),
    );
    return new Set(created.map((row) => row.key));
  }

  /**
   * The stored records of `keys` (locked: lockKeys), read with a snapshot taken after the locks,
   * so a capture that waited for another sees what that one wrote.
   */
  async loadState(keys: readonly string[], tx: Sql): Promise<Map<string, unknown>> {
    if (keys.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ key: string; state: unknown }[]>(
      `SELECT key, state FROM rule_state
       WHERE key = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
         AND state <> ${PLACEHOLDER}`,
      JSON.stringify(keys),
    );
    return new Map(rows.map((row) => [row.key, row.state]));
  }

  /**
   * Writes `rows` (each a locked key: lockKeys made sure it has a row) and deletes the
   * placeholders of `unfilled` (created by lockKeys, given no record), in one statement.
   */
  async saveState(
    rows: readonly RuleStateRow[],
    unfilled: readonly string[],
    tx: Sql,
  ): Promise<void> {
    if (rows.length === 0 && unfilled.length === 0) return;
    await tx.$executeRawUnsafe(
      `WITH saved AS (
         UPDATE rule_state t SET state = u.r->1, updated_leaf = (u.r->>2)::bigint
         FROM jsonb_array_elements($1::jsonb) AS u(r)
         WHERE t.key = u.r->>0)
       DELETE FROM rule_state
       WHERE key = ANY (ARRAY(SELECT json_array_elements_text($2::json)))`,
      JSON.stringify(rows.map((row) => [row.key, row.state, row.updatedLeaf])),
      JSON.stringify(unfilled),
    );
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
