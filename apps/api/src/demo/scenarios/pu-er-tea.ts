// Scenario 1 of docs SCENARIOS.md: Pu'er tea from Bulang Mountain (Menghai, Yunnan) to a tea shop
// in Shanghai, Chinese first. Company prefixes, names, addresses and certificates are illustrative;
// every GS1 key is computed (gs1.ts), so its check digit is right.
import { type DemoClock, dateAfter, later, localDate, type Moment } from './clock.js';
import { company, digitalLinkPath, type Party, type Place } from './gs1.js';
import { at, type DemoEvent, epcisEvent, type Scenario } from './model.js';

const COOPERATIVE = company('6901234');
const CARRIER = company('69234567');
const DISTRIBUTOR = company('694512345');
const RETAILER = company('695876543');

const FRESH_LEAF = COOPERATIVE.product('10011');
const CAKE = COOPERATIVE.product('20357');

const GARDEN = COOPERATIVE.place('00011');
const FACTORY = COOPERATIVE.place('00028');
const KUNMING_DC = DISTRIBUTOR.place('101');
const SHANGHAI_STORE = RETAILER.place('021');

const FRESH_LEAF_LOTS = [
  { lot: 'BLS-XY-01', daysBefore: 45, altitude: 1680, group: '老曼峨第一采茶组', leader: '岩香' },
  { lot: 'BLS-XY-02', daysBefore: 44, altitude: 1750, group: '老曼峨第二采茶组', leader: '玉儿' },
  { lot: 'BLS-XY-03', daysBefore: 43, altitude: 1820, group: '老曼峨第三采茶组', leader: '岩罕' },
] as const;
const FRESH_LEAF_KG = 400;
const CAKE_LOT = 'BLS-QB-07';
const CAKE_LOT_KG = 300;
/** 840 cakes of 357 g (299.88 kg of the 300 kg pressed), 42 to a case: 20 cases. */
const CAKES = 840;
const CAKES_PER_CASE = 42;
const serialOf = (n: number): string => String(100_000 + n);
const CAKE_SERIALS = Array.from({ length: CAKES }, (_, i) => serialOf(i + 1));
const CASES = Array.from({ length: CAKES / CAKES_PER_CASE }, (_, i) => ({
  unit: COOPERATIVE.logisticUnit(String(1001 + i).padStart(9, '0')),
  serials: CAKE_SERIALS.slice(i * CAKES_PER_CASE, (i + 1) * CAKES_PER_CASE),
}));
/** The cases that go on to Shanghai (the others stay at the Kunming distribution centre). */
const SHANGHAI_CASES = CASES.slice(8, 12);
/** Cakes sold in Shanghai, with the day they were sold; the second is the demo's featured cake. */
const SALES = [
  { serial: serialOf(401), daysBefore: 20, time: '14:12' },
  { serial: serialOf(427), daysBefore: 9, time: '11:05' },
  { serial: serialOf(463), daysBefore: 3, time: '16:47' },
] as const;

/** The cake whose QR code the demo shows: `/01/{gtin}/10/{lot}/21/{serial}`. */
export const FEATURED_TEA_CAKE = {
  gtin: CAKE.gtin,
  lot: CAKE_LOT,
  serial: serialOf(427),
  path: digitalLinkPath({ gtin: CAKE.gtin, lot: CAKE_LOT, serial: serialOf(427) }),
} as const;

const ORG = {
  cooperative: 'tea-cooperative',
  carrier: 'tea-carrier',
  distributor: 'tea-distributor',
  retailer: 'tea-retailer',
} as const;

// CBV 2.0 §8.5.2: a business transaction identifier `urn:epcglobal:cbv:bt:{issuer GLN}:{id}`.
const bt = (issuer: Party, id: string): string => `urn:epcglobal:cbv:bt:${issuer.pgln}:${id}`;

type Site = { party: Party; place: Place };
type Handover = { from: Site; to: Site };

