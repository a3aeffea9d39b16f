import { type EventReading, readEvent } from './read-event.js';
import type { RuleId } from './rule-set.js';
import { BASE_UNIT, quantityGroup } from './uom.js';

// The rule engine (docs/specs/rules.md): incremental and deterministic. Events are checked one at
// a time in log order against a state of per-item records; checkRules reads and writes only the
// records of the items the event names (ruleStateKeys), so a service can load and lock exactly
// those and anyone replaying the log in order reaches the same verdicts.

/** An event as the rules see it: the EPCIS event's members (some may be withheld) and its recorder. */
export type RuleEvent = {
  fields: Record<string, unknown>;
  /** The JSON-LD context the event's extension prefixes are defined in (the `@context` pseudo-field). */
  context?: unknown;
  recordedBy: { organizationId: string; gln: string | null };
  leafIndex?: number;
};

export type Violation = { rule: RuleId; message: string; evidence: Record<string, unknown> };

/** Per-key rule state; values are JSON (objects, arrays, strings, numbers, booleans, null). */
export type RuleState = {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
};

/** What the rules remember of one item (key `item:<canonical identifier>`). */
export type ItemState = {
  /** The organization that last commissioned or received it. */
  custodian?: string;
  /** The parent it is packed in (canonical identifier), between AggregationEvent ADD and DELETE. */
  parent?: string;
  /** The event that decommissioned or destroyed it (the first one). */
  ended?: { how: 'decommissioned' | 'destroyed'; eventID: string | null };
  /** Its latest shipping event and the GLNs that event's destinationList names. */
  shipment?: { eventID: string | null; to: string[] };
};

/** bizSteps that move an item (besides packing and transformation). */
export const MOVEMENT_BIZ_STEPS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'shipping',
  'receiving',
  'departing',
  'arriving',
  'loading',
  'unloading',
  'transporting',
  'accepting',
  'staging_outbound',
  'picking',
]);

/** Outputs may exceed inputs × yield by this relative margin (floating-point unit conversion). */
const TOLERANCE = 1e-9;

const itemKey = (item: string): string => `item:${item}`;

const unique = (items: readonly (string | undefined)[]): string[] => [
  ...new Set(items.filter((item): item is string => item !== undefined)),
];

const namedItems = (r: EventReading): string[] =>
  unique([...r.epcs, r.parent, ...r.children, ...r.inputs, ...r.outputs]);

/** Every state key checkRules may read or write for `event`, sorted, without repeats. */
export const ruleStateKeys = (event: RuleEvent): string[] =>
  readOnce(event).named.map(itemKey).sort();

// ruleStateKeys and checkRules of one event read it once (the service calls both).
const readings = /* @__PURE__ */ new WeakMap<
  RuleEvent,
  { fields: object; reading: EventReading; named: string[] }
>();
const readOnce = (event: RuleEvent): { reading: EventReading; named: string[] } => {
  const known = readings.get(event);
  if (known?.fields === event.fields) return known;
  const reading = readEvent(event.fields, event.context);
  const entry = { fields: event.fields, reading, named: namedItems(reading) };
  readings.set(event, entry);
  return entry;
};

const asItemState = (value: unknown): ItemState | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;

/**
 * Checks one event against the rules and updates `state` with its effects. The effects apply
 * whether or not the event breaks a rule (a flagged event is in the log, and replays see it);
 * a caller that refuses the event must discard its state updates (docs/specs/rules.md).
 */
