// The published rules in the service (issue 6 §3): GET /rules serves the rule set and its hash as
// libs/trace computes them, and RulesService.check on real PostgreSQL reaches exactly the pure
// engine's verdicts over a generated chain with deliberate violations of every rule, keeping its
// state in rule_state across transactions, discarding refused events' effects and rolled-back
// transactions, and never deadlocking two captures that lock overlapping items.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { createTestDatabase, type TestDatabase } from '@traceroot/db/testing';
import {
  canonicalRuleSet,
  checkRules,
  generateViolationChain,
  memoryRuleState,
  RULE_SET,
  type RuleEvent,
  ruleSetHash,
  type Violation,
} from '@traceroot/trace';
import pg from 'pg';

import { DatabaseModule } from '../../src/database/database.module.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { RulesController } from '../../src/rules/rules.controller.js';
import { RulesRepository } from '../../src/rules/rules.repository.js';
import { RulesService } from '../../src/rules/rules.service.js';
import { type StartedApp, startApp } from '../support/start-app.js';

// The published rules' own parts (RulesModule also carries the admin endpoint, which needs the
// auth and admin-record modules): GET /rules, RulesService and its repository.
@Module({ controllers: [RulesController], providers: [RulesRepository, RulesService] })
class PublishedRulesModule {}

const rulesOf = (violations: readonly Violation[]): string[] =>
  [...new Set(violations.map((v) => v.rule))].sort();