const handover = ({ from, to }: Handover) => ({
  sourceList: [
    { type: 'owning_party', source: from.party.urn },
    { type: 'possessing_party', source: from.party.urn },
    { type: 'location', source: from.place.sgln },
  ],
  destinationList: [
    { type: 'owning_party', destination: to.party.urn },
    { type: 'possessing_party', destination: to.party.urn },
    { type: 'location', destination: to.place.sgln },
  ],
});

const harvests = (clock: DemoClock): DemoEvent[] =>
  FRESH_LEAF_LOTS.map(({ lot, daysBefore, altitude, group }) => {
    const done = clock.at(daysBefore, '17:40', 'China');
    return {
      by: ORG.cooperative,
      event: epcisEvent('ObjectEvent', done, {
        epcList: [],
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: at(GARDEN.sgln),
        bizLocation: at(GARDEN.sgln),
        quantityList: [{ epcClass: FRESH_LEAF.lgtin(lot), quantity: FRESH_LEAF_KG, uom: 'KGM' }],
        ilmd: {
          'cbvmda:harvestStartDate': localDate(done),
          'cbvmda:harvestEndDate': localDate(done),
          'cbvmda:countryOfOrigin': 'CN',
          'tr:altitudeMetres': altitude,
          'tr:pickerGroup': group,
          'tr:cultivar': '勐海大叶种',
        },
      }),
    };
  });

const pressing = (pressed: Moment): DemoEvent => ({
  by: ORG.cooperative,
  event: epcisEvent('TransformationEvent', pressed, {
    inputQuantityList: FRESH_LEAF_LOTS.map(({ lot }) => ({
      epcClass: FRESH_LEAF.lgtin(lot),
      quantity: FRESH_LEAF_KG,
      uom: 'KGM',
    })),
    outputQuantityList: [{ epcClass: CAKE.lgtin(CAKE_LOT), quantity: CAKE_LOT_KG, uom: 'KGM' }],
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: at(FACTORY.sgln),
    bizLocation: at(FACTORY.sgln),
    certificationInfo: 'https://organic-cert.example.org/certificates/CN-ORG-135OP2600417',
    ilmd: {
      'cbvmda:countryOfOrigin': 'CN',
      'tr:process': '萎凋、杀青、揉捻、日光干燥、蒸压成饼',
    },
    'tr:declaredYield': 0.25,
  }),
});

// Serialisation: the cake lot (by weight) becomes 840 serialised cakes. A TransformationEvent
// links each SGTIN to the lot explicitly (its input); the ILMD lotNumber says the same.
const serialisation = (serialised: Moment): DemoEvent => ({
  by: ORG.cooperative,
  event: epcisEvent('TransformationEvent', serialised, {
    inputQuantityList: [{ epcClass: CAKE.lgtin(CAKE_LOT), quantity: CAKE_LOT_KG, uom: 'KGM' }],
    outputEPCList: CAKE_SERIALS.map(CAKE.sgtin),
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: at(FACTORY.sgln),
    bizLocation: at(FACTORY.sgln),
    ilmd: { 'cbvmda:lotNumber': CAKE_LOT, 'tr:netWeightGrams': 357 },
  }),
});

const packing = (start: Moment): DemoEvent[] =>
  CASES.map(({ unit, serials }, i) => ({
    by: ORG.cooperative,
    event: epcisEvent('AggregationEvent', later(start, 6 * i), {
      parentID: unit.urn,
      childEPCs: serials.map(CAKE.sgtin),
      action: 'ADD',
      bizStep: 'packing',
      disposition: 'in_progress',
      readPoint: at(FACTORY.sgln),
      bizLocation: at(FACTORY.sgln),
    }),
  }));

