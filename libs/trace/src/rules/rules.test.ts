import { describe, expect, it } from '@jest/globals';

import {
  canonicalRuleSet,
  checkRules,
  DECLARED_YIELD_IRI,
  generateViolationChain,
  memoryRuleState,
  RULE_SET,
  type RuleEvent,
  type RuleState,
  ruleSetHash,
  ruleStateKeys,
} from '../index.js';
import { canonicalIdentifier, cbvWord, glnOf } from './read-event.js';
import { quantityGroup } from './uom.js';

const A = { organizationId: 'org-a', gln: '9520123000004' };
const B = { organizationId: 'org-b', gln: '9520124000003' };
const C = { organizationId: 'org-c', gln: null };

// GS1 keys with valid check digits, named both ways.
const ITEM = 'urn:epc:id:sgtin:9520123.011111.1';
const ITEM_DL = 'https://example.com/p/01/09520123111113/21/1';
const ITEM2 = 'urn:epc:id:sgtin:9520123.011111.2';
const CASE = 'urn:epc:id:sscc:9520123.0000000001';
const CASE2 = 'urn:epc:id:sscc:9520123.0000000002';
const LEAF = 'urn:epc:class:lgtin:9520123.011111.L1';
const CAKE = 'urn:epc:class:lgtin:9520123.022222.C1';
const B_PARTY = 'urn:epc:id:pgln:9520124.00000';
const B_PLACE_DL = 'https://id.gs1.org/414/9520124000003';

