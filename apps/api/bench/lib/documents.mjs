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