// One hand-off: the sender ships, the carrier departs and arrives, the receiver receives.
const leg = (input: {
  cases: typeof CASES;
  shipped: Moment;
  departed: Moment;
  arrived: Moment;
  received: Moment;
  shipper: string;
  receiver: string;
  from: Handover['from'];
  to: Handover['to'];
  order: string;
  despatchAdvice: string;
  billOfLading: string;
  receivedAs: string;
}): DemoEvent[] => {
  const epcList = input.cases.map((c) => c.unit.urn);
  const transactions = [
    { type: 'po', bizTransaction: bt(input.to.party, input.order) },
    { type: 'desadv', bizTransaction: bt(input.from.party, input.despatchAdvice) },
  ];
  const carried = [{ type: 'bol', bizTransaction: bt(CARRIER.party, input.billOfLading) }];
  return [
    {
      by: input.shipper,
      event: epcisEvent('ObjectEvent', input.shipped, {
        epcList,
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: at(input.from.place.sgln),
        bizTransactionList: transactions,
        ...handover(input),
      }),
    },
    {
      by: ORG.carrier,
      event: epcisEvent('ObjectEvent', input.departed, {
        epcList,
        action: 'OBSERVE',
        bizStep: 'departing',
        disposition: 'in_transit',
        readPoint: at(input.from.place.sgln),
        bizTransactionList: carried,
      }),
    },
    {
      by: ORG.carrier,
      event: epcisEvent('ObjectEvent', input.arrived, {
        epcList,
        action: 'OBSERVE',
        bizStep: 'arriving',
        disposition: 'in_transit',
        readPoint: at(input.to.place.sgln),
        bizTransactionList: carried,
      }),
    },
    {
      by: input.receiver,
      event: epcisEvent('ObjectEvent', input.received, {
        epcList,
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: input.receivedAs,
        readPoint: at(input.to.place.sgln),
        bizLocation: at(input.to.place.sgln),
        bizTransactionList: transactions,
        ...handover(input),
      }),
    },
  ];
};

const retail = (clock: DemoClock): DemoEvent[] => [
  ...SHANGHAI_CASES.map(({ unit, serials }, i) => ({
    by: ORG.retailer,
    event: epcisEvent('AggregationEvent', later(clock.at(24, '09:30', 'China'), 10 * i), {
      parentID: unit.urn,
      childEPCs: serials.map(CAKE.sgtin),
      action: 'DELETE',
      bizStep: 'unpacking',
      disposition: 'sellable_accessible',
      readPoint: at(SHANGHAI_STORE.sgln),
      bizLocation: at(SHANGHAI_STORE.sgln),
    }),
  })),
  ...SALES.map(({ serial, daysBefore, time }) => ({
    by: ORG.retailer,
    event: epcisEvent('ObjectEvent', clock.at(daysBefore, time, 'China'), {
      epcList: [CAKE.sgtin(serial)],
      action: 'OBSERVE',
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      readPoint: at(SHANGHAI_STORE.sgln),
      bizLocation: at(SHANGHAI_STORE.sgln),
    }),
  })),
];

const cooperative: Site = { party: COOPERATIVE.party, place: FACTORY };
const distributorDc: Site = { party: DISTRIBUTOR.party, place: KUNMING_DC };
const shanghaiStore: Site = { party: RETAILER.party, place: SHANGHAI_STORE };

const events = (clock: DemoClock): DemoEvent[] => [
  ...harvests(clock),
  pressing(clock.at(38, '16:30', 'China')),
  serialisation(clock.at(35, '09:00', 'China')),
  ...packing(clock.at(35, '13:00', 'China')),
  ...leg({
    cases: CASES,
    shipped: clock.at(34, '08:30', 'China'),
    departed: clock.at(34, '09:10', 'China'),
    arrived: clock.at(33, '17:20', 'China'),
    received: clock.at(33, '17:55', 'China'),
    shipper: ORG.cooperative,
    receiver: ORG.distributor,
    from: cooperative,
    to: distributorDc,
    order: 'PO-KM-4471',
    despatchAdvice: 'DN-BLS-0471',
    billOfLading: 'YD-880231',
    receivedAs: 'in_progress',
  }),
  ...leg({
    cases: SHANGHAI_CASES,
    shipped: clock.at(28, '09:30', 'China'),
    departed: clock.at(28, '10:15', 'China'),
    arrived: clock.at(25, '14:40', 'China'),
    received: clock.at(25, '15:05', 'China'),
    shipper: ORG.distributor,
    receiver: ORG.retailer,
    from: distributorDc,
    to: shanghaiStore,
    order: 'PO-SH-20931',
    despatchAdvice: 'DN-KM-7730',
    billOfLading: 'YD-880517',
    receivedAs: 'sellable_not_accessible',
  }),
  ...retail(clock),
];

