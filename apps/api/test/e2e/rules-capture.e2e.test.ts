// The published rules at capture, on the full service and real PostgreSQL (issue 6 §3, §5
// "Rules"): a generated supply chain with deliberate violations of every rule, captured over
// HTTP one event per request by the organizations that record them. In flag mode every event is
// accepted and exactly the violating ones carry exactly their rules; in enforce mode exactly
// those are refused with 422, the rule IDs and the evidence; `traceroot rules check` over the
// public log reproduces the service's verdicts; every checkpoint names the rule set in force.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  generateViolationChain,
  openCheckpoint,
  readRulesExtension,
  RULE_SET,
  ruleSetHash,
  ruleStateKeys,
  type ViolationChain,
} from '@traceroot/trace';

import pg from 'pg';

import { runCli } from '../../../cli/src/main.js';
import { capturingIo } from '../support/cli-io.js';
import { call, type LedgerApp, problemOf, startLedgerApp } from '../support/ledger-app.js';

const CHAIN: ViolationChain = generateViolationChain({ seed: 11 });

type Outcome = { status: number; rules: string[] };

/** Creates the chain's organizations with `mode` and captures its events one by one. */
const captureChain = async (ledger: LedgerApp, mode: 'flag' | 'enforce'): Promise<Outcome[]> => {
  const keys = new Map<string, string>();
  for (const org of CHAIN.organizations) {
    const created = await call(ledger.baseUrl, '/admin/organizations', {
      key: ledger.adminKey,
      body: { name: org.name, gln: org.gln },
    });
    expect(created.status).toBe(201);
    const { id, apiKey } = (await created.json()) as { id: string; apiKey: string };
    const set = await call(ledger.baseUrl, `/admin/organizations/${id}/rules`, {
      key: ledger.adminKey,
      method: 'PUT',
      body: { mode },
    });
    expect(set.status).toBe(200);
    keys.set(org.organizationId, apiKey);
  }
  const outcomes: Outcome[] = [];
  for (const event of CHAIN.events) {
    const response = await call(ledger.baseUrl, '/events', {
      key: keys.get(event.recordedBy.organizationId)!,
      body: { '@context': CHAIN.context, ...event.fields },
    });
    if (response.status === 201) {
      const body = (await response.json()) as {
        ledger: { rules: { ruleSet: string; flags: { rule: string }[] } };
      };
      expect(body.ledger.rules.ruleSet).toBe(RULE_SET.version);
      outcomes.push({
        status: 201,
        rules: [...new Set(body.ledger.rules.flags.map((f) => f.rule))].sort(),
      });
    } else {
      const problem = await problemOf(response);
      expect(problem.code).toBe('RULE_VIOLATION');
      const errors = problem.errors as unknown as { rule: string; evidence: unknown }[];
      for (const error of errors) expect(error.evidence).toEqual(expect.any(Object));
      outcomes.push({
        status: response.status,
        rules: [...new Set(errors.map((e) => e.rule))].sort(),
      });
    }
  }
  return outcomes;
};

