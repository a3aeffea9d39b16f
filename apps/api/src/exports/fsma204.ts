// The FDA FSMA 204 electronic sortable spreadsheet from EPCIS events (docs/specs/fsma204.md):
// which events are Critical Tracking Events (CTEs), and their Key Data Elements (KDEs), one row per
// CTE and traceability lot. Pure: the events, their ledger positions and the master data are
// parameters, so the mapping is tested without a database.
import { indexedForm } from '../events/indexed-identifier.js';
import { cbvWord, list, record, text } from '../events/event-json.js';

export const CTES = [
  'harvesting',
  'cooling',
  'initial_packing',
  'first_land_based_receiving',
  'shipping',
  'receiving',
  'transformation',
] as const;
export type Cte = (typeof CTES)[number];

/** The spreadsheet's columns, in order (header row). */
export const FSMA204_COLUMNS = [
  'Critical Tracking Event',
  'Traceability Lot Code',
  'GTIN',
  'Lot',
  'Product Description',
  'Quantity',
  'Unit of Measure',
  'Event Date',
  'Event Time',
  'Location Description',
  'Location GLN',
  'Ship-From Location',
  'Ship-To Location',
  'Traceability Lot Code Source',
  'Traceability Lot Code Source GLN',
  'Input Traceability Lot Codes',
  'Harvest Date',
  'Field or Growing Area',
  'Containers (SSCC)',
  'Reference Document Type',
  'Reference Document Number',
  'eventID',
  'Event Hash ID',
  'Leaf Index',
  'Sealed by Checkpoint (tree size)',
] as const;
export type Fsma204Column = (typeof FSMA204_COLUMNS)[number];
export type Fsma204Row = Record<Fsma204Column, string>;

/** Said in the last column of a row whose event no signed checkpoint covers yet. */
export const UNSEALED = 'UNSEALED';

/** An event as the trace serves it: its committed fields and its place in the log. */
export type LedgerEvent = Record<string, unknown> & { ledger: { leafIndex: number } };

/** Master data attributes (the latest version) of a canonical Digital Link, if any. */
export type Describe = (id: string) => Record<string, unknown> | undefined;

export type MappingInput = {
  /** The events, any order (rows come out by event time, then leaf index). */
  events: readonly LedgerEvent[];
  /** The traceability lots in scope (canonical Digital Links /01/{gtin}/10/{lot}). */
  lots: ReadonlySet<string>;
  /** The CBV 2.0 event hash ID of an event. */
  eventHashIdOf: (event: LedgerEvent) => string;
  /** The tree size of the checkpoint the rows' proofs are at, or null: nothing sealed. */
  treeSize: number | null;
  describe: Describe;
};

/** A user extension field by its local name (`tr:fsmaCte`, `https://…/fsmaCte`, …). */
const extension = (fields: Record<string, unknown>, local: string): unknown => {
  const key = Object.keys(fields).find((k) => new RegExp(`(^|[:/#])${local}$`).test(k));
  return key === undefined ? undefined : fields[key];
};

const LOT_DL = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?#]+)$/;
const INSTANCE_DL = /^(https:\/\/id\.gs1\.org\/01\/\d{14})\/21\/[^/?#]+$/;
const SSCC_DL = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/;
const GLN_DL = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})/;

/** GTIN and lot of a lot's Digital Link. */
export const lotParts = (lot: string): { gtin: string; lot: string } | undefined => {
  const match = LOT_DL.exec(lot);
  return match ? { gtin: match[1]!, lot: decodeURIComponent(match[2]!) } : undefined;
};

/** The traceability lot code as GS1 US recommends it: GTIN + batch/lot, as a GS1 element string. */
export const traceabilityLotCode = (lot: string): string => {
  const parts = lotParts(lot);
  return parts ? `(01)${parts.gtin}(10)${parts.lot}` : lot;
};

const ILMD_LOT_KEYS = ['cbvmda:lotNumber', 'lotNumber', 'urn:epcglobal:cbv:mda#lotNumber'];
const HARVEST_KEYS = ['harvestStartDate', 'harvestEndDate', 'harvestDate'];
const FIELD_KEYS = ['field', 'fieldName', 'growingArea', 'fieldLot'];

type Quantity = { lot: string; quantity: number | undefined; uom: string | undefined };

const quantities = (value: unknown): Quantity[] =>
  list(value).flatMap((entry) => {
    const q = record(entry);
    const epcClass = text(q.epcClass);
    if (epcClass === undefined) return [];
    return [
      {
        lot: indexedForm(epcClass),
        quantity: typeof q.quantity === 'number' ? q.quantity : undefined,
        uom: text(q.uom),
      },
    ];
  });

