import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Sql } from '../ledger/ledger.repository.js';

export type RuleMode = 'enforce' | 'flag' | 'off';

export const RULE_MODES: readonly RuleMode[] = ['enforce', 'flag', 'off'];

/** One changed rule state row: its key, its JSON record, the leaf that changed it when known. */
export type RuleStateRow = { key: string; state: unknown; updatedLeaf: number | null };

/**
 * A fixed seed for hashtextextended (PostgreSQL's 64-bit text hash, stable across releases):
 * the advisory lock of a rule state key is pg_advisory_xact_lock(hashtextextended(key, seed)).
 * "RULES" in ASCII; a different seed from any other lock user keeps the spaces apart.
 */
const RULE_LOCK_SEED = 0x52554c4553n;

/**
 * The rule engine's state (rule_state) and the organizations' rule modes. Raw SQL on the
 * caller's transaction: the capture transaction is a node-postgres one (ADR 0007).
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
   * Locks `keys` until `tx` ends, in one statement: transaction-scoped advisory locks on their
   * 64-bit hashes, distinct and taken in ascending order (OFFSET 0 keeps the sort below the lock
   * calls), so two transactions locking overlapping sets never deadlock.
   */
  async lockKeys(keys: readonly string[], tx: Sql): Promise<void> {
    if (keys.length === 0) return;
    await tx.$queryRawUnsafe(
      `SELECT pg_advisory_xact_lock(h) FROM (
         SELECT DISTINCT hashtextextended(k, ${RULE_LOCK_SEED}) AS h
         FROM unnest($1::text[]) AS u(k) ORDER BY h OFFSET 0) AS sorted`,
      [...keys],
    );
  }

  /** The stored records of `keys` (absent keys have none), in one statement. */
  async loadState(keys: readonly string[], tx: Sql): Promise<Map<string, unknown>> {
    if (keys.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ key: string; state: unknown }[]>(
      'SELECT key, state FROM rule_state WHERE key = ANY($1::text[])',
      [...keys],
    );
    return new Map(rows.map((row) => [row.key, row.state]));
  }

  /** Inserts or replaces `rows`, in one statement. */
  async saveState(rows: readonly RuleStateRow[], tx: Sql): Promise<void> {
    if (rows.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO rule_state (key, state, updated_leaf)
       SELECT k, s, l FROM unnest($1::text[], $2::jsonb[], $3::bigint[]) AS u(k, s, l)
       ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, updated_leaf = EXCLUDED.updated_leaf`,
      rows.map((row) => row.key),
      rows.map((row) => JSON.stringify(row.state)),
      rows.map((row) => (row.updatedLeaf === null ? null : String(row.updatedLeaf))),
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
