import { bytesToHex, utf8ToBytes } from '../bytes.js';
import { type Sha256, sha256 } from '../hash.js';

// The published rule set (docs/specs/rules.md): what every captured event is checked against.
// Its hash is over canonicalRuleSet(), so anyone can recompute it from GET /rules.

/** The IDs of the published rules; stable across versions of the rule set. */
export type RuleId =
  | 'custody.current-custodian'
  | 'custody.receipt-matches-shipment'
  | 'custody.no-movement-after-end'
  | 'custody.aggregation-children'
  | 'mass-balance.yield';

export type Rule = { readonly id: RuleId; readonly title: string; readonly description: string };

export type RuleSet = {
  readonly name: string;
  /** Semantic version: a change of any rule's meaning is a new version. */
  readonly version: string;
  readonly rules: readonly Rule[];
};

/** The extension member an event declares its yield in (expanded IRI; the demo's `tr:` namespace). */
export const DECLARED_YIELD_IRI = 'https://ns.traceroot.example/demo/declaredYield';

export const RULE_SET: RuleSet = {
  name: 'traceroot-rules',
  version: '1.0.0',
  rules: [
    {
      id: 'custody.current-custodian',
      title: 'Only the current custodian ships or transforms an item',
      description:
        'A shipping event, a TransformationEvent (its inputs) and an AggregationEvent ADD or DELETE (its children) act on items; the recording organization must be each item’s custodian: the organization that last commissioned or received it (the first event naming an unknown item makes its recorder custodian; a packed item takes its parent’s custodian when the event names the parent and is not checked otherwise).',
    },
    {
      id: 'custody.receipt-matches-shipment',
      title: 'A receipt matches a shipment addressed to the receiver',
      description:
        'A receiving event names only items whose latest shipping event listed, in its destinationList, a party (PGLN) or location (SGLN) whose GLN is the receiver’s; receiving makes the receiver custodian.',
    },
    {
      id: 'custody.no-movement-after-end',
      title: 'Nothing moves after it was decommissioned or destroyed',
      description:
        'After an event decommissions an item (action DELETE, bizStep decommissioning) or destroys it (bizStep destroying or disposition destroyed), no event ships, receives, transports (movement bizSteps), packs (AggregationEvent ADD) or transforms (TransformationEvent input) it.',
    },
    {
      id: 'custody.aggregation-children',
      title: 'Aggregation children exist and are in one parent at a time',
      description:
        'An AggregationEvent ADD names only children an earlier event named, and none that is still in another parent (until an AggregationEvent DELETE naming it removes it).',
    },
    {
      id: 'mass-balance.yield',
      title: 'A transformation’s outputs do not exceed its inputs times the declared yield',
      description: `Per TransformationEvent and per dimension, the output quantities do not exceed the input quantities times the declared yield (extension ${DECLARED_YIELD_IRI}, default 1), units converted by UN/CEFACT Recommendation 20 code (mass, volume); quantities with another or no unit compare only with the same unit; different dimensions are not compared.`,
    },
  ],
};

/**
 * The canonical JSON of a rule set, the bytes its hash is taken over: RFC 8785 (JCS) for this
 * content, i.e. object members sorted by key (UTF-16 code units), no whitespace, strings as
 * JSON.stringify writes them, array order kept.
 */
export const canonicalRuleSet = (ruleSet: RuleSet = RULE_SET): string => canonicalJson(ruleSet);

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
};

/** `sha256:<64 hex>` of the UTF-8 bytes of canonicalRuleSet(ruleSet). */
export const ruleSetHash = (ruleSet: RuleSet = RULE_SET, sha: Sha256 = sha256): string =>
  `sha256:${bytesToHex(sha(utf8ToBytes(canonicalRuleSet(ruleSet))))}`;
