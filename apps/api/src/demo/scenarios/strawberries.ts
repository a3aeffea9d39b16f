// Scenario 2 of docs SCENARIOS.md: strawberries from the Salinas Valley to three stores, with the
// cold chain measured every 15 minutes, a temperature excursion on one delivery, and a recall.
// FSMA 204 critical tracking events map onto CBV 2.0 business steps (CBV has no harvesting or
// cooling step): harvesting = ObjectEvent ADD `commissioning` of the field lot with harvest ILMD;
// cooling = ObjectEvent OBSERVE `storing` in the cooler with its temperature readings; initial
// packing = TransformationEvent `commissioning` from the field lot to a packed lot (its new
// traceability lot code); shipping and receiving as such. `tr:fsmaCte` names the CTE of each.
// Company prefixes, names and addresses are illustrative; every GS1 key is computed (gs1.ts).
import { type DemoClock, dateAfter, later, localDate } from './clock.js';
import { company, digitalLinkPath, type Party, type Place } from './gs1.js';
import { at, type DemoEvent, epcisEvent, type Scenario, temperatureReadings } from './model.js';

const GROWER = company('0614141');
const PACKER = company('0845123');
const BRAND_OWNER = company('0778899');
const DISTRIBUTOR = company('0867412');
const RETAILER = company('0012345');

const FIELD_STRAWBERRIES = GROWER.product('20001');
const CLAMSHELL = BRAND_OWNER.product('10016');

const RANCH = GROWER.place('00012');
const COOLER = GROWER.place('00029');
const PACKING_HOUSE = PACKER.place('00015');
const BRAND_OFFICE = BRAND_OWNER.place('00018');
const HAYWARD_DC = DISTRIBUTOR.place('00013');
const STORES = {
  sanJose: RETAILER.place('00101'),
  oakland: RETAILER.place('00102'),
  sacramento: RETAILER.place('00103'),
} as const;

const FIELD_LOTS = [
  { lot: 'SV-R12-B1', block: 'B1', pounds: 2010, harvested: '09:40' },
  { lot: 'SV-R12-B2', block: 'B2', pounds: 2010, harvested: '10:55' },
  { lot: 'SV-R12-B3', block: 'B3', pounds: 2040, harvested: '12:10' },
] as const;
/** The field lot a lab later finds contaminated. */
const CONTAMINATED_FIELD_LOT = 'SV-R12-B2';

/** Packing runs: 1 lb clamshells (8 to a flat, 120 flats to a pallet: 960 a pallet). */
const PACKED_LOTS = [
  { lot: 'PCP-4101', from: 'SV-R12-B1', pounds: 2010, clamshells: 1920, time: '06:10' },
  { lot: 'PCP-4102', from: 'SV-R12-B2', pounds: 1005, clamshells: 960, time: '07:40' },
  { lot: 'PCP-4103', from: 'SV-R12-B2', pounds: 1005, clamshells: 960, time: '08:30' },
  { lot: 'PCP-4104', from: 'SV-R12-B3', pounds: 2040, clamshells: 1920, time: '09:50' },
] as const;
const CLAMSHELLS_PER_PALLET = 960;
const RECALLED_LOTS = PACKED_LOTS.filter((p) => p.from === CONTAMINATED_FIELD_LOT).map(
  (p) => p.lot,
);

const pallet = (n: number) => PACKER.logisticUnit(String(410_100 + n).padStart(9, '0'));
const PALLETS = [
  { unit: pallet(1), lot: 'PCP-4101' },
  { unit: pallet(2), lot: 'PCP-4101' },
  { unit: pallet(3), lot: 'PCP-4102' },
  { unit: pallet(4), lot: 'PCP-4103' },
  { unit: pallet(5), lot: 'PCP-4104' },
  { unit: pallet(6), lot: 'PCP-4104' },
] as const;

/** A recalled clamshell lot, the one that also rode the leg with the temperature excursion. */
export const FEATURED_RECALLED_LOT = {
  gtin: CLAMSHELL.gtin,
  lot: 'PCP-4103',
  path: digitalLinkPath({ gtin: CLAMSHELL.gtin, lot: 'PCP-4103' }),
} as const;

const ORG = {
  grower: 'berry-grower',
  packer: 'berry-packer',
  brandOwner: 'berry-brand-owner',
  distributor: 'berry-distributor',
  retailer: 'berry-retailer',
} as const;

// CBV 2.0 §8.5.2: a business transaction identifier `urn:epcglobal:cbv:bt:{issuer GLN}:{id}`.
const bt = (issuer: Party, id: string): string => `urn:epcglobal:cbv:bt:${issuer.pgln}:${id}`;

