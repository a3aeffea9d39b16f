// `traceroot rules check`: replay the published rules over a log's stored events and compare
// every verdict with the service's (issue 6 §3, docs/specs/rules.md). The engine is checkRules
// of @traceroot/trace, the very code the service runs; the events come from GET /log/leaves
// (--url) or from a file of what it serves.
import {
  checkRules,
  memoryRuleState,
  parseDisclosure,
  RULE_SET,
  type RuleEvent,
  ruleSetHash,
  ruleStateKeys,
} from '@traceroot/trace';
import { nodeSha256 } from '@traceroot/trace/node';

import { CliError, EXIT, type ExitCode } from '../cli-error.js';
import type { CliIo } from '../io.js';
import type { CommandArgs } from './args.js';
import { type LogClient, logClient, PAGE_SIZE } from './audit-http.js';

/** How often a long replay prints progress on stderr, in events. */
const PROGRESS_EVERY = 10_000;

/** The service's verdict on one event, as GET /log/leaves serves it; null: not checked. */
type ServiceVerdict = { version: string; violations: string[] } | null;

/** One leaf view, as far as the rules need it. */
type RulesLeaf = {
  leafIndex: number;
  eventID: string | null;
  disclosures: string[];
  hiddenDigests: string[];
  recordedBy: { organizationId: string; gln: string | null } | null;
  rules: ServiceVerdict;
};

export type RulesFinding = {
  leafIndex: number;
  eventID: string | null;
  /** The rule IDs the service found (sorted). */
  service: string[];
  /** The rule IDs the replay found (sorted). */
  replay: string[];
  /** For a verdict that could not be checked: why. */
  reason?: string;
};

export type RulesCheckResult = {
  ok: boolean;
  ruleSet: { name: string; version: string; hash: string };
  events: number;
  agree: number;
  /** Events the service stored without a verdict (rules: null): replayed, not compared. */
  unchecked: number;
  disagreements: RulesFinding[];
  notCheckable: RulesFinding[];
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A leaf view from untrusted JSON; IO error naming the item when it is not one. */
const toLeaf = (item: unknown, where: string): RulesLeaf => {
  if (
    !isRecord(item) ||
    !Number.isSafeInteger(item.leafIndex) ||
    !Array.isArray(item.disclosures)
  ) {
    throw new CliError('IO', `${where} is not a leaf view (leafIndex, disclosures, …)`);
  }
  const by = item.recordedBy;
  const rules = item.rules;
  return {
    leafIndex: item.leafIndex as number,
    eventID: typeof item.eventID === 'string' ? item.eventID : null,
    disclosures: strings(item.disclosures),
    hiddenDigests: strings(item.hiddenDigests),
    recordedBy:
      isRecord(by) && typeof by.organizationId === 'string'
        ? { organizationId: by.organizationId, gln: typeof by.gln === 'string' ? by.gln : null }
        : null,
    rules:
      isRecord(rules) && typeof rules.version === 'string'
        ? { version: rules.version, violations: strings(rules.violations) }
        : null,
  };
};

/** The leaf views of a file: one `{leaves: […]}` page, a JSON array, or JSON lines. */
export const parseLeafViews = (text: string, name: string): RulesLeaf[] => {
  let items: unknown[];
  try {
    const parsed = JSON.parse(text) as unknown;
    items = Array.isArray(parsed)
      ? parsed
      : isRecord(parsed) && Array.isArray(parsed.leaves)
        ? parsed.leaves
        : [parsed];
  } catch {
    items = text
      .split('\n')
      .map((line, i) => ({ line: line.trim(), i }))
      .filter(({ line }) => line !== '')
      .map(({ line, i }) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          throw new CliError('IO', `${name} line ${i + 1} is not JSON`);
        }
      });
  }
  return items
    .flatMap((item): unknown[] =>
      isRecord(item) && Array.isArray(item.leaves) ? (item.leaves as unknown[]) : [item],
    )
    .map((item, i) => toLeaf(item, `${name}: item ${i + 1}`))
    .sort((a, b) => a.leafIndex - b.leafIndex);
};