const event = (
  by: RuleEvent['recordedBy'],
  fields: Record<string, unknown>,
  context?: unknown,
): RuleEvent => ({
  fields,
  recordedBy: by,
  ...(context === undefined ? {} : { context }),
});
const commission = (by = A, epcList = [ITEM, ITEM2]) =>
  event(by, { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', epcList });
const ship = (by: RuleEvent['recordedBy'], epcList: string[], destination = B_PARTY) =>
  event(by, {
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
    epcList,
    destinationList: [{ type: 'owning_party', destination }],
  });
const receive = (by: RuleEvent['recordedBy'], epcList: string[]) =>
  event(by, {
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-receiving',
    epcList,
  });
const pack = (by: RuleEvent['recordedBy'], parentID: string, childEPCs: string[], action = 'ADD') =>
  event(by, { type: 'AggregationEvent', action, bizStep: 'packing', parentID, childEPCs });

/** Runs events in order on one state; returns each event's rule IDs. */
const run = (events: RuleEvent[], state: RuleState = memoryRuleState()): string[][] =>
  events.map((e) => checkRules(e, state).map((v) => v.rule));

describe('the rule set', () => {
  it('publishes the five rules, versioned, with a stable hash over canonical JSON', () => {
    expect(RULE_SET.rules.map((r) => r.id)).toEqual([
      'custody.current-custodian',
      'custody.receipt-matches-shipment',
      'custody.no-movement-after-end',
      'custody.aggregation-children',
      'mass-balance.yield',
    ]);
    const canonical = canonicalRuleSet();
    expect(canonical.startsWith('{"name":"traceroot-rules","rules":[{"description":')).toBe(true);
    expect(canonical).not.toMatch(/\n/);
    expect(ruleSetHash()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ruleSetHash()).toBe(ruleSetHash({ ...RULE_SET, rules: [...RULE_SET.rules] }));
  });

  it('changes its hash when a rule or the version changes', () => {
    const [first, ...rest] = RULE_SET.rules;
    const changed = { ...RULE_SET, rules: [{ ...first!, description: 'other' }, ...rest] };
    expect(ruleSetHash(changed)).not.toBe(ruleSetHash());
    expect(ruleSetHash({ ...RULE_SET, version: '1.0.1' })).not.toBe(ruleSetHash());
  });
});

describe('reading events', () => {
  it('gives an item one key whether named as an EPC URI or a Digital Link on any host', () => {
    expect(canonicalIdentifier(ITEM)).toBe('https://id.gs1.org/01/09520123111113/21/1');
    expect(canonicalIdentifier(ITEM_DL)).toBe(canonicalIdentifier(ITEM));
    expect(canonicalIdentifier(' urn:example:private ')).toBe('urn:example:private');
    expect(ruleStateKeys(commission(A, [ITEM, ITEM_DL]))).toEqual([
      'item:https://id.gs1.org/01/09520123111113/21/1',
    ]);
  });

  it('reads CBV words in every form and GLNs of parties and locations', () => {
    for (const form of [
      'shipping',
      'https://ref.gs1.org/cbv/BizStep-shipping',
      'urn:epcglobal:cbv:bizstep:shipping',
      'cbv:BizStep-shipping',
    ]) {
      expect(cbvWord('bizStep', form)).toBe('shipping');
    }
    expect(cbvWord('disposition', 'urn:epcglobal:cbv:disp:destroyed')).toBe('destroyed');
    expect(cbvWord('bizStep', 'https://example.com/steps/x')).toBe('https://example.com/steps/x');
    expect(cbvWord('bizStep', 7)).toBeUndefined();
    expect(glnOf(B_PARTY)).toBe(B.gln);
    expect(glnOf('urn:epc:id:sgln:9520124.00000.7')).toBe(B.gln);
    expect(glnOf(B_PLACE_DL)).toBe(B.gln);
    expect(glnOf(ITEM)).toBeNull();
    expect(glnOf('nonsense')).toBeNull();
  });
});

describe('custody.current-custodian', () => {
  it('lets the custodian ship, and flags another organization', () => {
    expect(run([commission(), ship(A, [ITEM_DL]), ship(B, [ITEM])])).toEqual([
      [],
      [],
      ['custody.current-custodian'],
    ]);
  });

  it('moves custody on receipt, and makes the first recorder of an unknown item custodian', () => {
    expect(
      run([commission(), ship(A, [ITEM]), receive(B, [ITEM]), ship(B, [ITEM]), ship(A, [ITEM])]),
    ).toEqual([[], [], [], [], ['custody.current-custodian']]);
    expect(run([ship(B, [ITEM]), ship(B, [ITEM])])).toEqual([[], []]);
  });

  it('checks transformation inputs and aggregation children, and gives outputs to their maker', () => {
    const transform = (by: RuleEvent['recordedBy'], input: string, output: string) =>
      event(by, {
        type: 'TransformationEvent',
        inputEPCList: [input],
        outputQuantityList: [{ epcClass: output, quantity: 1 }],
      });
    expect(
      run([
        commission(),
        transform(B, ITEM, CAKE),
        transform(A, ITEM2, LEAF),
        ship(A, [LEAF]),
        pack(B, CASE, [ITEM2]),
      ]),
    ).toEqual([[], ['custody.current-custodian'], [], [], ['custody.current-custodian']]);
  });

  it('gives packed items their parent’s custodian when the event names the parent, and skips them otherwise', () => {
    const events = [
      commission(),
      pack(A, CASE, [ITEM, ITEM2]),
      ship(A, [CASE]),
      receive(B, [CASE]),
      ship(B, [ITEM]), // packed in CASE, which this event does not name: not checked
      pack(B, CASE, [ITEM, ITEM2], 'DELETE'), // B holds CASE, so its children
      ship(B, [ITEM2]),
      ship(A, [ITEM2]),
    ];
    expect(run(events)).toEqual([[], [], [], [], [], [], [], ['custody.current-custodian']]);
  });
});

describe('custody.receipt-matches-shipment', () => {
  it('accepts a receipt of a shipment addressed to the receiver by party or location GLN', () => {
    expect(run([commission(), ship(A, [ITEM]), receive(B, [ITEM_DL])])).toEqual([[], [], []]);
    expect(run([commission(), ship(A, [ITEM], B_PLACE_DL), receive(B, [ITEM])])).toEqual([
      [],
      [],
      [],
    ]);
  });

  it('flags a receipt with no shipment, one addressed elsewhere, or a receiver without a GLN', () => {
    const state = memoryRuleState();
    expect(run([commission(), receive(B, [ITEM])], state)).toEqual([
      [],
      ['custody.receipt-matches-shipment'],
    ]);
    const evidence = (e: RuleEvent) =>
      checkRules(e, memoryRuleState(new Map(state.map))).map((v) => v.evidence);
    expect(
      run([commission(), ship(A, [ITEM], 'urn:epc:id:pgln:9520125.00000'), receive(B, [ITEM])]),
    ).toEqual([[], [], ['custody.receipt-matches-shipment']]);
    expect(run([commission(), ship(A, [ITEM]), receive(C, [ITEM])])).toEqual([
      [],
      [],
      ['custody.receipt-matches-shipment'],
    ]);
    expect(evidence(receive(A, [ITEM2]))).toEqual([
      { item: canonicalIdentifier(ITEM2), receiverGln: A.gln, shipment: null, addressedTo: [] },
    ]);
  });
});

describe('custody.no-movement-after-end', () => {
  const decommission = (by = A, epcList = [ITEM]) =>
    event(by, { type: 'ObjectEvent', action: 'DELETE', bizStep: 'decommissioning', epcList });
  const destroy = (by = A, epcList = [ITEM]) =>
    event(by, {
      type: 'ObjectEvent',
      action: 'OBSERVE',
      disposition: 'urn:epcglobal:cbv:disp:destroyed',
      epcList,
    });

  it('flags shipping, receiving, transport, packing and transforming after the end', () => {
    const after = [
      ship(A, [ITEM]),
      event(A, { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'departing', epcList: [ITEM] }),
      pack(A, CASE, [ITEM]),
      event(A, { type: 'TransformationEvent', inputEPCList: [ITEM], outputEPCList: [ITEM2] }),
    ];
    for (const end of [
      decommission(),
      destroy(),
      event(A, { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'destroying', epcList: [ITEM] }),
    ]) {
      for (const moving of after) {
        expect(run([commission(), end, moving])).toEqual([
          [],
          [],
          ['custody.no-movement-after-end'],
        ]);
      }
    }
  });

  it('lets an item be observed (not moved) after its end, and lets it move before', () => {
    const observe = event(A, {
      type: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'inspecting',
      epcList: [ITEM],
    });
    expect(run([commission(), ship(A, [ITEM]), decommission(), observe])).toEqual([[], [], [], []]);
    // A DELETE that is not decommissioning does not end the item.
    const deleted = event(A, {
      type: 'ObjectEvent',
      action: 'DELETE',
      bizStep: 'other',
      epcList: [ITEM],
    });
    expect(run([commission(), deleted, ship(A, [ITEM])])).toEqual([[], [], []]);
  });
});

describe('custody.aggregation-children', () => {
  it('flags unknown children and children still in another parent', () => {
    expect(run([pack(A, CASE, [ITEM])])).toEqual([['custody.aggregation-children']]);
    expect(run([commission(), pack(A, CASE, [ITEM]), pack(A, CASE2, [ITEM])])).toEqual([
      [],
      [],
      ['custody.aggregation-children'],
    ]);
  });

  it('accepts repacking into the same parent, and into another once removed', () => {
    expect(
      run([
        commission(),
        pack(A, CASE, [ITEM]),
        pack(A, CASE, [ITEM]),
        pack(A, CASE, [ITEM], 'DELETE'),
        pack(A, CASE2, [ITEM]),
      ]),
    ).toEqual([[], [], [], [], []]);
  });

  it('lets a lot (a class) be split over several parents', () => {
    const packLot = (parentID: string) =>
      event(A, {
        type: 'AggregationEvent',
        action: 'ADD',
        parentID,
        childQuantityList: [{ epcClass: LEAF, quantity: 5, uom: 'KGM' }],
      });
    const commissionLot = event(A, {
      type: 'ObjectEvent',
      action: 'ADD',
      quantityList: [{ epcClass: LEAF, quantity: 10, uom: 'KGM' }],
    });
    expect(run([commissionLot, packLot(CASE), packLot(CASE2)])).toEqual([[], [], []]);
  });
});

describe('mass-balance.yield', () => {
  const CONTEXT = [
    'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
    { tr: DECLARED_YIELD_IRI.slice(0, -'declaredYield'.length) },
  ];
  const transform = (
    inputs: unknown[],
    outputs: unknown[],
    extra: Record<string, unknown> = {},
    context?: unknown,
  ) =>
    event(
      A,
      {
        type: 'TransformationEvent',
        inputQuantityList: inputs,
        outputQuantityList: outputs,
        ...extra,
      },
      context,
    );
  const kg = (quantity: number, uom: string | null = 'KGM', epcClass = LEAF) => ({
    epcClass,
    quantity,
    ...(uom ? { uom } : {}),
  });
  const verdict = (e: RuleEvent) => checkRules(e, memoryRuleState());

  it('passes the Pu’er pressing: 1,200 kg in, 300 kg out, declared yield 25 % (tr: prefix)', () => {
    const pressing = transform(
      [kg(400), kg(400), kg(400)],
      [kg(300, 'KGM', CAKE)],
      { 'tr:declaredYield': 0.25 },
      CONTEXT,
    );
    expect(verdict(pressing)).toEqual([]);
    expect(
      verdict(transform([kg(1200)], [kg(301, 'KGM', CAKE)], { 'tr:declaredYield': 0.25 }, CONTEXT)),
    ).toHaveLength(1);
  });

  it('reads the yield by its expanded IRI only, and defaults to 1', () => {
    expect(verdict(transform([kg(10)], [kg(10)]))).toEqual([]);
    expect(verdict(transform([kg(10)], [kg(10.5)]))).toHaveLength(1);
    expect(verdict(transform([kg(10)], [kg(3)], { [DECLARED_YIELD_IRI]: '0.3' }))).toEqual([]);
    // Without its context, `tr:` is not the demo's namespace: the yield is 1.
    expect(verdict(transform([kg(10)], [kg(3)], { 'tr:declaredYield': 0.2 }))).toEqual([]);
    const [invalid] = verdict(transform([kg(10)], [kg(11)], { [DECLARED_YIELD_IRI]: 'lots' }));
    expect(invalid?.evidence).toMatchObject({
      declaredYield: 1,
      yieldDeclared: false,
      invalidDeclaredYield: 'lots',
    });
  });

  it('converts units within a dimension and compares other codes only with themselves', () => {
    expect(
      verdict(transform([kg(1, 'TNE')], [kg(900_000, 'GRM')], { [DECLARED_YIELD_IRI]: 0.9 })),
    ).toEqual([]);
    expect(verdict(transform([kg(1, 'LBR')], [kg(16, 'ONZ')]))).toEqual([]);
    expect(verdict(transform([kg(1, 'LBR')], [kg(454, 'GRM')]))).toHaveLength(1);
    expect(verdict(transform([kg(1, 'GLL')], [kg(3785, 'MLT')]))).toEqual([]);
    expect(verdict(transform([kg(1, 'MTQ')], [kg(1001, 'LTR')]))).toHaveLength(1);
    expect(verdict(transform([kg(5, 'XYZ')], [kg(6, 'XYZ')]))).toHaveLength(1);
    expect(verdict(transform([kg(5, null)], [kg(5, null)]))).toEqual([]);
    const [violation] = verdict(
      transform([kg(2, 'LTR'), kg(1, 'KGM')], [kg(2500, 'MLT'), kg(10, null), kg(1, 'MGM')]),
    );
    expect(violation).toMatchObject({
      rule: 'mass-balance.yield',
      evidence: { unit: 'LTR', inputs: 2, outputs: 2.5, maximum: 2, notCompared: ['(none)'] },
    });
  });

  it('converts every Rec 20 code to its base unit', () => {
    expect(quantityGroup(2, 'MGM')).toEqual({ group: 'mass', amount: 2e-6 });
    expect(quantityGroup(2, 'ONZ')).toEqual({ group: 'mass', amount: 0.05669904625 });
    expect(quantityGroup(2, 'constructor')).toEqual({ group: 'uom:constructor', amount: 2 });
    expect(quantityGroup(2, undefined)).toEqual({ group: 'uom:', amount: 2 });
  });

  it('does not compare different dimensions, nor malformed quantities', () => {
    expect(verdict(transform([kg(1, 'KGM')], [kg(5, 'LTR')]))).toEqual([]);
    expect(
      verdict(transform([{ epcClass: LEAF, quantity: 'many', uom: 'KGM' }, 'x'], [kg(5, 'KGM')])),
    ).toEqual([]);
  });
});

describe('state', () => {
  it('is JSON and only touches the keys ruleStateKeys names', () => {
    const state = memoryRuleState();
    const touched = new Set<string>();
    const spy: RuleState = {
      get: (key) => (touched.add(key), state.get(key)),
      set: (key, value) => (touched.add(key), state.set(key, value)),
    };
    const events = [
      commission(),
      pack(A, CASE, [ITEM, ITEM2]),
      ship(A, [CASE]),
      receive(B, [CASE]),
      pack(B, CASE, [ITEM], 'DELETE'),
    ];
    for (const e of events) {
      touched.clear();
      checkRules(e, spy);
      expect([...touched].sort()).toEqual(ruleStateKeys(e));
    }
    expect(JSON.parse(JSON.stringify(Object.fromEntries(state.map)))).toEqual(
      Object.fromEntries(state.map),
    );
  });

  it('reads an event again when its fields are replaced', () => {
    const e = commission(A, [ITEM]);
    expect(ruleStateKeys(e)).toEqual([`item:${canonicalIdentifier(ITEM)}`]);
    e.fields = { ...e.fields, epcList: [ITEM2] };
    expect(ruleStateKeys(e)).toEqual([`item:${canonicalIdentifier(ITEM2)}`]);
  });

  it('ignores malformed members rather than throwing', () => {
    const weird = event(A, {
      type: 'AggregationEvent',
      action: 'ADD',
      parentID: 5,
      childEPCs: 'x',
      epcList: [null, ''],
      destinationList: [null, { destination: 1 }],
    });
    expect(checkRules(weird, memoryRuleState())).toEqual([]);
    expect(checkRules(event(A, {}, { bad: 5 }), memoryRuleState())).toEqual([]);
  });
});

describe('the generated chain with deliberate violations', () => {
  it.each([1, 2, 3, 42])(
    'flags exactly the marked events with exactly their rules (seed %i)',
    (seed) => {
      const chain = generateViolationChain({ seed, lines: 9 });
      const state = memoryRuleState();
      const found = chain.events.map((e) =>
        [...new Set(checkRules(e, state).map((v) => v.rule))].sort(),
      );
      expect(found).toEqual(chain.expected);
      const marked = new Set(chain.expected.flat());
      expect(marked).toEqual(new Set(RULE_SET.rules.map((r) => r.id)));
    },
  );

  it('gives the same verdicts when the violating events were refused (never applied)', () => {
    const chain = generateViolationChain({ seed: 7 });
    const state = memoryRuleState();
    chain.events.forEach((e, i) => {
      const scratch = memoryRuleState(new Map(state.map));
      const rules = [...new Set(checkRules(e, scratch).map((v) => v.rule))].sort();
      expect(rules).toEqual(chain.expected[i]);
      if (rules.length === 0) for (const [k, v] of scratch.map) state.set(k, v);
    });
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateViolationChain({ seed: 5 })).toEqual(generateViolationChain({ seed: 5 }));
    expect(generateViolationChain({ seed: 5 }).events).not.toEqual(
      generateViolationChain({ seed: 6 }).events,
    );
    expect(() => generateViolationChain({ organizations: 3 })).toThrow(RangeError);
  });
});