type Custody = { owner: Party; holder: Party; place: Place };

const handover = (from: Custody, to: Custody) => ({
  sourceList: [
    { type: 'owning_party', source: from.owner.urn },
    { type: 'possessing_party', source: from.holder.urn },
    { type: 'location', source: from.place.sgln },
  ],
  destinationList: [
    { type: 'owning_party', destination: to.owner.urn },
    { type: 'possessing_party', destination: to.holder.urn },
    { type: 'location', destination: to.place.sgln },
  ],
});

const fieldLotQuantities = FIELD_LOTS.map(({ lot, pounds }) => ({
  epcClass: FIELD_STRAWBERRIES.lgtin(lot),
  quantity: pounds,
  uom: 'LBR',
}));

const harvestAndCool = (clock: DemoClock): DemoEvent[] => {
  const cooled = clock.at(7, '13:10', 'US Pacific');
  const shipped = clock.at(7, '15:30', 'US Pacific');
  const grower: Custody = { owner: GROWER.party, holder: GROWER.party, place: COOLER };
  const toPacker: Custody = {
    owner: BRAND_OWNER.party,
    holder: PACKER.party,
    place: PACKING_HOUSE,
  };
  return [
    ...FIELD_LOTS.map(({ lot, block, pounds, harvested }) => {
      const done = clock.at(7, harvested, 'US Pacific');
      return {
        by: ORG.grower,
        event: epcisEvent('ObjectEvent', done, {
          epcList: [],
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
          readPoint: at(RANCH.sgln),
          bizLocation: at(RANCH.sgln),
          quantityList: [{ epcClass: FIELD_STRAWBERRIES.lgtin(lot), quantity: pounds, uom: 'LBR' }],
          ilmd: {
            'cbvmda:harvestStartDate': localDate(done),
            'cbvmda:harvestEndDate': localDate(done),
            'cbvmda:countryOfOrigin': 'US',
            'tr:field': `Ranch 12, block ${block}`,
          },
          'tr:fsmaCte': 'harvesting',
        }),
      };
    }),
    {
      by: ORG.grower,
      event: epcisEvent('ObjectEvent', later(cooled, 90), {
        epcList: [],
        action: 'OBSERVE',
        bizStep: 'storing',
        disposition: 'active',
        readPoint: at(COOLER.sgln),
        bizLocation: at(COOLER.sgln),
        quantityList: fieldLotQuantities,
        sensorElementList: [
          temperatureReadings(cooled, 15, [21.8, 15.9, 11.2, 7.6, 4.9, 2.9, 1.6], {
            deviceID: 'urn:epc:id:giai:0614141.FAC2-PROBE1',
          }),
        ],
        'tr:fsmaCte': 'cooling',
      }),
    },
    {
      by: ORG.grower,
      event: epcisEvent('ObjectEvent', shipped, {
        epcList: [],
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: at(COOLER.sgln),
        quantityList: fieldLotQuantities,
        bizTransactionList: [
          { type: 'po', bizTransaction: bt(BRAND_OWNER.party, 'PO-SB-7781') },
          { type: 'bol', bizTransaction: bt(GROWER.party, 'SVB-BOL-2291') },
        ],
        ...handover(grower, toPacker),
        'tr:fsmaCte': 'shipping',
      }),
    },
    {
      by: ORG.packer,
      event: epcisEvent('ObjectEvent', later(shipped, 55), {
        epcList: [],
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: at(PACKING_HOUSE.sgln),
        bizLocation: at(PACKING_HOUSE.sgln),
        quantityList: fieldLotQuantities,
        bizTransactionList: [
          { type: 'po', bizTransaction: bt(BRAND_OWNER.party, 'PO-SB-7781') },
          { type: 'bol', bizTransaction: bt(GROWER.party, 'SVB-BOL-2291') },
        ],
        ...handover(grower, toPacker),
        sensorElementList: [
          temperatureReadings(shipped, 15, [1.8, 2.1, 2.3, 2.2], {
            deviceID: 'urn:epc:id:giai:0614141.REEFER-07',
          }),
        ],
        'tr:fsmaCte': 'receiving',
      }),
    },
  ];
};

