// A realistic chain for the browser tests (SCENARIOS.md 1, shortened): a tea cooperative
// harvests three fresh-leaf lots, its factory presses them into a cake lot (organic certificate)
// and serialises the cakes, packs them into a case (SSCC) and ships it by a carrier to a
// distributor, who ships it on to a Shanghai store, which unpacks it and sells cake 1. Four
// organizations, each capturing its own events with its own key (the carrier none); master data
// for every product, lot, place and party.
import { appendCheckDigit, epcUriToDigitalLink } from '@traceroot/trace';

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const CONTEXT = [EPCIS_CONTEXT, { tea: 'https://example.org/tea/' }];

const GCP = '6901234';
export const leafLot = (n: number) => `urn:epc:class:lgtin:${GCP}.012345.LEAF-${n}`;
export const CAKE_LOT_NUMBER = 'CAKE2026A';
export const CAKE_LOT = `urn:epc:class:lgtin:${GCP}.054321.${CAKE_LOT_NUMBER}`;
export const cake = (n: number) => `urn:epc:id:sgtin:${GCP}.054321.${n}`;
export const CASE = `urn:epc:id:sscc:${GCP}.0000000001`;
const sgln = (n: number) => `urn:epc:id:sgln:${GCP}.0000${n}.0`;
const pglnUrn = (n: number) => `urn:epc:id:pgln:${GCP}.0000${n}`;
/** The 13-digit GLN / PGLN of location or party n. */
export const gln = (n: number) => appendCheckDigit(`${GCP}0000${n}`);

export const CAKE_GTIN = new URL(epcUriToDigitalLink(cake(1))).pathname.split('/')[2]!;
/** The consumer page of cake n: GTIN + lot + serial. */
export const cakePath = (n: number) => `/01/${CAKE_GTIN}/10/${CAKE_LOT_NUMBER}/21/${n}`;

export const PLACES = {
  garden: { n: 1, name: 'Menghai tea garden', zh: '勐海茶园', lat: 21.96, lon: 100.45, party: 1 },
  factory: {
    n: 2,
    name: 'Menghai pressing factory',
    zh: '勐海压制厂',
    lat: 21.97,
    lon: 100.46,
    party: 1,
  },
  kunming: {
    n: 3,
    name: 'Kunming distribution centre',
    zh: '昆明配送中心',
    lat: 25.04,
    lon: 102.71,
    party: 3,
  },
  shanghai: {
    n: 4,
    name: 'Shanghai Jing’an store',
    zh: '上海静安门店',
    lat: 31.23,
    lon: 121.47,
    party: 4,
  },
} as const;
export const PARTIES = {
  cooperative: { n: 1, name: 'Menghai Tea Cooperative', zh: '勐海茶叶合作社' },
  carrier: { n: 2, name: 'Yunnan Cold Express', zh: '云南冷链快运' },
  distributor: { n: 3, name: 'Kunming Tea Distribution', zh: '昆明茶叶配送' },
  retailer: { n: 4, name: 'Shanghai Fine Teas', zh: '上海好茶' },
} as const;
export type Org = 'cooperative' | 'carrier' | 'distributor' | 'retailer';

const at = (day: number, hour: number) =>
  `2026-04-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000+08:00`;
const id = (n: number) => `urn:uuid:6a1c0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const base = (n: number, day: number, hour: number) => ({
  eventID: id(n),
  eventTime: at(day, hour),
  eventTimeZoneOffset: '+08:00',
});
export const eventIdOf = id;

const ship = (
  n: number,
  day: number,
  from: keyof typeof PLACES,
  to: keyof typeof PLACES,
  owner: number,
) => ({
  type: 'ObjectEvent',
  ...base(n, day, 8),
  epcList: [CASE],
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  readPoint: { id: sgln(PLACES[from].n) },
  bizTransactionList: [
    { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${gln(owner)}:PO-${n}` },
  ],
  sourceList: [
    { type: 'location', source: sgln(PLACES[from].n) },
    { type: 'owning_party', source: pglnUrn(owner) },
  ],
  destinationList: [
    { type: 'location', destination: sgln(PLACES[to].n) },
    { type: 'possessing_party', destination: pglnUrn(2) },
  ],
});
const receive = (n: number, day: number, where: keyof typeof PLACES) => ({
  type: 'ObjectEvent',
  ...base(n, day, 17),
  epcList: [CASE],
  action: 'OBSERVE',
  bizStep: 'receiving',
  disposition: 'in_progress',
  readPoint: { id: sgln(PLACES[where].n) },
  bizLocation: { id: sgln(PLACES[where].n) },
});