const ids = (value: unknown): string[] =>
  list(value)
    .map(text)
    .filter((v): v is string => v !== undefined)
    .map(indexedForm);

const isTemperature = (sensor: unknown): boolean =>
  list(record(sensor).sensorReport).some((r) => /Temperature$/.test(String(record(r).type)));

/**
 * The CTE an event is (docs/specs/fsma204.md, "CTE ← EPCIS"), or undefined: derived from its
 * type, action, bizStep, ILMD and sensor data; a declared `…:fsmaCte` extension names the CTEs
 * EPCIS cannot express (first land-based receiving) and breaks no derived one.
 */
export const cteOf = (
  event: Record<string, unknown>,
  harvestedLots: ReadonlySet<string>,
): Cte | undefined => {
  const step = cbvWord(event.bizStep);
  const declared = text(extension(event, 'fsmaCte'));
  const declaredCte = CTES.find((c) => c === declared);
  if (event.type === 'TransformationEvent') {
    const inputs = quantities(event.inputQuantityList).map((q) => q.lot);
    return inputs.some((lot) => harvestedLots.has(lot)) && step !== 'repackaging'
      ? 'initial_packing'
      : declaredCte === 'initial_packing'
        ? 'initial_packing'
        : 'transformation';
  }
  if (event.type !== 'ObjectEvent') return undefined;
  const ilmd = record(event.ilmd);
  if (
    event.action === 'ADD' &&
    step === 'commissioning' &&
    Object.keys(ilmd).some((k) => HARVEST_KEYS.some((h) => k.endsWith(h)))
  ) {
    return 'harvesting';
  }
  if (step === 'storing' && list(event.sensorElementList).some(isTemperature)) return 'cooling';
  if (step === 'shipping') return 'shipping';
  if (step === 'receiving' || step === 'arriving') {
    return declaredCte === 'first_land_based_receiving' ? declaredCte : 'receiving';
  }
  return declaredCte;
};

/** Business transaction types (CBV 2.0 BTT) as FSMA reference document types. */
const DOCUMENT_TYPES: Record<string, string> = {
  po: 'Purchase Order',
  poc: 'Purchase Order Confirmation',
  bol: 'Bill of Lading',
  desadv: 'Advance Ship Notice',
  inv: 'Invoice',
  recadv: 'Receiving Advice',
  prodorder: 'Production Order',
  rma: 'Return Merchandise Authorization',
  cert: 'Certificate',
  testres: 'Test Result',
  testprd: 'Test Procedure',
  pedigree: 'Pedigree',
  upevt: 'Upstream EPCIS Event',
};

/** `urn:epcglobal:cbv:bt:{gln}:{number}` → number; anything else as written. */
const documentNumber = (id: string): string => {
  const match = /^urn:epcglobal:cbv:bt:\d{13}:(.+)$/.exec(id);
  return match ? match[1]! : id;
};

const glnOf = (id: string | undefined): string =>
  id === undefined ? '' : (GLN_DL.exec(indexedForm(id))?.[1] ?? '');

/** A location's FSMA "location description": name and address from master data, else its id. */
export const describeLocation = (id: string | undefined, describe: Describe): string => {
  if (id === undefined) return '';
  const canonical = indexedForm(id);
  const attributes = describe(canonical);
  if (!attributes) return canonical;
  const address = record(attributes.address);
  const cityLine = [text(address.region), text(address.postalCode)].filter(Boolean).join(' ');
  return [
    text(attributes.name),
    text(address.street),
    text(address.city),
    cityLine || undefined,
    text(address.countryCode),
  ]
    .filter(Boolean)
    .join(', ');
};

const sdt = (entries: unknown, key: 'source' | 'destination', type: string): string | undefined =>
  list(entries)
    .map(record)
    .filter((e) => cbvWord(e.type) === type)
    .map((e) => text(e[key]))
    .find((v) => v !== undefined);

/** The local date of an instant in its event's offset (FSMA dates are local). */
const localDate = (iso: string, offset: string | undefined): string => {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset ?? '');
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : new Date(t + minutes * 60_000).toISOString().slice(0, 10);
};

const formatQuantity = (q: number | undefined): string => (q === undefined ? '' : String(q));
/** EPCIS: a quantity without uom counts items (UN/ECE Rec 20 `EA`, each). */
const formatUom = (uom: string | undefined, quantity: number | undefined): string =>
  uom ?? (quantity === undefined ? '' : 'EA');

type Contents = { time: number; lots: Quantity[] };

/**
 * What each container held (AggregationEvent ADD of its childQuantityList / childEPCs), by time:
 * a shipment of a pallet is a shipment of the lots on it.
 */