const initialPacking = (clock: DemoClock): DemoEvent[] => [
  ...PACKED_LOTS.map(({ lot, from, pounds, clamshells, time }) => {
    const packed = clock.at(6, time, 'US Pacific');
    return {
      by: ORG.packer,
      event: epcisEvent('TransformationEvent', packed, {
        inputQuantityList: [
          { epcClass: FIELD_STRAWBERRIES.lgtin(from), quantity: pounds, uom: 'LBR' },
        ],
        outputQuantityList: [{ epcClass: CLAMSHELL.lgtin(lot), quantity: clamshells }],
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: at(PACKING_HOUSE.sgln),
        bizLocation: at(PACKING_HOUSE.sgln),
        ilmd: {
          'cbvmda:harvestStartDate': localDate(clock.at(7, '09:00', 'US Pacific')),
          'cbvmda:bestBeforeDate': dateAfter(packed, 8),
          'cbvmda:countryOfOrigin': 'US',
          'tr:fieldLot': from,
        },
        'tr:fsmaCte': 'initial_packing',
      }),
    };
  }),
  ...PALLETS.map(({ unit, lot }, i) => ({
    by: ORG.packer,
    event: epcisEvent('AggregationEvent', later(clock.at(6, '10:30', 'US Pacific'), 15 * i), {
      parentID: unit.urn,
      childEPCs: [],
      childQuantityList: [{ epcClass: CLAMSHELL.lgtin(lot), quantity: CLAMSHELLS_PER_PALLET }],
      action: 'ADD',
      bizStep: 'packing',
      disposition: 'in_progress',
      readPoint: at(PACKING_HOUSE.sgln),
      bizLocation: at(PACKING_HOUSE.sgln),
    }),
  })),
];

const toDistributor = (clock: DemoClock): DemoEvent[] => {
  const shipped = clock.at(6, '13:00', 'US Pacific');
  const from: Custody = { owner: BRAND_OWNER.party, holder: PACKER.party, place: PACKING_HOUSE };
  const to: Custody = { owner: DISTRIBUTOR.party, holder: DISTRIBUTOR.party, place: HAYWARD_DC };
  const epcList = PALLETS.map((p) => p.unit.urn);
  const transactions = [
    { type: 'po', bizTransaction: bt(DISTRIBUTOR.party, 'PO-GSF-55120') },
    { type: 'desadv', bizTransaction: bt(PACKER.party, 'ASN-PCP-9120') },
  ];
  return [
    {
      by: ORG.packer,
      event: epcisEvent('ObjectEvent', shipped, {
        epcList,
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: at(PACKING_HOUSE.sgln),
        bizTransactionList: transactions,
        ...handover(from, to),
        'tr:fsmaCte': 'shipping',
      }),
    },
    {
      by: ORG.distributor,
      event: epcisEvent('ObjectEvent', later(shipped, 105), {
        epcList,
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: at(HAYWARD_DC.sgln),
        bizLocation: at(HAYWARD_DC.sgln),
        bizTransactionList: transactions,
        ...handover(from, to),
        sensorElementList: [
          temperatureReadings(shipped, 15, [1.4, 1.6, 1.9, 2.0, 2.2, 2.1, 2.0], {
            deviceID: 'urn:epc:id:giai:0845123.TRL-114',
          }),
        ],
        'tr:fsmaCte': 'receiving',
      }),
    },
  ];
};

type Delivery = {
  store: Place;
  /** The truck's temperature logger. */
  logger: string;
  pallets: readonly number[];
  order: string;
  departs: string;
  readings: readonly number[];
};

// The Sacramento truck's refrigeration fails for an hour: 5.6–8.1 °C from 05:45 to 06:45.
const DELIVERIES: readonly Delivery[] = [
  {
    store: STORES.sanJose,
    logger: 'urn:epc:id:giai:0867412.RFR-21',
    pallets: [0, 2],
    order: 'HM-PO-88101',
    departs: '04:30',
    readings: [1.9, 2.2, 2.4, 2.5, 2.6],
  },
  {
    store: STORES.oakland,
    logger: 'urn:epc:id:giai:0867412.RFR-22',
    pallets: [1, 4],
    order: 'HM-PO-88102',
    departs: '04:45',
    readings: [2.0, 2.3, 2.4],
  },
  {
    store: STORES.sacramento,
    logger: 'urn:epc:id:giai:0867412.RFR-23',
    pallets: [3, 5],
    order: 'HM-PO-88103',
    departs: '05:00',
    readings: [2.1, 2.4, 3.9, 5.6, 6.8, 8.1, 7.4, 6.0, 4.3, 3.1, 2.6],
  },
];
const EXCURSION_ABOVE_CELSIUS = 5;