/** Scenario 1 on the demo clock. */
export const puErTeaScenario = (clock: DemoClock): Scenario => {
  const pressed = clock.at(38, '16:30', 'China');
  return {
    organizations: [
      {
        key: ORG.cooperative,
        name: '勐海布朗山古茶农民专业合作社 (Menghai Bulangshan Tea Cooperative)',
        gln: COOPERATIVE.party.pgln,
      },
      {
        key: ORG.carrier,
        name: '云南滇运物流有限公司 (Yunnan Dianyun Logistics)',
        gln: CARRIER.party.pgln,
      },
      {
        key: ORG.distributor,
        name: '昆明茶源供应链有限公司 (Kunming Chayuan Supply Chain)',
        gln: DISTRIBUTOR.party.pgln,
      },
      {
        key: ORG.retailer,
        name: '上海茗香茶庄 (Shanghai Mingxiang Tea House)',
        gln: RETAILER.party.pgln,
      },
    ],
    masterData: {
      parties: [
        {
          owner: ORG.cooperative,
          pgln: COOPERATIVE.party.pgln,
          name: '勐海布朗山古茶农民专业合作社',
          names: {
            'zh-CN': '勐海布朗山古茶农民专业合作社',
            en: 'Menghai Bulangshan Old-Tree Tea Farmers’ Cooperative',
          },
          contactUrl: 'https://bulangshan-tea.example.cn/',
        },
        {
          owner: ORG.carrier,
          pgln: CARRIER.party.pgln,
          name: '云南滇运物流有限公司',
          names: { 'zh-CN': '云南滇运物流有限公司', en: 'Yunnan Dianyun Logistics Co., Ltd.' },
          contactUrl: 'https://dianyun-logistics.example.cn/',
        },
        {
          owner: ORG.distributor,
          pgln: DISTRIBUTOR.party.pgln,
          name: '昆明茶源供应链有限公司',
          names: {
            'zh-CN': '昆明茶源供应链有限公司',
            en: 'Kunming Chayuan Supply Chain Co., Ltd.',
          },
          contactUrl: 'https://chayuan-scm.example.cn/',
        },
        {
          owner: ORG.retailer,
          pgln: RETAILER.party.pgln,
          name: '上海茗香茶庄',
          names: { 'zh-CN': '上海茗香茶庄', en: 'Shanghai Mingxiang Tea House' },
          contactUrl: 'https://mingxiang-tea.example.cn/',
        },
      ],
      locations: [
        {
          owner: ORG.cooperative,
          gln: GARDEN.gln,
          name: '布朗山老曼峨古茶园',
          names: {
            'zh-CN': '布朗山老曼峨古茶园',
            en: 'Lao Man’e old-tree tea garden, Bulang Mountain',
          },
          address: {
            street: '布朗山乡老曼峨村',
            city: '勐海县',
            region: '云南省西双版纳傣族自治州',
            postalCode: '666104',
            countryCode: 'CN',
          },
          latitude: 21.73,
          longitude: 100.4,
          owningParty: COOPERATIVE.party.pgln,
        },
        {
          owner: ORG.cooperative,
          gln: FACTORY.gln,
          name: '布朗山古茶合作社初制所（勐海）',
          names: {
            'zh-CN': '布朗山古茶合作社初制所（勐海）',
            en: 'Bulangshan Tea Cooperative processing plant, Menghai',
          },
          address: {
            street: '勐海镇茶城大道 18 号',
            city: '勐海县',
            region: '云南省西双版纳傣族自治州',
            postalCode: '666200',
            countryCode: 'CN',
          },
          latitude: 21.96,
          longitude: 100.45,
          owningParty: COOPERATIVE.party.pgln,
        },
        {
          owner: ORG.distributor,
          gln: KUNMING_DC.gln,
          name: '茶源昆明配送中心',
          names: { 'zh-CN': '茶源昆明配送中心', en: 'Chayuan Kunming distribution centre' },
          address: {
            street: '官渡区物流大道 666 号 8 号库',
            city: '昆明市',
            region: '云南省',
            postalCode: '650200',
            countryCode: 'CN',
          },
          latitude: 25.04,
          longitude: 102.71,
          owningParty: DISTRIBUTOR.party.pgln,
        },
        {
          owner: ORG.retailer,
          gln: SHANGHAI_STORE.gln,
          name: '上海茗香茶庄 南京西路店',
          names: {
            'zh-CN': '上海茗香茶庄 南京西路店',
            en: 'Mingxiang Tea House, West Nanjing Road, Shanghai',
          },
          address: {
            street: '静安区南京西路 1088 号',
            city: '上海市',
            region: '上海市',
            postalCode: '200040',
            countryCode: 'CN',
          },
          latitude: 31.23,
          longitude: 121.47,
          owningParty: RETAILER.party.pgln,
        },
      ],
      products: [
        {
          owner: ORG.cooperative,
          gtin: FRESH_LEAF.gtin,
          name: '布朗山古树普洱茶鲜叶',
          names: {
            'zh-CN': '布朗山古树普洱茶鲜叶',
            en: 'Bulang Mountain old-tree Pu’er fresh leaf',
          },
          brand: '布朗山古茶',
          description: '布朗山海拔 1,600–1,800 米古茶树的春季鲜叶，一芽二三叶手工采摘。',
          descriptions: {
            'zh-CN': '布朗山海拔 1,600–1,800 米古茶树的春季鲜叶，一芽二三叶手工采摘。',
            en: 'Spring leaves of old tea trees at 1,600–1,800 m on Bulang Mountain, hand-picked as one bud and two or three leaves.',
          },
          category: '茶鲜叶',
        },
        {
          owner: ORG.cooperative,
          gtin: CAKE.gtin,
          name: '布朗山古树普洱生茶饼 357克',
          names: {
            'zh-CN': '布朗山古树普洱生茶饼 357克',
            en: 'Bulang Mountain Old-Tree Raw Pu’er Tea Cake, 357 g',
          },
          brand: '布朗山古茶',
          description: '古树春茶，日光干燥，石磨蒸压成饼。有机认证。',
          descriptions: {
            'zh-CN': '古树春茶，日光干燥，石磨蒸压成饼。有机认证。',
            en: 'Spring tea from old trees, sun-dried and stone-pressed into cakes. Certified organic.',
          },
          category: '普洱茶',
        },
      ],
      lots: [
        ...FRESH_LEAF_LOTS.map(({ lot, daysBefore, group, leader }) => ({
          owner: ORG.cooperative,
          gtin: FRESH_LEAF.gtin,
          lot,
          harvestDate: localDate(clock.at(daysBefore, '17:40', 'China')),
          originCountry: 'CN',
          description: `${group}采摘`,
          private: { pickerGroup: group, leader, phone: '+86 138 0000 0000' },
        })),
        {
          owner: ORG.cooperative,
          gtin: CAKE.gtin,
          lot: CAKE_LOT,
          productionDate: localDate(pressed),
          harvestDate: localDate(clock.at(45, '17:40', 'China')),
          originCountry: 'CN',
          names: { 'zh-CN': '布朗山古树春茶 青饼', en: 'Bulang Mountain old-tree spring tea, raw' },
          description: `三批鲜叶（1,200 千克）制成，出成率 25%；最佳品饮期至 ${dateAfter(pressed, 3650)}`,
        },
      ],
    },
    events: events(clock),
  };
};
