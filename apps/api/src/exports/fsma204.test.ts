// The EPCIS → FSMA 204 mapping (fsma204.ts) on a hand-written chain: a harvest, cooling with
// readings, initial packing into a new lot, packing on a pallet, shipping the pallet, and a
// receiving not yet sealed. Expected rows are written out from the chain, not computed.
import { describe, expect, it } from '@jest/globals';

import { cteOf, fsma204Rows, type LedgerEvent, traceabilityLotCode, UNSEALED } from './fsma204.js';

const FIELD_LOT = 'https://id.gs1.org/01/00614141200016/10/F-1';
const OTHER_FIELD_LOT = 'https://id.gs1.org/01/00614141200016/10/F-2';
const PACKED_LOT = 'https://id.gs1.org/01/00778899100162/10/P-7';
const PALLET = 'urn:epc:id:sscc:0845123.0000410104';
const RANCH = 'urn:epc:id:sgln:0614141.00012.0';
const COOLER = 'urn:epc:id:sgln:0614141.00029.0';
const PACKER = 'urn:epc:id:sgln:0845123.00015.0';
const DC = 'urn:epc:id:sgln:0867412.00013.0';

let leaf = 0;
const event = (fields: Record<string, unknown>): LedgerEvent => ({
  eventID: `urn:uuid:00000000-0000-4000-8000-${String(leaf + 1).padStart(12, '0')}`,
  eventTimeZoneOffset: '-08:00',
  ledger: { leafIndex: leaf++ },
  ...fields,
});

