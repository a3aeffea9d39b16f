// The benchmark's capture documents: 100 typical events of a packing and shipping line, the same
// shape as bench/validation.mjs (80 ObjectEvents with EPCS SGTINs, a purchase order and
// source/destination parties; 10 AggregationEvents of an SSCC and 2 × EPCS SGTINs; 10
// ObjectEvents naming a Digital Link and a quantity of an LGTIN). No eventIDs: the service gives
// each its CBV 2.0 event hash ID, as for most producers. Serials are unique per `tag` and `d`.
export const EVENTS_PER_DOC = 100;

export const buildDocument = (tag, d, epcs = 5) => {
  const key = `${tag}-${d}`;
  const sgtin = (e, k) => `urn:epc:id:sgtin:4012345.011111.${key}-${e}-${k}`;
  const time = (e) =>
    new Date(Date.UTC(2026, 0, 1, 8, 0, 0, (d % 1_000_000) * 100 + e)).toISOString();
  const common = (e) => ({
    eventTime: time(e),
    eventTimeZoneOffset: '+01:00',
    readPoint: { id: `urn:epc:id:sgln:4012345.00001.${e % 7}` },
    bizLocation: { id: 'urn:epc:id:sgln:4012345.00001.0' },
  });
  const event = (e) => {
    if (e % 10 === 9) {
      return {
        type: 'AggregationEvent',
        ...common(e),
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        parentID: `urn:epc:id:sscc:4012345.${String((d * 100 + e) % 1e10).padStart(10, '0')}`,
        childEPCs: Array.from({ length: 2 * epcs }, (_, k) => sgtin(e, k)),
      };
    }
    if (e % 10 === 8) {
      return {
        type: 'ObjectEvent',
        ...common(e),
        action: 'OBSERVE',
        bizStep: 'inspecting',
        disposition: 'conformant',
        epcList: [`https://id.gs1.org/01/04012345111118/21/${key}-${e}`],
        quantityList: [
          { epcClass: `urn:epc:class:lgtin:4012345.011111.L${key}`, quantity: 12, uom: 'KGM' },
        ],
      };
    }
    return {
      type: 'ObjectEvent',
      ...common(e),
      action: 'OBSERVE',
      bizStep: e % 2 === 0 ? 'shipping' : 'receiving',
      disposition: e % 2 === 0 ? 'in_transit' : 'in_progress',
      epcList: Array.from({ length: epcs }, (_, k) => sgtin(e, k)),
      bizTransactionList: [
        { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:4012345000016:${key}` },
      ],
      sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00001' }],
      destinationList: [
        { type: 'owning_party', destination: 'https://id.gs1.org/417/4012345000023' },
      ],
    };
  };
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-01-01T09:00:00.000Z',
    epcisBody: { eventList: Array.from({ length: EVENTS_PER_DOC }, (_, e) => event(e)) },
  };
};

// ─── A realistic mix of private fields (issue 6 §6) ──────────────────────────────────────────

const checkDigit = (digits) => {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
};

/** The capturing organization of the privacy documents (company prefix 4012345) and its partner. */
export const PRIVACY_OWNER_GLN = `401234500000${checkDigit('401234500000')}`;
const OWNER_PGLN = 'urn:epc:id:pgln:4012345.00000';
const PARTNER_PGLN = 'urn:epc:id:pgln:4012345.00002';

const PEOPLE = [
  ['Ana Lima', '+351 21 555 0101'],
  ['Jonas Becker', '+49 30 555 0102'],
  ['Mei Chen', '+86 21 5555 0103'],
  ['Omar Haddad', '+971 4 555 0104'],
  ['Sofia Rossi', '+39 02 555 0105'],
];

/**
 * 100 events of one packing line with the private fields a real producer sends (issue 6 §6), in
 * 10 blocks of 10, each block one lot: 4 ObjectEvents ADD commissioning 5 SGTINs each (ILMD: the
 * lot number, public; the picker's name and phone, private), 2 AggregationEvents packing those 20
 * items onto 2 SSCCs, 2 shipping ObjectEvents of the SSCCs, an inspecting and a shipping
 * ObjectEvent of a quantity of the lot (LGTIN). Every event carries a purchase order
 * (`bizTransactionList`, private), the owner and the buyer as owning parties (public), an
 * `example:unitPrice` and an `example:contact` (private under the default policy). One
 * organization (GLN PRIVACY_OWNER_GLN) commissions, packs and ships its own items, so the
 * published rules find nothing to flag. Deterministic in (`tag`, `d`): runs that post the same
 * numbers post the same documents.
 */
export const buildPrivacyDocument = (tag, d, epcs = 5) => {
  const key = `${tag}-${d}`;
  const sgtin = (b, i, k) => `urn:epc:id:sgtin:4012345.011111.${key}-${b}${i}-${k}`;
  const sscc = (b, j) =>
    `urn:epc:id:sscc:4012345.${String((d * 20 + b * 2 + j) % 1e10).padStart(10, '0')}`;
  const lot = (b) => `L${key}-${b}`;
  const lgtin = (b) => `urn:epc:class:lgtin:4012345.011111.${lot(b)}`;
  const event = (e) => {
    const b = Math.floor(e / 10);
    const i = e % 10;
    const [picker, phone] = PEOPLE[(d + e) % PEOPLE.length];
    const common = {
      eventTime: new Date(Date.UTC(2026, 0, 1, 8, 0, 0, (d % 1_000_000) * 100 + e)).toISOString(),
      eventTimeZoneOffset: '+01:00',
      readPoint: { id: `urn:epc:id:sgln:4012345.00001.${i}` },
      bizLocation: { id: 'urn:epc:id:sgln:4012345.00001.0' },
    };
    const commercial = {
      bizTransactionList: [
        {
          type: 'po',
          bizTransaction: `urn:epcglobal:cbv:bt:${PRIVACY_OWNER_GLN}:PO-${key}-${b}`,
        },
      ],
      sourceList: [{ type: 'owning_party', source: OWNER_PGLN }],
      destinationList: [{ type: 'owning_party', destination: PARTNER_PGLN }],
      'example:unitPrice': { 'example:amount': 3 + ((d + e) % 40) / 8, 'example:currency': 'EUR' },
      'example:contact': {
        'example:email': `dispatch+${b}@example.com`,
        'example:phone': '+49 30 555 0199',
      },
    };
    if (i < 4) {
      return {
        type: 'ObjectEvent',
        ...common,
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        epcList: Array.from({ length: epcs }, (_, k) => sgtin(b, i, k)),
        ...commercial,
        ilmd: {
          'cbvmda:lotNumber': lot(b),
          'cbvmda:itemExpirationDate': '2026-12-31',
          'example:pickerName': picker,
          'example:pickerPhone': phone,
        },
      };
    }
    if (i < 6) {
      const j = i - 4;
      return {
        type: 'AggregationEvent',
        ...common,
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        parentID: sscc(b, j),
        childEPCs: [2 * j, 2 * j + 1].flatMap((c) =>
          Array.from({ length: epcs }, (_, k) => sgtin(b, c, k)),
        ),
        ...commercial,
      };
    }
    if (i < 8) {
      return {
        type: 'ObjectEvent',
        ...common,
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        epcList: [sscc(b, i - 6)],
        ...commercial,
      };
    }
    return {
      type: 'ObjectEvent',
      ...common,
      action: 'OBSERVE',
      bizStep: i === 8 ? 'inspecting' : 'shipping',
      disposition: i === 8 ? 'conformant' : 'in_transit',
      quantityList: [{ epcClass: lgtin(b), quantity: 12, uom: 'KGM' }],
      ...commercial,
    };
  };
  return {
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { example: 'https://example.com/traceroot-bench/' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-01-01T09:00:00.000Z',
    epcisBody: { eventList: Array.from({ length: EVENTS_PER_DOC }, (_, e) => event(e)) },
  };
};