describe('the published rules in the service', () => {
  let db: TestDatabase;
  let server: StartedApp;
  let rules: RulesService;
  let prisma: PrismaService;

  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const clearState = () => query('DELETE FROM rule_state');
  const commissioning = (epcs: string[], organizationId: string): RuleEvent => ({
    fields: {
      type: 'ObjectEvent',
      eventTime: '2026-11-28T00:00:00Z',
      eventTimeZoneOffset: '+00:00',
      action: 'ADD',
      bizStep: 'commissioning',
      epcList: epcs,
    },
    recordedBy: { organizationId, gln: null },
  });
  const nullRecords = async () =>
    Number(
      (
        await query<{ count: string }>(
          "SELECT count(*) FROM rule_state WHERE state = 'null'::jsonb",
        )
      )[0]!.count,
    );

  beforeAll(async () => {
    db = await createTestDatabase('rules');
    server = await startApp({
      logger: false,
      imports: [DatabaseModule.forRoot(db.url), PublishedRulesModule],
    });
    rules = server.app.get(RulesService);
    prisma = server.app.get(PrismaService);
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('GET /rules serves the rule set and the hash of its canonical JSON, with an ETag', async () => {
    const response = await fetch(`${server.baseUrl}/rules`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { hash: string };
    expect(body).toEqual({ ...RULE_SET, hash: ruleSetHash() });
    expect(body.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Anyone can recompute the hash from what the endpoint serves.
    const { hash, ...ruleSet } = body as typeof body & typeof RULE_SET;
    expect(ruleSetHash(ruleSet)).toBe(hash);
    expect(canonicalRuleSet(ruleSet)).toBe(canonicalRuleSet());
    const etag = response.headers.get('etag');
    expect(etag).toBe(`"${hash}"`);
    // fetch adds `Cache-Control: no-cache` to a conditional request unless the caller sets one.
    const again = await fetch(`${server.baseUrl}/rules`, {
      headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
  });

  it('checks the generated chain, one transaction per event, exactly as the pure engine does', async () => {
    await clearState();
    const chain = generateViolationChain({ seed: 11, lines: 8 });
    const pure = memoryRuleState();
    let flagged = 0;
    for (const [i, event] of chain.events.entries()) {
      const [found] = await prisma.sql.$transaction((tx) => rules.check(tx, [event]));
      const expected = rulesOf(checkRules(event, pure));
      expect({ i, rules: rulesOf(found!) }).toEqual({ i, rules: expected });
      expect(expected).toEqual(chain.expected[i]);
      if (expected.length > 0) flagged += 1;
    }
    expect(flagged).toBeGreaterThanOrEqual(RULE_SET.rules.length);
    // The stored state is the pure engine's.
    const rows = await query<{ key: string; state: unknown }>('SELECT key, state FROM rule_state');
    expect(new Map(rows.map((r) => [r.key, r.state]))).toEqual(pure.map);
  });

  it('checks a whole capture in one call; refused events and rollbacks leave no state', async () => {
    await clearState();
    const chain = generateViolationChain({ seed: 12, lines: 8 });
    // Enforce: every violating event is refused (keep false); the rest must still pass.
    const verdicts = await prisma.sql.$transaction((tx) =>
      rules.check(tx, chain.events, { keep: (_, violations) => violations.length === 0 }),
    );
    expect(verdicts.map(rulesOf)).toEqual(chain.expected);
    // A replay of only the kept events gives the same state and finds nothing.
    const replay = memoryRuleState();
    chain.events.forEach((event, i) => {
      if (chain.expected[i]!.length === 0) expect(checkRules(event, replay)).toEqual([]);
    });
    const rows = await query<{ key: string; state: unknown }>('SELECT key, state FROM rule_state');
    expect(new Map(rows.map((r) => [r.key, r.state]))).toEqual(replay.map);
    expect(await nullRecords()).toBe(0);

    // A rolled-back capture leaves the state as it was.
    const before = await query('SELECT key, state FROM rule_state ORDER BY key');
    await expect(
      prisma.sql.$transaction(async (tx) => {
        await rules.check(tx, generateViolationChain({ seed: 13 }).events);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await query('SELECT key, state FROM rule_state ORDER BY key')).toEqual(before);
  });

  it('serialises captures that name the same items, without deadlocks', async () => {
    await clearState();
    const chain = generateViolationChain({ seed: 14, lines: 4 });
    // Two captures with the same events in opposite orders: their lock sets overlap entirely.
    const forward = chain.events.slice(0, 20);
    const backward = [...forward].reverse();
    const captures = [forward, backward, forward];
    // New items: a capture that loses the race to create a record checks again (EventsService
    // does the same), and every capture gets through.
    let races = 0;
    const checkAgainOnRace = async (events: readonly RuleEvent[]) => {
      for (;;) {
        try {
          return await prisma.sql.$transaction((tx) => rules.check(tx, events));
        } catch (error) {
          if (!rules.isStateRace(error)) throw error;
          races += 1;
        }
      }
    };
    await Promise.all(captures.map(checkAgainOnRace));
    expect(races).toBeLessThanOrEqual(captures.length - 1);
    const [{ count }] = (await query<{ count: string }>('SELECT count(*) FROM rule_state')) as [
      { count: string },
    ];
    expect(Number(count)).toBeGreaterThan(0);
    // Items that have records: row locks only, so no capture fails.
    await Promise.all(
      captures.map((events) => prisma.sql.$transaction((tx) => rules.check(tx, events))),
    );
    expect(await query('SELECT count(*) FROM rule_state')).toEqual([{ count }]);
  });

  it('locks any number of items: one capture of 4,000 events naming 20,000 items', async () => {
    await clearState();
    // One advisory lock per item (the first design) ran out of PostgreSQL's shared lock table
    // (max_locks_per_transaction × max_connections: 6,400 by default) on a capture like this.
    const events = Array.from({ length: 4000 }, (_, i) =>
      commissioning(
        Array.from({ length: 5 }, (_, j) => `urn:epc:id:sgtin:4012345.011111.${i * 5 + j}`),
        'org-a',
      ),
    );
    const verdicts = await prisma.sql.$transaction((tx) => rules.check(tx, events));
    expect(verdicts.every((v) => v.length === 0)).toBe(true);
    const rows = await query<{ count: string; custodians: string[] }>(
      "SELECT count(*), array_agg(DISTINCT state->>'custodian') AS custodians FROM rule_state",
    );
    expect(rows[0]).toEqual({ count: '20000', custodians: ['org-a'] });
    expect(await nullRecords()).toBe(0);
  });

  it('makes a capture naming an item another capture is creating wait for it, then fail so that it checks again and sees it', async () => {
    await clearState();
    const item = 'urn:epc:id:sgtin:4012345.022222.1';
    const shipping: RuleEvent = {
      fields: { ...commissioning([item], 'org-b').fields, action: 'OBSERVE', bizStep: 'shipping' },
      recordedBy: { organizationId: 'org-b', gln: null },
    };
    let firstCommitted = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const writtenByFirst = new Promise<void>((resolve) => (written = resolve));
    // The first capture commissions the item (no record yet) and holds its transaction open.
    const first = prisma.sql.$transaction(async (tx) => {
      await rules.check(tx, [commissioning([item], 'org-a')]);
      written();
      await held;
      firstCommitted = Date.now();
    });
    await writtenByFirst;
    // The second ships it as another organization: it reads no record, so its insert of one
    // waits for the first capture and, once that committed, fails: nothing of it is stored.
    const second = prisma.sql.$transaction((tx) => rules.check(tx, [shipping]));
    const secondFailed = second.then(
      () => 0,
      (error: unknown) => {
        expect(rules.isStateRace(error)).toBe(true);
        return Date.now();
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await first;
    expect(await secondFailed).toBeGreaterThanOrEqual(firstCommitted);
    // Checked again in a new transaction (as EventsService does), it sees org-a's custody.
    const [again] = await prisma.sql.$transaction((tx) => rules.check(tx, [shipping]));
    expect(rulesOf(again!)).toEqual(['custody.current-custodian']);
    const rows = await query<{ key: string; state: unknown }>('SELECT key, state FROM rule_state');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toMatchObject({ custodian: 'org-a' });
    expect(await nullRecords()).toBe(0);
  });

  it('does not take a concurrent insert of an unrelated key for a race', () => {
    expect(rules.isStateRace({ code: '23505', constraint: 'events_event_id_key' })).toBe(false);
    expect(rules.isStateRace({ code: '23505', constraint: 'rule_state_pkey' })).toBe(true);
    expect(rules.isStateRace(new Error('rule_state_pkey'))).toBe(false);
  });

  it('keeps each organization’s rule mode: flag by default, enforce or off when set', async () => {
    const [org] = (await query<{ id: string }>(
      "INSERT INTO organizations (name) VALUES ('Rules test') RETURNING id",
    )) as [{ id: string }];
    expect(await rules.modeOf(org.id)).toBe('flag');
    await rules.setMode(org.id, 'enforce');
    expect(await rules.modeOf(org.id)).toBe('enforce');
    await prisma.sql.$transaction((tx) => rules.setMode(org.id, 'off', tx));
    expect(await rules.modeOf(org.id)).toBe('off');
    await expect(rules.modeOf('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(rules.modeOf('not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rules.setMode(org.id, 'strict' as never)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      query("UPDATE organizations SET rule_mode = 'strict' WHERE id = $1", [org.id]),
    ).rejects.toThrow(/organizations_rule_mode_check/);
  });
});