export const checkRules = (event: RuleEvent, state: RuleState): Violation[] => {
  const { reading: r, named } = readOnce(event);
  const { organizationId: org, gln } = event.recordedBy;
  const items = new Map<string, ItemState | undefined>();
  for (const item of named) items.set(item, asItemState(state.get(itemKey(item))));
  const violations: Violation[] = [];
  const isTransformation = r.type === 'TransformationEvent';
  const isAggregation = r.type === 'AggregationEvent';
  // Every item the event is about, except what a transformation makes.
  const subject = unique([...r.epcs, r.parent, ...r.children, ...r.inputs]);

  // custody.current-custodian
  const acted =
    r.bizStep === 'shipping'
      ? subject
      : isTransformation
        ? r.inputs
        : isAggregation && (r.action === 'ADD' || r.action === 'DELETE')
          ? r.children
          : [];
  for (const item of acted) {
    const known = items.get(item);
    if (known === undefined) continue;
    let custodian = known.custodian;
    if (known.parent !== undefined) {
      if (known.parent !== r.parent) continue; // packed in a parent the event does not name
      custodian = items.get(known.parent)?.custodian;
    }
    if (custodian !== undefined && custodian !== org) {
      violations.push({
        rule: 'custody.current-custodian',
        message: `${item} is in the custody of ${custodian}, not of ${org}, which recorded this event`,
        evidence: { item, custodian, recordedBy: org },
      });
    }
  }

  // custody.receipt-matches-shipment
  if (r.bizStep === 'receiving') {
    for (const item of subject) {
      const shipment = items.get(item)?.shipment;
      if (gln !== null && shipment?.to.includes(gln)) continue;
      violations.push({
        rule: 'custody.receipt-matches-shipment',
        message:
          shipment === undefined
            ? `${item} is received but no shipping event of it precedes`
            : `${item} is received by GLN ${gln ?? '(none)'} but its latest shipment is addressed to ${shipment.to.join(', ') || 'no GLN'}`,
        evidence: {
          item,
          receiverGln: gln,
          shipment: shipment?.eventID ?? null,
          addressedTo: shipment?.to ?? [],
        },
      });
    }
  }

  // custody.no-movement-after-end
  const moved =
    r.bizStep !== undefined && MOVEMENT_BIZ_STEPS.has(r.bizStep)
      ? subject
      : isTransformation
        ? r.inputs
        : isAggregation && r.action === 'ADD'
          ? unique([r.parent, ...r.children])
          : [];
  for (const item of moved) {
    const ended = items.get(item)?.ended;
    if (ended === undefined) continue;
    violations.push({
      rule: 'custody.no-movement-after-end',
      message: `${item} moves after it was ${ended.how}`,
      evidence: { item, ended: ended.how, endedBy: ended.eventID, bizStep: r.bizStep ?? null },
    });
  }

  // custody.aggregation-children
  if (isAggregation && r.action === 'ADD') {
    for (const child of r.children) {
      const known = items.get(child);
      if (known === undefined) {
        violations.push({
          rule: 'custody.aggregation-children',
          message: `child ${child} is packed but no earlier event names it`,
          evidence: { child, parent: r.parent ?? null, reason: 'unknown' },
        });
      } else if (
        known.parent !== undefined &&
        known.parent !== r.parent &&
        r.childInstances.includes(child)
      ) {
        violations.push({
          rule: 'custody.aggregation-children',
          message: `child ${child} is packed into ${r.parent ?? '(no parent)'} while still in ${known.parent}`,
          evidence: {
            child,
            parent: r.parent ?? null,
            reason: 'in-another-parent',
            in: known.parent,
          },
        });
      }
    }
  }

  // mass-balance.yield
  if (isTransformation) violations.push(...massBalance(r));

  applyEffects(r, org, subject, items, state);
  return violations;
};