const containerContents = (
  events: readonly LedgerEvent[],
  lotOfInstance: ReadonlyMap<string, string>,
): ((container: string, at: number) => Quantity[]) => {
  const packed = new Map<string, Contents[]>();
  const sorted = [...events].sort(
    (a, b) => Date.parse(String(a.eventTime)) - Date.parse(String(b.eventTime)),
  );
  for (const event of sorted) {
    if (event.type !== 'AggregationEvent') continue;
    const parent = text(event.parentID);
    if (parent === undefined) continue;
    const key = indexedForm(parent);
    const time = Date.parse(String(event.eventTime));
    const history = packed.get(key) ?? [];
    if (event.action === 'ADD') {
      const instances = new Map<string, number>();
      for (const child of ids(event.childEPCs)) {
        const lot = lotOfInstance.get(child);
        if (lot !== undefined) instances.set(lot, (instances.get(lot) ?? 0) + 1);
      }
      const previous = history.at(-1)?.lots ?? [];
      history.push({
        time,
        lots: [
          ...previous,
          ...quantities(event.childQuantityList),
          ...[...instances].map(([lot, n]) => ({ lot, quantity: n, uom: undefined })),
        ],
      });
    } else if (event.action === 'DELETE') {
      history.push({ time, lots: [] });
    }
    packed.set(key, history);
  }
  return (container, at) => {
    const history = packed.get(container) ?? [];
    let lots: Quantity[] = [];
    for (const entry of history) if (entry.time <= at) lots = entry.lots;
    return lots;
  };
};

/** The lot of each serialised instance, from the ILMD of the event that commissioned it. */
const instanceLots = (events: readonly LedgerEvent[]): Map<string, string> => {
  const lots = new Map<string, string>();
  for (const event of events) {
    const ilmd = record(event.ilmd);
    const lot = ILMD_LOT_KEYS.map((k) => text(ilmd[k])).find((v) => v !== undefined);
    if (lot === undefined) continue;
    const made =
      event.type === 'TransformationEvent'
        ? ids(event.outputEPCList)
        : event.action === 'ADD'
          ? ids(event.epcList)
          : [];
    for (const instance of made) {
      const match = INSTANCE_DL.exec(instance);
      if (match) lots.set(instance, `${match[1]}/10/${encodeURIComponent(lot)}`);
    }
  }
  return lots;
};

/** The lots an event names with their quantities: directly, in its containers, or by instance. */
const lotsNamed = (
  event: LedgerEvent,
  contentsOf: (container: string, at: number) => Quantity[],
  lotOfInstance: ReadonlyMap<string, string>,
): { lots: Quantity[]; containers: Map<string, string[]> } => {
  const time = Date.parse(String(event.eventTime));
  const direct = quantities(event.quantityList);
  const containers = new Map<string, string[]>();
  const fromContainers: Quantity[] = [];
  const counted = new Map<string, number>();
  for (const epc of ids(event.epcList)) {
    const sscc = SSCC_DL.exec(epc);
    if (sscc) {
      for (const q of contentsOf(epc, time)) {
        fromContainers.push(q);
        containers.set(q.lot, [...(containers.get(q.lot) ?? []), sscc[1]!]);
      }
      continue;
    }
    const lot = lotOfInstance.get(epc);
    if (lot !== undefined) counted.set(lot, (counted.get(lot) ?? 0) + 1);
  }
  // One quantity per lot: what the event says of the lot, summed over its containers.
  const merged = new Map<string, Quantity>();
  for (const q of [
    ...direct,
    ...fromContainers,
    ...[...counted].map(([lot, n]) => ({ lot, quantity: n, uom: undefined })),
  ]) {
    const old = merged.get(q.lot);
    if (old === undefined) merged.set(q.lot, { ...q });
    else if (old.uom === q.uom && old.quantity !== undefined && q.quantity !== undefined) {
      old.quantity += q.quantity;
    }
  }
  return { lots: [...merged.values()], containers };
};

/** Where each lot got its traceability lot code: the location of the event that created it. */
const lotSources = (events: readonly LedgerEvent[]): Map<string, string> => {
  const sources = new Map<string, string>();
  const sorted = [...events].sort(
    (a, b) => Date.parse(String(a.eventTime)) - Date.parse(String(b.eventTime)),
  );
  for (const event of sorted) {
    const created =
      event.type === 'TransformationEvent'
        ? quantities(event.outputQuantityList)
        : event.type === 'ObjectEvent' && event.action === 'ADD'
          ? quantities(event.quantityList)
          : [];
    const place = text(record(event.bizLocation).id) ?? text(record(event.readPoint).id);
    if (place === undefined) continue;
    for (const { lot } of created) if (!sources.has(lot)) sources.set(lot, place);
  }
  return sources;
};