/** The event of a leaf view: its disclosed fields; `@context` is its context. */
const eventOf = (leaf: RulesLeaf): RuleEvent => {
  const fields: Record<string, unknown> = {};
  let context: unknown;
  for (const disclosure of leaf.disclosures) {
    let name: string;
    let value: unknown;
    try {
      ({ name, value } = parseDisclosure(disclosure));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError('INVALID', `leaf ${leaf.leafIndex}: ${reason}`);
    }
    if (name === '@context') context = value;
    else if (!name.startsWith('@')) fields[name] = value;
  }
  return {
    fields,
    ...(context === undefined ? {} : { context }),
    recordedBy: leaf.recordedBy ?? { organizationId: '', gln: null },
    leafIndex: leaf.leafIndex,
  };
};

const sortedSet = (values: readonly string[]): string[] => [...new Set(values)].sort();
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Replays the rules over `leaves` (in leaf index order) with an in-memory state and compares each
 * verdict with the service's. A differing verdict is "not checkable" rather than a disagreement
 * when this viewer could not see the whole story: the event has withheld fields, or names an item
 * that an earlier event with withheld fields named, or has no recorder, or was checked against
 * another rule set version.
 */
export const replayRules = async (
  leaves: AsyncIterable<RulesLeaf> | Iterable<RulesLeaf>,
  onProgress: (events: number) => void = () => undefined,
): Promise<RulesCheckResult> => {
  const state = memoryRuleState();
  const tainted = new Set<string>();
  const result: RulesCheckResult = {
    ok: true,
    ruleSet: {
      name: RULE_SET.name,
      version: RULE_SET.version,
      hash: ruleSetHash(RULE_SET, nodeSha256),
    },
    events: 0,
    agree: 0,
    unchecked: 0,
    disagreements: [],
    notCheckable: [],
  };
  let last = -1;
  for await (const leaf of leaves) {
    if (leaf.leafIndex <= last) {
      throw new CliError('IO', `leaf ${leaf.leafIndex} comes after leaf ${last}: not in log order`);
    }
    last = leaf.leafIndex;
    const event = eventOf(leaf);
    const keys = ruleStateKeys(event);
    const withheld = leaf.hiddenDigests.length > 0 || keys.some((key) => tainted.has(key));
    const replay = sortedSet(checkRules(event, state).map((v) => v.rule));
    if (leaf.hiddenDigests.length > 0 || leaf.recordedBy === null) {
      for (const key of keys) tainted.add(key);
    }
    result.events += 1;
    if (result.events % PROGRESS_EVERY === 0) onProgress(result.events);
    if (leaf.rules === null) {
      result.unchecked += 1;
      continue;
    }
    const service = sortedSet(leaf.rules.violations);
    if (sameSet(service, replay)) {
      result.agree += 1;
      continue;
    }
    const finding = { leafIndex: leaf.leafIndex, eventID: leaf.eventID, service, replay };
    const reason =
      leaf.rules.version !== RULE_SET.version
        ? `checked against rule set version ${leaf.rules.version}, this is ${RULE_SET.version}`
        : leaf.recordedBy === null
          ? 'the recorder is not shown'
          : withheld
            ? 'fields this viewer cannot see (here or in an earlier event naming the same items)'
            : undefined;
    if (reason === undefined) result.disagreements.push(finding);
    else result.notCheckable.push({ ...finding, reason });
  }
  result.ok = result.disagreements.length === 0;
  return result;
};