const applyEffects = (
  r: EventReading,
  org: string,
  subject: readonly string[],
  before: ReadonlyMap<string, ItemState | undefined>,
  state: RuleState,
): void => {
  const after = new Map<string, ItemState>();
  const update = (item: string, change: (s: ItemState) => ItemState): void => {
    const current = after.get(item) ?? before.get(item) ?? {};
    after.set(item, change(current));
  };
  // The first event naming an unknown item makes its recorder custodian.
  for (const [item, known] of before) if (known === undefined) after.set(item, { custodian: org });
  const commissions =
    r.type === 'ObjectEvent' &&
    r.action === 'ADD' &&
    (r.bizStep === undefined || r.bizStep === 'commissioning');
  const made = [
    ...(commissions ? r.epcs : []),
    ...(r.type === 'TransformationEvent' ? r.outputs : []),
  ];
  for (const item of made) update(item, (s) => ({ ...s, custodian: org }));
  if (r.bizStep === 'receiving') {
    for (const item of subject) update(item, (s) => ({ ...s, custodian: org }));
  }
  if (r.bizStep === 'shipping') {
    const shipment = { eventID: r.eventID, to: r.destinationGlns };
    for (const item of subject) update(item, (s) => ({ ...s, shipment }));
  }
  if (r.type === 'AggregationEvent' && r.parent !== undefined) {
    const parent = r.parent;
    if (r.action === 'ADD') {
      for (const child of r.childInstances) update(child, (s) => ({ ...s, parent }));
    } else if (r.action === 'DELETE') {
      const holder = (after.get(parent) ?? before.get(parent))?.custodian;
      for (const child of r.children) {
        update(child, (s) => {
          if (s.parent !== parent) return s;
          const rest = { ...s };
          delete rest.parent;
          return holder === undefined ? rest : { ...rest, custodian: holder };
        });
      }
    }
  }
  const decommissioned = r.action === 'DELETE' && r.bizStep === 'decommissioning';
  if (decommissioned || r.bizStep === 'destroying' || r.disposition === 'destroyed') {
    const ended = {
      how: decommissioned ? 'decommissioned' : 'destroyed',
      eventID: r.eventID,
    } as const;
    for (const item of subject) update(item, (s) => (s.ended ? s : { ...s, ended }));
  }
  for (const [item, value] of after) state.set(itemKey(item), value);
};

const parseYield = (declared: unknown): number | undefined => {
  const value =
    typeof declared === 'string' && declared.trim() !== '' ? Number(declared) : declared;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
};

const sums = (quantities: EventReading['inputQuantities']): Map<string, number> => {
  const totals = new Map<string, number>();
  for (const { quantity, uom } of quantities) {
    if (!Number.isFinite(quantity)) continue;
    const { group, amount } = quantityGroup(quantity, uom);
    totals.set(group, (totals.get(group) ?? 0) + amount);
  }
  return totals;
};

const unitOf = (group: string): string =>
  group === 'mass' || group === 'volume'
    ? BASE_UNIT[group]
    : group.slice('uom:'.length) || '(none)';

const massBalance = (r: EventReading): Violation[] => {
  const declared = parseYield(r.declaredYield);
  const factor = declared ?? 1;
  const inputs = sums(r.inputQuantities);
  const outputs = sums(r.outputQuantities);
  const notCompared = [...outputs.keys()].filter((group) => !inputs.has(group)).map(unitOf);
  const violations: Violation[] = [];
  for (const [group, output] of outputs) {
    const input = inputs.get(group);
    if (input === undefined) continue;
    const maximum = input * factor;
    if (output <= maximum * (1 + TOLERANCE)) continue;
    const unit = unitOf(group);
    violations.push({
      rule: 'mass-balance.yield',
      message: `outputs of ${output} ${unit} exceed inputs of ${input} ${unit} × yield ${factor} = ${maximum} ${unit}`,
      evidence: {
        unit,
        inputs: input,
        outputs: output,
        declaredYield: factor,
        yieldDeclared: declared !== undefined,
        ...(r.declaredYield !== undefined && declared === undefined
          ? { invalidDeclaredYield: r.declaredYield }
          : {}),
        maximum,
        notCompared,
      },
    });
  }
  return violations;
};

/** A RuleState over a Map (the CLI's replay; tests). */
export const memoryRuleState = (
  map: Map<string, unknown> = new Map(),
): RuleState & {
  readonly map: Map<string, unknown>;
} => ({
  map,
  get: (key) => map.get(key),
  set: (key, value) => {
    map.set(key, value);
  },
});