const toStores = (clock: DemoClock): DemoEvent[] => {
  const dc: Custody = { owner: DISTRIBUTOR.party, holder: DISTRIBUTOR.party, place: HAYWARD_DC };
  const legs = DELIVERIES.map((delivery, i) => {
    const departs = clock.at(5, delivery.departs, 'US Pacific');
    const store: Custody = {
      owner: RETAILER.party,
      holder: RETAILER.party,
      place: delivery.store,
    };
    return {
      delivery,
      departs,
      arrives: later(departs, 15 * (delivery.readings.length - 1) + 10),
      epcList: delivery.pallets.map((p) => PALLETS[p]!.unit.urn),
      store,
      transactions: [
        { type: 'po', bizTransaction: bt(RETAILER.party, delivery.order) },
        { type: 'desadv', bizTransaction: bt(DISTRIBUTOR.party, `ASN-GSF-3110${i + 1}`) },
      ],
    };
  });
  return [
    ...legs.map(({ departs, epcList, store, transactions }) => ({
      by: ORG.distributor,
      event: epcisEvent('ObjectEvent', later(departs, -10), {
        epcList,
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: at(HAYWARD_DC.sgln),
        bizTransactionList: transactions,
        ...handover(dc, store),
        'tr:fsmaCte': 'shipping',
      }),
    })),
    ...legs
      .map(({ delivery, departs, arrives, epcList, store, transactions }) => ({
        by: ORG.retailer,
        event: epcisEvent('ObjectEvent', arrives, {
          epcList,
          action: 'OBSERVE',
          bizStep: 'receiving',
          disposition: 'sellable_not_accessible',
          readPoint: at(delivery.store.sgln),
          bizLocation: at(delivery.store.sgln),
          bizTransactionList: transactions,
          ...handover(dc, store),
          sensorElementList: [
            temperatureReadings(departs, 15, delivery.readings, {
              deviceID: delivery.logger,
              alarmAbove: EXCURSION_ABOVE_CELSIUS,
            }),
          ],
          'tr:fsmaCte': 'receiving',
        }),
      }))
      .sort((a, b) => Date.parse(a.event.eventTime) - Date.parse(b.event.eventTime)),
  ];
};

// CBV 2.0 has no recall business step: the brand owner observes the lots with the disposition
// `recalled`, kept on them (persistentDisposition) until unset, citing the lab's test result.
const recall = (clock: DemoClock): DemoEvent => ({
  by: ORG.brandOwner,
  event: epcisEvent('ObjectEvent', clock.at(2, '10:30', 'US Pacific'), {
    epcList: [],
    action: 'OBSERVE',
    disposition: 'recalled',
    persistentDisposition: { set: ['recalled'] },
    readPoint: at(BRAND_OFFICE.sgln),
    quantityList: RECALLED_LOTS.map((lot) => ({ epcClass: CLAMSHELL.lgtin(lot) })),
    bizTransactionList: [
      { type: 'testres', bizTransaction: bt(BRAND_OWNER.party, 'LAB-CCF-240917') },
    ],
    'tr:recallReason': `Salmonella detected in a laboratory sample of field lot ${CONTAMINATED_FIELD_LOT}`,
  }),
});

const address = (street: string, city: string, postalCode: string) => ({
  street,
  city,
  region: 'CA',
  postalCode,
  countryCode: 'US',
});