/** Every leaf view of the log at `client`, from GET /log/leaves, in index order. */
async function* httpRulesLeaves(client: LogClient): AsyncGenerator<RulesLeaf> {
  for (let start: number | null = 0; start !== null;) {
    const body = await client.getJson(['log', 'leaves'], { start, end: start + PAGE_SIZE });
    const next: unknown = isRecord(body) ? body.next : undefined;
    if (
      !isRecord(body) ||
      !Array.isArray(body.leaves) ||
      !(next === null || Number.isSafeInteger(next))
    ) {
      throw new CliError('IO', 'GET /log/leaves: the answer is not a page of leaves');
    }
    if (next !== null && (next as number) <= start) {
      throw new CliError(
        'IO',
        `GET /log/leaves: the next page (${next as number}) is not after this one`,
      );
    }
    for (const [i, item] of body.leaves.entries()) {
      yield toLeaf(item, `GET /log/leaves?start=${start}: leaf ${i + 1}`);
    }
    start = next as number | null;
  }
}

const list = (rules: readonly string[]): string => (rules.length === 0 ? 'none' : rules.join(', '));

/** The human-readable report of a replay. */
export const formatRulesResult = (result: RulesCheckResult): string => {
  const lines = [
    `${result.ok ? 'AGREE' : 'DISAGREE'}: ${result.events} events replayed against ${result.ruleSet.name} ${result.ruleSet.version} (${result.ruleSet.hash})`,
    `  same verdict: ${result.agree}; different: ${result.disagreements.length}; not checkable: ${result.notCheckable.length}; not checked by the service: ${result.unchecked}`,
  ];
  const name = (f: RulesFinding) =>
    `leaf ${f.leafIndex}${f.eventID === null ? '' : ` (${f.eventID})`}`;
  for (const f of result.disagreements) {
    lines.push(
      `  DIFFERENT ${name(f)}: service found ${list(f.service)}; replay found ${list(f.replay)}`,
    );
  }
  for (const f of result.notCheckable) {
    lines.push(
      `  not checkable ${name(f)}: service found ${list(f.service)}; replay found ${list(f.replay)}; ${f.reason ?? ''}`,
    );
  }
  return lines.join('\n');
};

const printRuleSet = (io: CliIo): ExitCode => {
  io.out(JSON.stringify({ ...RULE_SET, hash: ruleSetHash(RULE_SET, nodeSha256) }, null, 2));
  return EXIT.OK;
};

export const rulesCommand = async (args: CommandArgs, io: CliIo): Promise<ExitCode> => {
  const [sub, file, extra] = args.positionals;
  if (args.flags.rules === true && (sub === undefined || (sub === 'check' && file === undefined))) {
    return printRuleSet(io);
  }
  if (sub !== 'check') {
    throw new CliError(
      'USAGE',
      sub === undefined
        ? 'rules needs a subcommand: rules check FILE|- or rules check --url URL, or rules --rules'
        : `unknown rules subcommand "${sub}" (see traceroot --help)`,
    );
  }
  if (extra !== undefined) throw new CliError('USAGE', `unexpected argument "${extra}"`);
  const url = typeof args.flags.url === 'string' ? args.flags.url : undefined;
  if ((url === undefined) === (file === undefined)) {
    throw new CliError('USAGE', 'rules check needs one of FILE (or - for stdin) or --url URL');
  }
  let leaves: AsyncIterable<RulesLeaf> | Iterable<RulesLeaf>;
  if (url !== undefined) {
    leaves = httpRulesLeaves(logClient(url, '--url'));
  } else {
    let text: string;
    try {
      text = await io.read(file!);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError('IO', `cannot read ${file === '-' ? 'standard input' : file}: ${reason}`);
    }
    leaves = parseLeafViews(text, file === '-' ? 'standard input' : file!);
  }
  const result = await replayRules(leaves, (events) =>
    io.err(`rules check: ${events} events replayed`),
  );
  io.out(args.flags.json === true ? JSON.stringify(result, null, 2) : formatRulesResult(result));
  return result.ok ? EXIT.OK : EXIT.INVALID;
};
