import { appendCheckDigit } from '../../gs1/check-digit.js';
import { epcUriToDigitalLink } from '../../gs1/epc-digital-link.js';
import type { RuleEvent } from '../engine.js';
import { DECLARED_YIELD_IRI, type RuleId } from '../rule-set.js';

// A generated supply chain with deliberate violations of every published rule, for tests of the
// engine, the service and `traceroot rules check` (issue 6 §5). Deterministic for a seed: the
// same seed gives the same events. Each line of the chain is one product's journey between
// three organizations (A commissions, packs and ships to B; B receives, unpacks, transforms and
// ships to C; C receives, decommissions and destroys), with valid GS1 keys named as EPC URIs or
// Digital Links on several hosts and CBV words in both EPCIS 2.0 forms. The injected violations come after
// their line's faithful events and touch nothing a later event depends on, so every expected
// verdict holds whether the violating events were stored (flag) or refused (enforce).

export type ChainOrganization = {
  organizationId: string;
  name: string;
  /** Its GLN (13 digits), also its party GLN (PGLN) and the GLN of its receiving location. */
  gln: string;
  companyPrefix: string;
};

export type ViolationChain = {
  organizations: ChainOrganization[];
  /** The JSON-LD context of every event (the EPCIS context and the `tr:` namespace). */
  context: unknown;
  /** In log order; `fields` is a complete EPCIS 2.0 event (no eventID). */
  events: RuleEvent[];
  /** Per event, the rule IDs it breaks (sorted; empty for a faithful event). */
  expected: RuleId[][];
};

export type ViolationChainOptions = {
  seed?: number;
  /** Product journeys, interleaved (default 7: every kind of violation at least once). */
  lines?: number;
  /** Organizations to draw the parties from (default 5, at least 4). */
  organizations?: number;
};

export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const CHAIN_CONTEXT = [EPCIS_CONTEXT_URL, { tr: DECLARED_YIELD_IRI.replace(/declaredYield$/, '') }];

/** mulberry32: a small deterministic PRNG, [0, 1). */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Draft = { by: ChainOrganization; fields: Record<string, unknown>; expected: RuleId[] };

const BASES = ['https://id.gs1.org', 'https://dl.example.org/gs1', 'http://brand.example.com'];