/** Scenario 2 on the demo clock. */
export const strawberriesScenario = (clock: DemoClock): Scenario => {
  const harvestDate = localDate(clock.at(7, '09:00', 'US Pacific'));
  const packDate = localDate(clock.at(6, '09:00', 'US Pacific'));
  return {
    organizations: [
      { key: ORG.grower, name: 'Salinas Valley Berry Farms', gln: GROWER.party.pgln },
      { key: ORG.packer, name: 'Pacific Coast Packing Co.', gln: PACKER.party.pgln },
      { key: ORG.brandOwner, name: 'Sunrise Berries, Inc.', gln: BRAND_OWNER.party.pgln },
      {
        key: ORG.distributor,
        name: 'Golden State Fresh Distribution',
        gln: DISTRIBUTOR.party.pgln,
      },
      { key: ORG.retailer, name: 'Harvest Market Stores', gln: RETAILER.party.pgln },
    ],
    masterData: {
      parties: [
        {
          owner: ORG.grower,
          pgln: GROWER.party.pgln,
          name: 'Salinas Valley Berry Farms',
          contactUrl: 'https://salinas-berry-farms.example/',
        },
        {
          owner: ORG.packer,
          pgln: PACKER.party.pgln,
          name: 'Pacific Coast Packing Co.',
          contactUrl: 'https://pacific-coast-packing.example/',
        },
        {
          owner: ORG.brandOwner,
          pgln: BRAND_OWNER.party.pgln,
          name: 'Sunrise Berries, Inc.',
          contactUrl: 'https://sunrise-berries.example/recalls',
        },
        {
          owner: ORG.distributor,
          pgln: DISTRIBUTOR.party.pgln,
          name: 'Golden State Fresh Distribution',
          contactUrl: 'https://golden-state-fresh.example/',
        },
        {
          owner: ORG.retailer,
          pgln: RETAILER.party.pgln,
          name: 'Harvest Market Stores',
          contactUrl: 'https://harvest-market.example/',
        },
      ],
      locations: [
        {
          owner: ORG.grower,
          gln: RANCH.gln,
          name: 'Salinas Valley Berry Farms, Ranch 12',
          address: address('Old Stage Road', 'Salinas', '93908'),
          latitude: 36.65,
          longitude: -121.6,
          owningParty: GROWER.party.pgln,
        },
        {
          owner: ORG.grower,
          gln: COOLER.gln,
          name: 'Salinas Valley Berry Farms cooler',
          address: address('1200 Abbott Street', 'Salinas', '93901'),
          latitude: 36.68,
          longitude: -121.66,
          owningParty: GROWER.party.pgln,
        },
        {
          owner: ORG.packer,
          gln: PACKING_HOUSE.gln,
          name: 'Pacific Coast Packing, Watsonville packing house',
          address: address('410 Harvest Drive', 'Watsonville', '95076'),
          latitude: 36.91,
          longitude: -121.76,
          owningParty: PACKER.party.pgln,
        },
        {
          owner: ORG.brandOwner,
          gln: BRAND_OFFICE.gln,
          name: 'Sunrise Berries head office',
          address: address('88 Cannery Row', 'Monterey', '93940'),
          latitude: 36.61,
          longitude: -121.9,
          owningParty: BRAND_OWNER.party.pgln,
        },
        {
          owner: ORG.distributor,
          gln: HAYWARD_DC.gln,
          name: 'Golden State Fresh, Hayward distribution center',
          address: address('2500 Industrial Parkway West', 'Hayward', '94545'),
          latitude: 37.63,
          longitude: -122.1,
          owningParty: DISTRIBUTOR.party.pgln,
        },
        {
          owner: ORG.retailer,
          gln: STORES.sanJose.gln,
          name: 'Harvest Market #101, San Jose',
          address: address('455 South First Street', 'San Jose', '95113'),
          latitude: 37.33,
          longitude: -121.89,
          owningParty: RETAILER.party.pgln,
        },
        {
          owner: ORG.retailer,
          gln: STORES.oakland.gln,
          name: 'Harvest Market #102, Oakland',
          address: address('3100 Telegraph Avenue', 'Oakland', '94609'),
          latitude: 37.82,
          longitude: -122.26,
          owningParty: RETAILER.party.pgln,
        },
        {
          owner: ORG.retailer,
          gln: STORES.sacramento.gln,
          name: 'Harvest Market #103, Sacramento',
          address: address('1601 J Street', 'Sacramento', '95814'),
          latitude: 38.58,
          longitude: -121.48,
          owningParty: RETAILER.party.pgln,
        },
      ],
      products: [
        {
          owner: ORG.grower,
          gtin: FIELD_STRAWBERRIES.gtin,
          name: 'Strawberries, field run (bulk)',
          brand: 'Salinas Valley Berry Farms',
          description: 'Fresh strawberries as harvested, in field trays, for packing.',
          category: 'Fresh strawberries',
        },
        {
          owner: ORG.brandOwner,
          gtin: CLAMSHELL.gtin,
          name: 'Sunrise Berries Strawberries, 1 lb clamshell',
          brand: 'Sunrise Berries',
          description:
            'California strawberries, picked ripe and cooled within hours. 1 lb (454 g). Keep refrigerated.',
          category: 'Fresh strawberries',
        },
      ],
      lots: [
        ...FIELD_LOTS.map(({ lot, block }) => ({
          owner: ORG.grower,
          gtin: FIELD_STRAWBERRIES.gtin,
          lot,
          harvestDate,
          originCountry: 'US',
          description: `Ranch 12, block ${block}, Salinas, California`,
        })),
        ...PACKED_LOTS.map(({ lot, from }) => ({
          owner: ORG.brandOwner,
          gtin: CLAMSHELL.gtin,
          lot,
          harvestDate,
          productionDate: packDate,
          bestBefore: dateAfter(clock.at(6, '09:00', 'US Pacific'), 8),
          originCountry: 'US',
          description: `Packed in Watsonville, California from field lot ${from}`,
        })),
      ],
    },
    events: [
      ...harvestAndCool(clock),
      ...initialPacking(clock),
      ...toDistributor(clock),
      ...toStores(clock),
      recall(clock),
    ],
  };
};
