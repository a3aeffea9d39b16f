// `traceroot rules check` over the generated chain with deliberate violations of every rule
// (@traceroot/trace generateViolationChain): leaf views built as the service serves them (SD-JWT
// disclosures, recordedBy, the service's verdict), read from a file, stdin or GET /log/leaves.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  commitEvent,
  computeEventHashId,
  generateViolationChain,
  hashDisclosure,
  parseDisclosure,
  RULE_SET,
  ruleSetHash,
} from '@traceroot/trace';

import { runCli } from '../src/main.js';
import { seeded } from './audit-fake-log.js';
import { memoryIo } from './memory-io.js';

type View = {
  leafIndex: number;
  eventID: string;
  disclosures: string[];
  hiddenDigests: string[];
  recordedBy: { organizationId: string; gln: string | null };
  rules: { version: string; violations: string[] } | null;
};

/** The chain's events as leaf views, each with the verdict the chain expects. */
const buildViews = (seed = 3): View[] => {
  const chain = generateViolationChain({ seed, lines: 8 });
  const random = seeded(seed);
  return chain.events.map((event, leafIndex) => {
    const eventID = computeEventHashId(event.fields, { context: chain.context as never });
    const { disclosures } = commitEvent(
      { ...event.fields, eventID, '@context': chain.context },
      eventID,
      random,
    );
    return {
      leafIndex,
      eventID,
      disclosures: Object.values(disclosures),
      hiddenDigests: [],
      recordedBy: event.recordedBy,
      rules: { version: RULE_SET.version, violations: chain.expected[leafIndex]! },
    };
  });
};

const run = async (argv: string[], files: Record<string, string> = {}) => {
  const { io, stdout, stderr } = memoryIo(files);
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
};

const check = (views: readonly View[], ...extra: string[]) =>
  run(['rules', 'check', 'leaves.json', ...extra], {
    'leaves.json': JSON.stringify({ leaves: views }),
  });

/** Withholds field `name` of a view: its disclosure becomes a hidden digest. */
const withhold = (view: View, name: string): View => {
  const hidden = view.disclosures.filter((d) => parseDisclosure(d).name === name);
  return {
    ...view,
    disclosures: view.disclosures.filter((d) => !hidden.includes(d)),
    hiddenDigests: hidden.map((d) => hashDisclosure(d)),
  };
};