describe('the published rules at capture (e2e)', () => {
  it('breaks every rule at least once in the generated chain', () => {
    const broken = new Set(CHAIN.expected.flat());
    expect([...broken].sort()).toEqual(RULE_SET.rules.map((r) => r.id).sort());
  });

  describe('flag mode', () => {
    let ledger: LedgerApp;
    let outcomes: Outcome[];

    beforeAll(async () => {
      ledger = await startLedgerApp();
      outcomes = await captureChain(ledger, 'flag');
      await ledger.seal();
    }, 120_000);

    afterAll(async () => {
      await ledger?.close();
    });

    it('accepts every event and marks exactly the violating ones with exactly their rules', () => {
      expect(outcomes.map((o) => o.status)).toEqual(CHAIN.events.map(() => 201));
      expect(outcomes.map((o) => o.rules)).toEqual(CHAIN.expected);
    });

    it('signs checkpoints that name the rule set GET /rules publishes', async () => {
      const published = (await (await call(ledger.baseUrl, '/rules')).json()) as {
        version: string;
        hash: string;
      };
      expect(published).toMatchObject({ version: RULE_SET.version, hash: ruleSetHash(RULE_SET) });
      const note = await (await call(ledger.baseUrl, '/log/checkpoint')).text();
      const { checkpoint } = openCheckpoint(note, [ledger.verifierKey]);
      expect(readRulesExtension(checkpoint.extensions)).toEqual({
        version: published.version,
        hash: published.hash,
      });
    });

    it('is reproduced by `traceroot rules check` over the public log', async () => {
      const { io, stdout } = capturingIo();
      const code = await runCli(['rules', 'check', '--url', ledger.baseUrl, '--json'], io);
      expect(code).toBe(0);
      const report = JSON.parse(stdout()) as Record<string, unknown>;
      expect(report).toMatchObject({ disagreements: [] });
    });
  });

  describe('enforce mode', () => {
    let ledger: LedgerApp;
    let outcomes: Outcome[];

    beforeAll(async () => {
      ledger = await startLedgerApp();
      outcomes = await captureChain(ledger, 'enforce');
      await ledger.seal();
    }, 120_000);

    afterAll(async () => {
      await ledger?.close();
    });

    it('refuses exactly the violating events with 422 naming exactly their rules', () => {
      expect(outcomes.map((o) => o.status)).toEqual(
        CHAIN.expected.map((rules) => (rules.length > 0 ? 422 : 201)),
      );
      expect(outcomes.map((o) => o.rules)).toEqual(
        CHAIN.expected.map((rules) => (rules.length > 0 ? rules : [])),
      );
    });

    it('stores nothing of a refused event', async () => {
      const [row] = await ledger.sql<{ count: string }>(
        "SELECT count(*) FROM events WHERE organization_id <> '00000000-0000-4000-8000-000000000001'",
      );
      expect(Number(row!.count)).toBe(CHAIN.expected.filter((rules) => rules.length === 0).length);
    });

    it('agrees with `traceroot rules check`', async () => {
      const { io } = capturingIo();
      expect(await runCli(['rules', 'check', '--url', ledger.baseUrl], io)).toBe(0);
    });
  });

  describe('a capture that races another for a new item', () => {
    let ledger: LedgerApp;

    beforeAll(async () => {
      ledger = await startLedgerApp();
    }, 120_000);

    afterAll(async () => {
      await ledger?.close();
    });

    it('waits for the other to create the item’s record, checks again and sees it', async () => {
      const shipping = {
        type: 'ObjectEvent',
        eventTime: '2026-11-28T09:00:00Z',
        eventTimeZoneOffset: '+00:00',
        epcList: ['urn:epc:id:sgtin:4012345.033333.7'],
        action: 'OBSERVE',
        bizStep: 'shipping',
      };
      const [key] = ruleStateKeys({
        fields: shipping,
        recordedBy: { organizationId: ledger.organizationId, gln: null },
      });
      // Another capture, still open, has just created the item's record: another custodian.
      const other = new pg.Client({ connectionString: ledger.db.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`INSERT INTO rule_state (key, state) VALUES ($1, $2)`, [
          key,
          { custodian: 'another-organization' },
        ]);
        const captured = call(ledger.baseUrl, '/events', { key: ledger.apiKey, body: shipping });
        // The capture read no record, so its insert of one waits for the open transaction.
        for (let waited = 0; ; waited += 50) {
          const [row] = await ledger.sql<{ waiting: string }>(
            `SELECT count(*) AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'
                AND query LIKE '%INSERT INTO rule_state%'`,
          );
          if (Number(row!.waiting) > 0) break;
          if (waited > 10_000) throw new Error('the capture never waited for the open transaction');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await other.query('COMMIT');
        // Its insert fails once the other committed; checked again, it sees the other's custody.
        const response = await captured;
        expect(response.status).toBe(201);
        const body = (await response.json()) as {
          ledger: { rules: { flags: { rule: string; evidence: Record<string, unknown> }[] } };
        };
        expect(body.ledger.rules.flags).toEqual([
          expect.objectContaining({
            rule: 'custody.current-custodian',
            evidence: expect.objectContaining({ custodian: 'another-organization' }),
          }),
        ]);
      } finally {
        await other.end();
      }
      const [stored] = await ledger.sql<{ count: string }>(
        'SELECT count(*) FROM events WHERE rule_violations IS NOT NULL',
      );
      expect(stored).toEqual({ count: '1' });
    });
  });
});