/** The events, by the organization that captures them, in the order they are captured. */
export const CHAIN: { org: Org; events: Record<string, unknown>[] }[] = [
  {
    org: 'cooperative',
    events: [
      ...[1, 2, 3].map((n) => ({
        type: 'ObjectEvent',
        ...base(n, 1, 6 + n),
        epcList: [],
        quantityList: [{ epcClass: leafLot(n), quantity: 400, uom: 'KGM' }],
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: sgln(1) },
        bizLocation: { id: sgln(1) },
        ilmd: { 'cbvmda:harvestStartDate': '2026-04-01', 'tea:altitude': `${1500 + n * 50} m` },
      })),
      {
        type: 'TransformationEvent',
        ...base(4, 2, 9),
        inputQuantityList: [1, 2, 3].map((n) => ({
          epcClass: leafLot(n),
          quantity: 400,
          uom: 'KGM',
        })),
        outputQuantityList: [{ epcClass: CAKE_LOT, quantity: 300, uom: 'KGM' }],
        bizStep: 'creating_class_instance',
        readPoint: { id: sgln(2) },
        bizLocation: { id: sgln(2) },
        certificationInfo: 'https://cert.example.org/organic/CN-ORG-2026-0042',
      },
      {
        type: 'TransformationEvent',
        ...base(5, 2, 15),
        inputQuantityList: [{ epcClass: CAKE_LOT, quantity: 1.071, uom: 'KGM' }],
        outputEPCList: [cake(1), cake(2), cake(3)],
        bizStep: 'commissioning',
        readPoint: { id: sgln(2) },
        bizLocation: { id: sgln(2) },
      },
      {
        type: 'AggregationEvent',
        ...base(6, 3, 10),
        parentID: CASE,
        childEPCs: [cake(1), cake(2), cake(3)],
        action: 'ADD',
        bizStep: 'packing',
        readPoint: { id: sgln(2) },
      },
      // The custodian ships (the published rule custody.current-custodian); the carrier takes it.
      ship(7, 4, 'factory', 'kunming', 1),
    ],
  },
  { org: 'distributor', events: [receive(8, 6, 'kunming'), ship(9, 8, 'kunming', 'shanghai', 3)] },
  {
    org: 'retailer',
    events: [
      receive(10, 11, 'shanghai'),
      {
        type: 'AggregationEvent',
        ...base(11, 11, 18),
        parentID: CASE,
        childEPCs: [cake(1), cake(2), cake(3)],
        action: 'DELETE',
        bizStep: 'unpacking',
        readPoint: { id: sgln(4) },
      },
      {
        type: 'ObjectEvent',
        ...base(12, 14, 15),
        epcList: [cake(1)],
        action: 'DELETE',
        bizStep: 'retail_selling',
        disposition: 'retail_sold',
        readPoint: { id: sgln(4) },
      },
    ],
  },
];

/** The recall the packer records later: the persistent disposition `recalled` on the cake lot. */
export const RECALL_EVENT = {
  type: 'ObjectEvent',
  ...base(13, 20, 9),
  epcList: [],
  quantityList: [{ epcClass: CAKE_LOT, quantity: 300, uom: 'KGM' }],
  action: 'OBSERVE',
  bizStep: 'holding',
  disposition: 'recalled',
  persistentDisposition: { set: ['recalled'] },
  readPoint: { id: sgln(2) },
};

export const epcisDocument = (events: readonly unknown[]) => ({
  '@context': CONTEXT,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-04-20T00:00:00.000Z',
  epcisBody: { eventList: events },
});