/** The rows of the sortable spreadsheet: one per CTE and traceability lot in scope. */
export const fsma204Rows = (input: MappingInput): Fsma204Row[] => {
  const events = [...input.events].sort(
    (a, b) =>
      Date.parse(String(a.eventTime)) - Date.parse(String(b.eventTime)) ||
      a.ledger.leafIndex - b.ledger.leafIndex,
  );
  const lotOfInstance = instanceLots(events);
  const contentsOf = containerContents(events, lotOfInstance);
  const sources = lotSources(events);
  const harvested = new Set<string>();
  for (const event of events) {
    if (cteOf(event, harvested) === 'harvesting') {
      for (const q of quantities(event.quantityList)) harvested.add(q.lot);
    }
  }
  const rows: Fsma204Row[] = [];
  for (const event of events) {
    const cte = cteOf(event, harvested);
    if (cte === undefined) continue;
    const eventTime = String(event.eventTime);
    const offset = text(event.eventTimeZoneOffset);
    const ilmd = record(event.ilmd);
    const transactions = list(event.bizTransactionList).map(record);
    const readPoint = text(record(event.readPoint).id);
    const bizLocation = text(record(event.bizLocation).id);
    const shipFrom = sdt(event.sourceList, 'source', 'location');
    const shipTo = sdt(event.destinationList, 'destination', 'location');
    // Where the CTE happened: a shipment where it left from, anything else where it took place.
    const place =
      cte === 'shipping' ? (shipFrom ?? readPoint ?? bizLocation) : (bizLocation ?? readPoint);
    const inputs = quantities(event.inputQuantityList);
    const { lots, containers } =
      event.type === 'TransformationEvent'
        ? { lots: quantities(event.outputQuantityList), containers: new Map<string, string[]>() }
        : lotsNamed(event, contentsOf, lotOfInstance);
    const harvestDate = HARVEST_KEYS.map((h) =>
      text(Object.entries(ilmd).find(([k]) => k.endsWith(h))?.[1]),
    ).find((v) => v !== undefined);
    const field = FIELD_KEYS.map((f) => text(extension(ilmd, f))).find((v) => v !== undefined);
    for (const q of lots) {
      if (!input.lots.has(q.lot)) continue;
      const parts = lotParts(q.lot);
      const product = parts ? input.describe(`https://id.gs1.org/01/${parts.gtin}`) : undefined;
      const source = sources.get(q.lot);
      const leafIndex = event.ledger.leafIndex;
      rows.push({
        'Critical Tracking Event': cte,
        'Traceability Lot Code': traceabilityLotCode(q.lot),
        GTIN: parts?.gtin ?? '',
        Lot: parts?.lot ?? '',
        'Product Description':
          text(product?.name) ??
          text(product?.description) ??
          (parts ? `GTIN ${parts.gtin}` : q.lot),
        Quantity: formatQuantity(q.quantity),
        'Unit of Measure': formatUom(q.uom, q.quantity),
        'Event Date': localDate(eventTime, offset),
        'Event Time': eventTime,
        'Location Description': describeLocation(place, input.describe),
        'Location GLN': glnOf(place),
        'Ship-From Location': describeLocation(shipFrom, input.describe),
        'Ship-To Location': describeLocation(shipTo, input.describe),
        'Traceability Lot Code Source': describeLocation(source, input.describe),
        'Traceability Lot Code Source GLN': glnOf(source),
        'Input Traceability Lot Codes': inputs
          .map((i) =>
            [traceabilityLotCode(i.lot), formatQuantity(i.quantity), formatUom(i.uom, i.quantity)]
              .filter(Boolean)
              .join(' '),
          )
          .join('; '),
        'Harvest Date':
          cte === 'harvesting' || cte === 'initial_packing' ? (harvestDate ?? '') : '',
        'Field or Growing Area': cte === 'harvesting' ? (field ?? '') : '',
        'Containers (SSCC)': (containers.get(q.lot) ?? []).join('; '),
        'Reference Document Type': transactions
          .map((t) => DOCUMENT_TYPES[cbvWord(t.type) ?? ''] ?? text(t.type) ?? '')
          .join('; '),
        'Reference Document Number': transactions
          .map((t) => documentNumber(text(t.bizTransaction) ?? ''))
          .join('; '),
        eventID: String(event.eventID),
        'Event Hash ID': input.eventHashIdOf(event),
        'Leaf Index': String(leafIndex),
        'Sealed by Checkpoint (tree size)':
          input.treeSize !== null && leafIndex < input.treeSize ? String(input.treeSize) : UNSEALED,
      });
    }
  }
  return rows;
};