describe('traceroot rules check', () => {
  it('agrees with every verdict of a faithful service: exit 0 and a summary', async () => {
    const views = buildViews();
    const flagged = views.filter((v) => v.rules!.violations.length > 0).length;
    expect(flagged).toBeGreaterThanOrEqual(5);
    const result = await check(views);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `AGREE: ${views.length} events replayed against traceroot-rules ${RULE_SET.version} (${ruleSetHash()})\n` +
        `  same verdict: ${views.length}; different: 0; not checkable: 0; not checked by the service: 0`,
    );
  });

  it('reads a JSON array, JSON lines and stdin, in any order', async () => {
    const views = buildViews();
    const shuffled = [...views].reverse();
    expect(
      (await run(['rules', 'check', 'a.json'], { 'a.json': JSON.stringify(shuffled) })).code,
    ).toBe(0);
    const lines = views.map((v) => JSON.stringify(v)).join('\n');
    expect((await run(['rules', 'check', '-'], { '-': lines })).stdout).toMatch(/^AGREE: /);
  });

  it('names an event whose verdict was tampered with: exit 1', async () => {
    const views = buildViews();
    const faithful = views.findIndex((v) => v.rules!.violations.length === 0);
    const violating = views.findIndex((v) => v.rules!.violations.length > 0);
    views[faithful] = {
      ...views[faithful]!,
      rules: { version: RULE_SET.version, violations: ['custody.current-custodian'] },
    };
    views[violating] = {
      ...views[violating]!,
      rules: { version: RULE_SET.version, violations: [] },
    };
    const result = await check(views);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^DISAGREE: /);
    expect(result.stdout).toContain(
      `  DIFFERENT leaf ${faithful} (${views[faithful].eventID}): service found custody.current-custodian; replay found none`,
    );
    expect(result.stdout).toContain(
      `  DIFFERENT leaf ${violating} (${views[violating].eventID}): service found none; replay found`,
    );
    const json = JSON.parse((await check(views, '--json')).stdout) as {
      ok: boolean;
      disagreements: { leafIndex: number }[];
    };
    expect(json.ok).toBe(false);
    expect(json.disagreements.map((d) => d.leafIndex).sort((a, b) => a - b)).toEqual(
      [faithful, violating].sort((a, b) => a - b),
    );
  });

  it('reports differing verdicts that depend on withheld fields as not checkable, not as disagreements', async () => {
    const views = buildViews();
    // Hide where a shipment went: the receipt that follows cannot be matched by this viewer.
    const events = generateViolationChain({ seed: 3, lines: 8 }).events;
    const shipping = events.findIndex(
      (e, i) =>
        /shipping/.test(String(e.fields.bizStep)) && views[i]!.rules!.violations.length === 0,
    );
    views[shipping] = withhold(views[shipping]!, 'destinationList');
    const result = await check(views, '--json');
    const json = JSON.parse(result.stdout) as {
      ok: boolean;
      notCheckable: { leafIndex: number; reason: string }[];
      disagreements: unknown[];
    };
    expect(result.code).toBe(0);
    expect(json.disagreements).toEqual([]);
    expect(json.notCheckable.length).toBeGreaterThan(0);
    expect(json.notCheckable[0]!.leafIndex).toBeGreaterThan(shipping);
  });

  it('replays but does not compare events the service did not check, nor other rule set versions', async () => {
    const views = buildViews();
    const violating = views.findIndex((v) => v.rules!.violations.length > 0);
    views[0] = { ...views[0]!, rules: null };
    views[violating] = { ...views[violating]!, rules: { version: '0.9.0', violations: [] } };
    const json = JSON.parse((await check(views, '--json')).stdout) as {
      ok: boolean;
      unchecked: number;
      notCheckable: { reason: string }[];
    };
    expect(json).toMatchObject({ ok: true, unchecked: 1 });
    expect(json.notCheckable).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('0.9.0') }),
    ]);
  });

  it('prints progress on stderr every 10,000 events', async () => {
    const views = Array.from({ length: 20_001 }, (_, leafIndex) => ({
      leafIndex,
      disclosures: [],
      recordedBy: { organizationId: 'o', gln: null },
      rules: { version: RULE_SET.version, violations: [] },
    }));
    const result = await run(['rules', 'check', 'a'], { a: JSON.stringify(views) });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toBe(
      'rules check: 10000 events replayed\nrules check: 20000 events replayed',
    );
  });

  it('prints the rule set and its hash with --rules', async () => {
    const result = await run(['rules', '--rules']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ...RULE_SET, hash: ruleSetHash() });
  });

  it('refuses bad usage (exit 2) and unreadable or malformed input (exit 3)', async () => {
    expect((await run(['rules'])).code).toBe(2);
    expect((await run(['rules', 'verify', 'x'])).code).toBe(2);
    expect((await run(['rules', 'check'])).code).toBe(2);
    expect((await run(['rules', 'check', 'a', '--url', 'http://x'])).code).toBe(2);
    expect((await run(['rules', 'check', '--url', 'ftp://x'])).code).toBe(2);
    expect((await run(['rules', 'check', 'missing.json'])).code).toBe(3);
    expect((await run(['rules', 'check', 'a'], { a: '{"leaves":[{"x":1}]}' })).code).toBe(3);
    expect((await run(['rules', 'check', 'a'], { a: '{"leafIndex":0' })).code).toBe(3);
    const bad = { leafIndex: 0, disclosures: ['!!'], recordedBy: null, rules: null };
    expect(await run(['rules', 'check', 'a'], { a: JSON.stringify([bad]) })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('leaf 0'),
    });
  });

  describe('--url', () => {
    let server: Server;
    let url: string;
    let views: View[] = [];

    beforeAll(async () => {
      server = createServer((request, response) => {
        const query = new URL(request.url ?? '/', 'http://x').searchParams;
        const start = Number(query.get('start') ?? 0);
        const end = Math.min(Number(query.get('end') ?? start + 1000), start + 7); // short pages
        const next = end < views.length ? end : null;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ leaves: views.slice(start, end), next }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('pages GET /log/leaves and agrees; a tampered verdict exits 1', async () => {
      views = buildViews(4);
      expect(await run(['rules', 'check', '--url', url])).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^AGREE: /),
      });
      const i = views.findIndex((v) => v.rules!.violations.length > 0);
      views[i] = {
        ...views[i]!,
        rules: {
          version: RULE_SET.version,
          violations: ['mass-balance.yield', 'custody.aggregation-children'],
        },
      };
      const result = await run(['rules', 'check', '--url', url]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`DIFFERENT leaf ${i} (${views[i].eventID})`);
    });
  });
});