/** Master data: PUT path → body, by owning organization (apps/api masterdata contract). */
export const MASTER_DATA: { org: Org; path: string; body: Record<string, unknown> }[] = [
  {
    org: 'cooperative',
    path: `/masterdata/products/${CAKE_GTIN}`,
    body: {
      name: 'Menghai Pu’er tea cake, 357 g',
      names: { 'zh-CN': '勐海普洱茶饼 357克' },
      brand: 'Menghai Tea Cooperative',
      description: 'Pressed raw Pu’er from old-tree leaves of the Menghai hills.',
      descriptions: { 'zh-CN': '勐海山区古树原料压制的生普洱。' },
      category: 'Tea',
      validFrom: '2026-01-01T00:00:00.000Z',
    },
  },
  {
    org: 'cooperative',
    path: `/masterdata/products/${CAKE_GTIN}/lots/${CAKE_LOT_NUMBER}`,
    body: {
      productionDate: '2026-04-02',
      bestBefore: '2046-04-02',
      originCountry: 'CN',
      validFrom: '2026-01-01T00:00:00.000Z',
    },
  },
  ...(Object.entries(PARTIES) as [Org, (typeof PARTIES)[Org]][]).map(([org, p]) => ({
    org,
    path: `/masterdata/parties/${gln(p.n)}`,
    body: { name: p.name, names: { 'zh-CN': p.zh }, validFrom: '2026-01-01T00:00:00.000Z' },
  })),
  ...Object.values(PLACES).map((p) => ({
    org: (Object.entries(PARTIES) as [Org, { n: number }][]).find(
      ([, party]) => party.n === p.party,
    )![0],
    path: `/masterdata/locations/${gln(p.n)}`,
    body: {
      name: p.name,
      names: { 'zh-CN': p.zh },
      latitude: p.lat,
      longitude: p.lon,
      owningParty: gln(p.party),
      address: { countryCode: 'CN' },
      validFrom: '2026-01-01T00:00:00.000Z',
    },
  })),
];

/**
 * Cake 900, for the page's privacy and rule notices (issue 6): produced with the picker's name
 * and phone in its ILMD (private by the default policy, its best-before date public), shipped to
 * Kunming with a purchase order and a price (private; the shipment is later erased), and received
 * at the Shanghai store, to which it was not shipped: the published rule
 * custody.receipt-matches-shipment flags the receipt (the default rule mode is flag).
 */
export const PRIVATE_CAKE = 900;
/** Its page: GTIN and serial (a path naming the cake lot would trace the lot's events too). */
export const PRIVATE_CAKE_PATH = `/01/${CAKE_GTIN}/21/${PRIVATE_CAKE}`;
export const PICKER = { name: 'Li Wei', phone: '+86 138 0000 0000' };
export const PRIVATE_CAKE_SHIPMENT = id(102);
export const PRIVATE_CAKE_CHAIN: { org: Org; events: Record<string, unknown>[] }[] = [
  {
    org: 'cooperative',
    events: [
      {
        type: 'ObjectEvent',
        ...base(101, 15, 9),
        epcList: [cake(PRIVATE_CAKE)],
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: sgln(PLACES.factory.n) },
        bizLocation: { id: sgln(PLACES.factory.n) },
        ilmd: {
          'cbvmda:bestBeforeDate': '2046-04-15',
          'tea:pickerName': PICKER.name,
          'tea:pickerPhone': PICKER.phone,
        },
      },
      {
        type: 'ObjectEvent',
        ...base(102, 16, 8),
        epcList: [cake(PRIVATE_CAKE)],
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: sgln(PLACES.factory.n) },
        bizTransactionList: [
          { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:${gln(1)}:PO-102` },
        ],
        'tea:price': { amount: 880, currency: 'CNY' },
        destinationList: [{ type: 'location', destination: sgln(PLACES.kunming.n) }],
      },
    ],
  },
  {
    org: 'retailer',
    events: [
      {
        type: 'ObjectEvent',
        ...base(103, 17, 17),
        epcList: [cake(PRIVATE_CAKE)],
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: { id: sgln(PLACES.shanghai.n) },
        bizLocation: { id: sgln(PLACES.shanghai.n) },
      },
    ],
  },
];
