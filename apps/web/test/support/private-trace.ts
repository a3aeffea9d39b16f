// A trace as an anonymous reader gets it from the API once fields have visibility (issue 6): a
// real signed log of three events committed ILMD member by member (commitEvent), with a bundle
// that discloses only the public fields (plus every digest), and each event's `ledger` saying
// what is withheld, what was erased and which published rules it broke. Deterministic.
import {
  bytesToBase64,
  type CommittedEvent,
  commitEvent,
  computeEventHashId,
  generateNoteKeys,
  MemoryTree,
  parseDisclosure,
  signCheckpoint,
  type TraceBundle,
} from '@traceroot/trace';

import type { ApiEvent, ApiLedger, ApiTrace } from '../../src/lib/story/api-types';

export const ORIGIN = 'web-unit.traceroot.test/log';
export const GTIN = '06901234543216';
export const LOT = 'L2026-07';
const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { tr: 'https://traceroot.dev/ns/' },
];
const LOT_URN = `urn:epc:class:lgtin:6901234.054321.${LOT}`;
const FARM = 'urn:epc:id:sgln:6901234.00001.0';
const STORE = 'urn:epc:id:sgln:6901234.00004.0';

/** A deterministic stand-in for a CSPRNG (tests only). */
const counterRandom = (): ((n: number) => Uint8Array) => {
  let counter = 0;
  return (n) => {
    counter += 1;
    return Uint8Array.from({ length: n }, (_, i) => (counter * 131 + i * 7 + 1) & 0xff);
  };
};

type Fixture = {
  event: Record<string, unknown>;
  /** The fields (by leaf field name) an anonymous reader may not see. */
  private: string[];
  /** The fields erased at the owner's request: not even their owner can show them. */
  erased?: string[];
  rules?: ApiLedger['rules'];
};

const event = (n: number, fields: Record<string, unknown>): Record<string, unknown> => ({
  eventID: `urn:uuid:00000000-0000-4000-8000-00000000000${n}`,
  type: 'ObjectEvent',
  eventTime: `2026-07-0${n}T08:00:00.000+08:00`,
  eventTimeZoneOffset: '+08:00',
  ...fields,
});

export const FIXTURES: Fixture[] = [
  {
    // Harvest: the lot number is public, the picker's name and phone are private.
    event: event(1, {
      quantityList: [{ epcClass: LOT_URN, quantity: 120, uom: 'KGM' }],
      action: 'ADD',
      bizStep: 'commissioning',
      readPoint: { id: FARM },
      ilmd: {
        'cbvmda:lotNumber': LOT,
        'cbvmda:harvestStartDate': '2026-07-01',
        'tr:pickerName': 'Li Wei',
        'tr:pickerPhone': '+86 138 0000 0000',
      },
    }),
    private: ['ilmd/tr:pickerName', 'ilmd/tr:pickerPhone'],
  },
  {
    // Shipping: the price (a business transaction) is private and was later erased.
    event: event(2, {
      quantityList: [{ epcClass: LOT_URN, quantity: 120, uom: 'KGM' }],
      action: 'OBSERVE',
      bizStep: 'shipping',
      readPoint: { id: FARM },
      bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:6901234000016:77' }],
      'tr:price': { amount: 3200, currency: 'CNY' },
    }),
    private: ['bizTransactionList', 'tr:price'],
    erased: ['tr:price'],
  },
  {
    // Receiving without a matching shipment to this store: accepted with a warning (flag mode).
    event: event(3, {
      quantityList: [{ epcClass: LOT_URN, quantity: 120, uom: 'KGM' }],
      action: 'OBSERVE',
      bizStep: 'receiving',
      readPoint: { id: STORE },
    }),
    private: [],
    rules: {
      ruleSet: '1.0.0',
      flags: [
        {
          rule: 'custody.receipt-matches-shipment',
          message: 'no shipment of this lot was addressed to the receiver',
        },
      ],
    },
  },
];

export type PrivateTrace = {
  verifierKey: string;
  committed: CommittedEvent[];
  /** The trace as the API sends it to an anonymous reader, events as committed fields. */
  trace: ApiTrace & { bundle: TraceBundle };
  /** The same, events assembled (ILMD members merged, pseudo-fields out). */
  assembled: ApiTrace & { bundle: TraceBundle };
};

/** The public fields of one committed event, by leaf field name (the API's anonymous view). */
const publicNames = (committed: CommittedEvent, fixture: Fixture): string[] =>
  Object.keys(committed.disclosures).filter((name) => !fixture.private.includes(name));

export const buildPrivateTrace = (): PrivateTrace => {
  const random = counterRandom();
  const keys = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(3));
  const committed = FIXTURES.map(({ event }) =>
    commitEvent(
      { ...event, '@context': CONTEXT, '@ruleSet': '1.0.0' },
      computeEventHashId(event, { context: CONTEXT }),
      random,
    ),
  );
  const tree = new MemoryTree();
  tree.appendLeaves(committed.map((c) => c.leafData));
  const checkpoint = signCheckpoint(
    { origin: ORIGIN, treeSize: committed.length, rootHash: tree.rootHash(), extensions: [] },
    keys.signerKey,
  );
  const bundle: TraceBundle = {
    checkpoint,
    entries: committed.map((c, leafIndex) => ({
      leafIndex,
      eventHashId: c.leaf.eventHashId,
      digests: c.leaf.digests,
      disclosures: publicNames(c, FIXTURES[leafIndex]!).map((name) => c.disclosures[name]!),
      inclusionPath: tree.inclusionProof(leafIndex).path.map(bytesToBase64),
    })),
  };
  const ledgerOf = (i: number): ApiLedger => {
    const fixture = FIXTURES[i]!;
    return {
      leafIndex: i,
      withheld: fixture.private.length,
      erased: fixture.erased ?? [],
      rules: fixture.rules ?? { ruleSet: '1.0.0', flags: [] },
    };
  };
  const fieldsOf = (i: number): Record<string, unknown> => {
    const c = committed[i]!;
    return Object.fromEntries(
      publicNames(c, FIXTURES[i]!).map((name) => [
        name,
        parseDisclosure(c.disclosures[name]!).value,
      ]),
    );
  };
  const rawEvents = committed.map((_, i) => ({ ...fieldsOf(i), ledger: ledgerOf(i) }) as ApiEvent);
  const assembledEvents = committed.map((_, i) => {
    const { ilmd, ...rest } = FIXTURES[i]!.event;
    const shown = Object.fromEntries(
      Object.entries(rest).filter(([name]) => !FIXTURES[i]!.private.includes(name)),
    );
    const publicIlmd =
      ilmd === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(ilmd as Record<string, unknown>).filter(
              ([m]) => !FIXTURES[i]!.private.includes(`ilmd/${m}`),
            ),
          );
    return {
      ...shown,
      ...(publicIlmd ? { ilmd: publicIlmd } : {}),
      ledger: ledgerOf(i),
    } as ApiEvent;
  });
  const base = {
    start: [`https://id.gs1.org/01/${GTIN}/10/${LOT}`],
    truncated: false,
    nodes: [],
    edges: [],
    checkpoint: { treeSize: committed.length, signedAt: '2026-07-04T00:00:00.000Z' },
    unsealed: [],
    bundle,
  };
  return {
    verifierKey: keys.verifierKey,
    committed,
    trace: { ...base, events: rawEvents },
    assembled: { ...base, events: assembledEvents },
  };
};