const EVENTS: LedgerEvent[] = [
  event({
    type: 'ObjectEvent',
    eventTime: '2026-05-01T09:40:00.000-08:00',
    action: 'ADD',
    bizStep: 'commissioning',
    bizLocation: { id: RANCH },
    epcList: [],
    quantityList: [
      { epcClass: 'urn:epc:class:lgtin:0614141.020001.F-1', quantity: 2010, uom: 'LBR' },
    ],
    ilmd: { 'cbvmda:harvestStartDate': '2026-05-01', 'tr:field': 'Block B1' },
  }),
  event({
    type: 'ObjectEvent',
    eventTime: '2026-05-01T14:40:00.000-08:00',
    action: 'OBSERVE',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-storing',
    bizLocation: { id: COOLER },
    epcList: [],
    quantityList: [
      { epcClass: FIELD_LOT, quantity: 2010, uom: 'LBR' },
      { epcClass: OTHER_FIELD_LOT, quantity: 500, uom: 'LBR' },
    ],
    sensorElementList: [{ sensorReport: [{ type: 'gs1:Temperature', value: 2.9, uom: 'CEL' }] }],
  }),
  event({
    type: 'TransformationEvent',
    eventTime: '2026-05-02T06:10:00.000-08:00',
    bizStep: 'commissioning',
    bizLocation: { id: PACKER },
    inputQuantityList: [{ epcClass: FIELD_LOT, quantity: 2010, uom: 'LBR' }],
    outputQuantityList: [{ epcClass: PACKED_LOT, quantity: 1920 }],
    ilmd: { 'cbvmda:harvestStartDate': '2026-05-01' },
  }),
  event({
    type: 'AggregationEvent',
    eventTime: '2026-05-02T10:30:00.000-08:00',
    action: 'ADD',
    bizStep: 'packing',
    parentID: PALLET,
    childEPCs: [],
    childQuantityList: [{ epcClass: PACKED_LOT, quantity: 960 }],
    bizLocation: { id: PACKER },
  }),
  event({
    type: 'ObjectEvent',
    eventTime: '2026-05-02T13:00:00.000-08:00',
    action: 'OBSERVE',
    bizStep: 'shipping',
    readPoint: { id: PACKER },
    epcList: [PALLET],
    bizTransactionList: [
      { type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0867412000134:PO-1' },
      { type: 'cbv:BTT-desadv', bizTransaction: 'urn:epcglobal:cbv:bt:0845123000159:ASN-9' },
    ],
    sourceList: [{ type: 'location', source: PACKER }],
    destinationList: [{ type: 'location', destination: DC }],
  }),
  event({
    type: 'ObjectEvent',
    eventTime: '2026-05-02T14:45:00.000-08:00',
    action: 'OBSERVE',
    bizStep: 'receiving',
    bizLocation: { id: DC },
    epcList: [PALLET],
    sourceList: [{ type: 'location', source: PACKER }],
    destinationList: [{ type: 'location', destination: DC }],
  }),
  // A recall: no CTE.
  event({
    type: 'ObjectEvent',
    eventTime: '2026-05-05T10:00:00.000-08:00',
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'recalled',
    persistentDisposition: { set: ['recalled'] },
    epcList: [],
    quantityList: [{ epcClass: PACKED_LOT }],
  }),
];

const MASTER: Record<string, Record<string, unknown>> = {
  'https://id.gs1.org/01/00778899100162': { name: 'Strawberries, 1 lb clamshell' },
  'https://id.gs1.org/414/0845123000151': {
    name: 'Packing house',
    address: {
      street: '410 Harvest Drive',
      city: 'Watsonville',
      region: 'CA',
      postalCode: '95076',
      countryCode: 'US',
    },
  },
};

const rows = fsma204Rows({
  events: [...EVENTS].reverse(), // any order in, time order out
  lots: new Set([FIELD_LOT, PACKED_LOT]),
  eventHashIdOf: (e) => `hash-of-${String(e.eventID)}`,
  treeSize: 5, // leaves 0–4 sealed; 5 (the receiving) and 6 are not
  describe: (id) => MASTER[id],
});

describe('fsma204Rows', () => {
  it('makes one row per CTE and lot in scope, in time order, and none for non-CTE events', () => {
    expect(rows.map((r) => [r['Critical Tracking Event'], r['Traceability Lot Code']])).toEqual([
      ['harvesting', '(01)00614141200016(10)F-1'],
      ['cooling', '(01)00614141200016(10)F-1'], // F-2 is named too, but not in scope
      ['initial_packing', '(01)00778899100162(10)P-7'],
      ['shipping', '(01)00778899100162(10)P-7'], // through the pallet it is on
      ['receiving', '(01)00778899100162(10)P-7'],
    ]);
  });

  it('fills the KDEs: quantity and unit, local date, location, TLC source, inputs, field', () => {
    const [harvest, , packing, shipping, receiving] = rows;
    expect(harvest).toMatchObject({
      Quantity: '2010',
      'Unit of Measure': 'LBR',
      'Event Date': '2026-05-01',
      'Location GLN': '0614141000128',
      'Harvest Date': '2026-05-01',
      'Field or Growing Area': 'Block B1',
      'Traceability Lot Code Source GLN': '0614141000128',
    });
    expect(packing).toMatchObject({
      GTIN: '00778899100162',
      Lot: 'P-7',
      'Product Description': 'Strawberries, 1 lb clamshell',
      Quantity: '1920',
      'Unit of Measure': 'EA',
      'Input Traceability Lot Codes': '(01)00614141200016(10)F-1 2010 LBR',
      'Location Description': 'Packing house, 410 Harvest Drive, Watsonville, CA 95076, US',
      'Traceability Lot Code Source': 'Packing house, 410 Harvest Drive, Watsonville, CA 95076, US',
    });
    expect(shipping).toMatchObject({
      Quantity: '960',
      'Unit of Measure': 'EA',
      'Containers (SSCC)': '008451230004101045',
      'Ship-From Location': 'Packing house, 410 Harvest Drive, Watsonville, CA 95076, US',
      'Ship-To Location': 'https://id.gs1.org/414/0867412000130',
      'Reference Document Type': 'Purchase Order; Advance Ship Notice',
      'Reference Document Number': 'PO-1; ASN-9',
    });
    expect(receiving!['Location GLN']).toBe('0867412000130');
  });

  it('carries eventID, event hash ID and leaf index; marks rows no checkpoint covers', () => {
    for (const row of rows) {
      expect(row['Event Hash ID']).toBe(`hash-of-${row.eventID}`);
      const source = EVENTS.find((e) => e.eventID === row.eventID)!;
      expect(row['Leaf Index']).toBe(String(source.ledger.leafIndex));
    }
    expect(rows.map((r) => r['Sealed by Checkpoint (tree size)'])).toEqual([
      '5',
      '5',
      '5',
      '5',
      UNSEALED,
    ]);
  });
});

describe('cteOf', () => {
  it('derives the CTE from the EPCIS fields, and takes a declared one EPCIS cannot express', () => {
    const receiving = { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving' };
    expect(cteOf(receiving, new Set())).toBe('receiving');
    expect(cteOf({ ...receiving, 'gs1us:fsmaCte': 'first_land_based_receiving' }, new Set())).toBe(
      'first_land_based_receiving',
    );
    // Storing without temperature data is not cooling; a declared CTE does not turn it into one
    // unless EPCIS cannot say it.
    expect(cteOf({ type: 'ObjectEvent', bizStep: 'storing' }, new Set())).toBeUndefined();
    const transformation = {
      type: 'TransformationEvent',
      inputQuantityList: [{ epcClass: PACKED_LOT, quantity: 1 }],
    };
    expect(cteOf(transformation, new Set())).toBe('transformation');
    expect(cteOf(transformation, new Set([PACKED_LOT]))).toBe('initial_packing');
    expect(cteOf({ type: 'AggregationEvent', bizStep: 'packing' }, new Set())).toBeUndefined();
  });

  it('writes the traceability lot code as a GS1 element string', () => {
    expect(traceabilityLotCode('https://id.gs1.org/01/00778899100162/10/A%2FB')).toBe(
      '(01)00778899100162(10)A/B',
    );
  });
});