/** The generated chain for `options` (see the file comment). */
export const generateViolationChain = (options: ViolationChainOptions = {}): ViolationChain => {
  const { seed = 1, lines = 7, organizations: orgCount = 5 } = options;
  if (orgCount < 4) throw new RangeError('a violation chain needs at least 4 organizations');
  const random = prng(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const organizations: ChainOrganization[] = Array.from({ length: orgCount }, (_, i) => {
    const companyPrefix = `95201${String(20 + i).padStart(2, '0')}`;
    return {
      organizationId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      name: `Chain party ${i + 1}`,
      gln: appendCheckDigit(`${companyPrefix}00000`),
      companyPrefix,
    };
  });
  // An identifier in one of its forms: the EPC URI or its Digital Link on some host.
  const named = (urn: string): string => {
    const form = Math.floor(random() * (BASES.length + 1));
    return form === BASES.length ? urn : epcUriToDigitalLink(urn, BASES[form]);
  };
  // CBV words as EPCIS 2.0 JSON writes them: short names or web URIs (capture refuses the
  // EPCIS 1.x URNs, which the engine also reads).
  const word = (kind: 'bizstep' | 'disp', short: string): string =>
    pick([short, `https://ref.gs1.org/cbv/${kind === 'bizstep' ? 'BizStep' : 'Disp'}-${short}`]);
  const pgln = (o: ChainOrganization) => `urn:epc:id:pgln:${o.companyPrefix}.00000`;
  const sgln = (o: ChainOrganization, ref: string) => `urn:epc:id:sgln:${o.companyPrefix}.${ref}.0`;
  const readPoint = (o: ChainOrganization) => ({ id: sgln(o, '00001') });
  const addressedTo = (o: ChainOrganization) => {
    const all = [
      { type: 'owning_party', destination: named(pgln(o)) },
      { type: 'possessing_party', destination: named(pgln(o)) },
      { type: 'location', destination: named(sgln(o, '00000')) },
    ];
    const kept = all.filter(() => random() < 0.6);
    return kept.length > 0 ? kept : [pick(all)];
  };

  const lineDrafts = Array.from({ length: lines }, (_, line) => {
    const parties = [...organizations];
    for (let i = parties.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [parties[i], parties[j]] = [parties[j]!, parties[i]!];
    }
    const [a, b, c, x] = parties as [
      ChainOrganization,
      ChainOrganization,
      ChainOrganization,
      ChainOrganization,
    ];
    const itemRef = (k: number) => `0${String(10000 + ((line * 7 + k) % 90000))}`;
    const sgtin = (n: number) => `urn:epc:id:sgtin:${a.companyPrefix}.${itemRef(0)}.S${line}-${n}`;
    const lgtin = (k: number, lot: string) =>
      `urn:epc:class:lgtin:${a.companyPrefix}.${itemRef(k)}.${lot}`;
    const sscc = (n: number) =>
      `urn:epc:id:sscc:${a.companyPrefix}.0${String(line * 10 + n).padStart(9, '0')}`;
    const s = (n: number) => named(sgtin(n));
    const raw = lgtin(1, `R${line}`);
    const product = lgtin(2, `P${line}`);
    const q = (item: string, quantity: number, uom?: string) => ({
      epcClass: named(item),
      quantity,
      ...(uom === undefined ? {} : { uom }),
    });
    const [rawQuantity, rawUom, rawKg] = pick([
      [1200, 'KGM', 1200],
      [1.2, 'TNE', 1200],
      [1_200_000, 'GRM', 1200],
    ] as const);
    const event = (
      type: string,
      by: ChainOrganization,
      fields: Record<string, unknown>,
      expected: RuleId[] = [],
    ): Draft => ({
      by,
      fields: { type, ...fields, readPoint: readPoint(by) },
      expected,
    });
    const object = (
      by: ChainOrganization,
      fields: Record<string, unknown>,
      expected: RuleId[] = [],
    ): Draft => event('ObjectEvent', by, fields, expected);
    const ship = (
      by: ChainOrganization,
      to: ChainOrganization,
      what: Record<string, unknown>,
      expected: RuleId[] = [],
    ) =>
      object(
        by,
        {
          ...what,
          action: 'OBSERVE',
          bizStep: word('bizstep', 'shipping'),
          disposition: word('disp', 'in_transit'),
          destinationList: addressedTo(to),
        },
        expected,
      );
    const receive = (
      by: ChainOrganization,
      what: Record<string, unknown>,
      expected: RuleId[] = [],
    ) =>
      object(
        by,
        {
          ...what,
          action: 'OBSERVE',
          bizStep: word('bizstep', 'receiving'),
          disposition: word('disp', 'in_progress'),
          bizLocation: { id: sgln(by, '00000') },
        },
        expected,
      );
    const transform = (
      by: ChainOrganization,
      input: Record<string, unknown>[],
      output: Record<string, unknown>[],
      yieldValue: number | undefined,
      expected: RuleId[] = [],
    ) =>
      event(
        'TransformationEvent',
        by,
        {
          inputQuantityList: input,
          outputQuantityList: output,
          bizStep: word('bizstep', 'commissioning'),
          disposition: word('disp', 'active'),
          ...(yieldValue === undefined
            ? {}
            : { [pick(['tr:declaredYield', DECLARED_YIELD_IRI])]: yieldValue }),
        },
        expected,
      );
    const pack = (
      by: ChainOrganization,
      parent: string,
      children: string[],
      action: 'ADD' | 'DELETE',
      expected: RuleId[] = [],
    ) =>
      event(
        'AggregationEvent',
        by,
        {
          parentID: named(parent),
          childEPCs: children,
          action,
          bizStep: word('bizstep', action === 'ADD' ? 'packing' : 'unpacking'),
          disposition: word('disp', 'in_progress'),
        },
        expected,
      );

    const declared = random() < 0.5 ? 0.25 : undefined;
    const productGrams = Math.round(rawKg * (declared ?? 1) * 1000 * (0.5 + random() / 2));
    const productLot = q(product, productGrams, 'GRM');
    const faithful: Draft[] = [
      object(a, {
        action: 'ADD',
        bizStep: word('bizstep', 'commissioning'),
        disposition: word('disp', 'active'),
        epcList: [1, 2, 3, 4, 5, 6].map(s),
        quantityList: [q(raw, rawQuantity, rawUom)],
      }),
      pack(a, sscc(1), [1, 2, 3, 4].map(s), 'ADD'),
      pack(a, sscc(2), [5, 6].map(s), 'ADD'),
      ship(a, b, { epcList: [named(sscc(1))], quantityList: [q(raw, rawQuantity, rawUom)] }),
      receive(b, { epcList: [named(sscc(1))], quantityList: [q(raw, rawQuantity, rawUom)] }),
      pack(b, sscc(1), [1, 2, 3, 4].map(s), 'DELETE'),
      transform(b, [q(raw, rawQuantity, rawUom)], [productLot], declared),
      ship(b, c, { epcList: [s(1), s(2)], quantityList: [productLot] }),
      receive(c, { epcList: [s(1), s(2)], quantityList: [productLot] }),
      object(c, { action: 'DELETE', bizStep: word('bizstep', 'decommissioning'), epcList: [s(1)] }),
      object(c, {
        action: 'OBSERVE',
        bizStep: word('bizstep', 'destroying'),
        disposition: word('disp', 'destroyed'),
        epcList: [s(2)],
      }),
    ];
    const kinds: (() => Draft)[] = [
      // custody.current-custodian: an outsider ships an item B holds (B unpacked it).
      () => ship(x, x, { epcList: [s(3)] }, ['custody.current-custodian']),
      // custody.current-custodian: an outsider transforms B's raw lot (balanced).
      () =>
        transform(x, [q(raw, 10, 'KGM')], [q(lgtin(3, `X${line}`), 5, 'KGM')], undefined, [
          'custody.current-custodian',
        ]),
      // custody.receipt-matches-shipment: s4 was never shipped on its own (only in its case).
      () => receive(x, { epcList: [s(4)] }, ['custody.receipt-matches-shipment']),
      // custody.no-movement-after-end: s1 was decommissioned, s2 destroyed.
      () =>
        random() < 0.5
          ? ship(c, x, { epcList: [s(1)] }, ['custody.no-movement-after-end'])
          : receive(c, { epcList: [s(2)] }, ['custody.no-movement-after-end']),
      // custody.aggregation-children: an unknown child, or one still in its case.
      () =>
        random() < 0.5
          ? pack(c, sscc(3), [named(sgtin(9))], 'ADD', ['custody.aggregation-children'])
          : pack(a, sscc(4), [s(5)], 'ADD', ['custody.aggregation-children']),
      // mass-balance.yield: 1 lb in, 1 kg out; or 2 L in, 2.5 L (as mL) out beside an uncompared count.
      () =>
        random() < 0.5
          ? transform(c, [q(product, 1, 'LBR')], [q(lgtin(4, `Q${line}`), 1, 'KGM')], undefined, [
              'mass-balance.yield',
            ])
          : transform(
              c,
              [q(product, 2, 'LTR')],
              [q(lgtin(4, `Q${line}`), 2500, 'MLT'), q(lgtin(5, `C${line}`), 10)],
              undefined,
              ['mass-balance.yield'],
            ),
      // Both: an outsider transforms C's lot and makes a tonne into two.
      () =>
        transform(x, [q(product, 1, 'TNE')], [q(lgtin(6, `Z${line}`), 2000, 'KGM')], 0.9, [
          'custody.current-custodian',
          'mass-balance.yield',
        ]),
    ];
    const injected = kinds
      .filter((_, k) => k === line % kinds.length || random() < 0.35)
      .map((make) => make());
    return [...faithful, ...injected];
  });

  // Interleave the lines (each keeps its order), then number the events' times.
  const drafts: Draft[] = [];
  const cursors = lineDrafts.map(() => 0);
  const open = lineDrafts.map((_, i) => i);
  while (open.length > 0) {
    const at = Math.floor(random() * open.length);
    const line = open[at]!;
    drafts.push(lineDrafts[line]![cursors[line]!]!);
    cursors[line] = cursors[line]! + 1;
    if (cursors[line] === lineDrafts[line]!.length) open.splice(at, 1);
  }
  const start = Date.UTC(2026, 0, 1);
  return {
    organizations,
    context: CHAIN_CONTEXT,
    events: drafts.map(({ by, fields }, i) => {
      const { type, ...rest } = fields;
      return {
        fields: {
          type,
          eventTime: new Date(start + i * 60_000).toISOString(),
          eventTimeZoneOffset: '+00:00',
          ...rest,
        },
        context: CHAIN_CONTEXT,
        recordedBy: { organizationId: by.organizationId, gln: by.gln },
      };
    }),
    expected: drafts.map(({ expected }) => [...expected].sort()),
  };
};
