import { assembleEvent, GS1_DIGITAL_LINK_BASE } from '@traceroot/trace';

import type { Locale } from '../i18n/locale';
import type { ApiEvent, ApiTrace, MasterRecord, RuleFlag } from './api-types';

/** One step of the journey, ready to show. */
export type Step = {
  eventID: string;
  leafIndex: number;
  /** A key of Messages.steps. */
  kind: string;
  /** The instant (ISO) and the local time where it happened, formatted for the reader. */
  time: string;
  localTime: string;
  place?: string;
  from?: string;
  to?: string;
  parties: string[];
  /** Instance or lot master data the event recorded (ILMD), as label → value. */
  details: [string, string][];
  /** How many of the event's details this reader may not see (0: all shown). */
  withheld: number;
  /** Whether some of its details were erased at the owner's request. */
  erased: boolean;
  /** The published rules it broke (accepted with a warning). */
  flags: RuleFlag[];
};

export type SensorPoint = { time: number; value: number; flagged: boolean };
export type SensorSeries = { type: string; unit: string; limit?: number; points: SensorPoint[] };

export type Story = {
  path: string;
  product: {
    gtin: string;
    lot?: string;
    serial?: string;
    name?: string;
    brand?: string;
    description?: string;
    imageUrl?: string;
    category?: string;
  };
  lot: [string, string][];
  recall?: { time: string; localTime: string };
  /** The code names one lot, but the records make this serialised item out of another. */
  lotMismatch?: { claimed: string; actual: string };
  origin?: Step & { who?: string };
  steps: Step[];
  certificates: string[];
  sensors: SensorSeries[];
  truncated: boolean;
};

/** The highest temperature (°C) of a fresh-produce cold chain; above it a reading is flagged. */
export const COLD_CHAIN_LIMIT_CEL = 5;

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `shipping` from `shipping`, `cbv:BizStep-shipping`, the CBV web URI or the EPCIS 1.x URN. */
export const cbvWord = (value: unknown): string | undefined => {
  const v = text(value);
  if (!v) return undefined;
  const m = /(?:BizStep-|Disp-|bizstep:|disp:)([a-z_]+)$/.exec(v);
  return m ? m[1] : /^[a-z_]+$/.test(v) ? v : undefined;
};

const isRecallSet = (event: ApiEvent, key: 'set' | 'unset'): boolean =>
  list(record(event.persistentDisposition)[key]).some((d) => cbvWord(d) === 'recalled');

/**
 * The event that recalled something on this trace and still holds: the persistent disposition
 * `recalled` is set and unset per identifier (CBV 2.0), so a later `unset` lifts only the recall of
 * the identifiers it names (`namedBy` gives them, from the trace's edges). Events in time order.
 */
export const activeRecall = (
  events: readonly ApiEvent[],
  namedBy: (event: ApiEvent) => readonly string[],
): ApiEvent | undefined => {
  const recalled = new Map<string, ApiEvent>();
  for (const event of events) {
    const ids = namedBy(event);
    if (isRecallSet(event, 'set')) for (const id of ids) recalled.set(id, event);
    else if (isRecallSet(event, 'unset')) for (const id of ids) recalled.delete(id);
  }
  let latest: ApiEvent | undefined;
  for (const event of recalled.values()) {
    if (!latest || Date.parse(event.eventTime) > Date.parse(latest.eventTime)) latest = event;
  }
  return latest;
};

/** The identifiers each event names, from a trace's edges (inputs and outputs). */
export const identifiersByEvent = (trace: Pick<ApiTrace, 'edges'>) => {
  const byId = new Map(
    trace.edges.map((e) => [e.eventID, [...new Set([...e.inputs, ...e.outputs])]]),
  );
  return (event: ApiEvent): readonly string[] => byId.get(event.eventID) ?? [];
};

/** An instant in the local time of its offset ('+08:00'), e.g. "12 Apr 2026, 09:00 (UTC+08:00)". */
export const formatLocalTime = (iso: string, offset: string, locale: Locale): string => {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(Date.parse(iso) + minutes * 60_000);
  const formatted = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(local);
  return `${formatted} (UTC${m ? offset : '+00:00'})`;
};

/** The attributes of the version of `id` valid at `at` (ms): the latest not after it, else the first. */
export const versionAt = (
  records: ReadonlyMap<string, MasterRecord>,
  id: string | undefined,
  at: number,
): Record<string, unknown> | undefined => {
  const found = id === undefined ? undefined : records.get(id);
  if (!found || found.versions.length === 0) return undefined;
  // Same validFrom: the later version (a correction) wins, as the API decides.
  const sorted = [...found.versions].sort(
    (a, b) => Date.parse(a.validFrom) - Date.parse(b.validFrom) || a.version - b.version,
  );
  const valid = sorted.filter((v) => Date.parse(v.validFrom) <= at).at(-1) ?? sorted[0]!;
  return valid.attributes;
};

/** A record's name in the reader's language (`names[locale]`, then `name`). */
export const nameIn = (
  attributes: Record<string, unknown> | undefined,
  locale: Locale,
): string | undefined =>
  attributes ? (text(record(attributes.names)[locale]) ?? text(attributes.name)) : undefined;

/** EPC URIs and Digital Links of the places and parties events name → the master data key. */
export type Canonicalize = (id: string) => string;

/** Names of the lot and ILMD attributes producers commonly record (CBV master data and ours). */
const ATTRIBUTE_LABELS: Record<Locale, Record<string, string>> = {
  en: {},
  'zh-CN': {
    bestBefore: '最佳食用日期',
    bestBeforeDate: '最佳食用日期',
    expirationDate: '保质期至',
    itemExpirationDate: '保质期至',
    originCountry: '原产国',
    countryOfOrigin: '原产国',
    productionDate: '生产日期',
    harvestDate: '采收日期',
    harvestStartDate: '采收开始日期',
    harvestEndDate: '采收结束日期',
    lotNumber: '批号',
    altitude: '海拔',
  },
};
const labelOf = (key: string, locale: Locale): string => {
  const bare = key.replace(/^urn:epcglobal:cbv:mda#/, '').replace(/^[a-z]+:/i, '');
  return ATTRIBUTE_LABELS[locale][bare] ?? bare.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
};

/**
 * The API's event as an EPCIS event (assembleEvent): ILMD members committed one by one merged
 * into `ilmd`, pseudo-fields (`@context`, `@ruleSet`) left out; its `ledger` kept. An event whose
 * fields do not assemble (ILMD both whole and by member) is kept as sent: verification fails it.
 */
export const eventOf = (sent: ApiEvent): ApiEvent => {
  const { ledger, ...fields } = sent;
  try {
    return { ...assembleEvent(fields).event, ledger } as ApiEvent;
  } catch {
    return sent;
  }
};

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;

/** The ledger's rule flags, each with a rule ID and a message (others are dropped). */
const flagsOf = (ledger: ApiEvent['ledger']): RuleFlag[] =>
  list(record(record(ledger).rules).flags)
    .map(record)
    .filter((flag) => text(flag.rule) !== undefined)
    .map((flag) => ({ rule: String(flag.rule), message: text(flag.message) ?? '' }));

const stepKind = (event: ApiEvent): string => {
  if (isRecallSet(event, 'set')) return 'recalled';
  const step = cbvWord(event.bizStep);
  if (step) return step;
  if (event.type === 'TransformationEvent') return 'transformation';
  return 'other';
};

const PARTY_TYPES = new Set(['owning_party', 'possessing_party']);
const sdtWord = (type: unknown): string | undefined => {
  const v = text(type);
  return v ? (/(?:SDT-|sdt:)([a-z_]+)$/.exec(v)?.[1] ?? v) : undefined;
};

/**
 * The story of one product page: its identity and master data, the recall state, the origin, the
 * journey, the certificates and the cold chain, from its backward trace and the master data.
 */
export const buildStory = (
  path: string,
  trace: ApiTrace,
  masterData: readonly MasterRecord[],
  locale: Locale,
  canonicalize: Canonicalize,
): Story => {
  const records = new Map(masterData.map((r) => [r.id, r]));
  const parts = path.split('/');
  const valueAfter = (ai: string) => {
    const i = parts.indexOf(ai);
    return i > 0 && i % 2 === 1 && parts[i + 1] !== undefined
      ? decodeURIComponent(parts[i + 1]!)
      : undefined;
  };
  const gtin = valueAfter('01')!;
  const lot = valueAfter('10');
  const serial = valueAfter('21');
  const now = Date.now();
  const productAttributes = versionAt(records, `${GS1_DIGITAL_LINK_BASE}/01/${gtin}`, now) ?? {};
  const lotAttributes =
    lot === undefined
      ? undefined
      : versionAt(
          records,
          `${GS1_DIGITAL_LINK_BASE}/01/${gtin}/10/${encodeURIComponent(lot)}`,
          now,
        );

  const placeName = (id: unknown, at: number): string | undefined => {
    const raw = text(id);
    if (!raw) return undefined;
    return nameIn(versionAt(records, canonicalize(raw), at), locale) ?? raw;
  };

  const events = trace.events.map(eventOf);
  const steps: Step[] = events.map((event) => {
    const at = Date.parse(event.eventTime);
    const sources = list(event.sourceList).map(record);
    const destinations = list(event.destinationList).map(record);
    const locationOf = (entries: Record<string, unknown>[], key: string) =>
      placeName(entries.find((e) => sdtWord(e.type) === 'location')?.[key], at);
    const parties = [
      ...sources.filter((e) => PARTY_TYPES.has(sdtWord(e.type) ?? '')).map((e) => e.source),
      ...destinations
        .filter((e) => PARTY_TYPES.has(sdtWord(e.type) ?? ''))
        .map((e) => e.destination),
    ]
      .map((id) => placeName(id, at))
      .filter((name): name is string => name !== undefined);
    const ilmd = Object.entries(record(event.ilmd)).filter(
      ([, v]) => typeof v === 'string' || typeof v === 'number',
    );
    return {
      eventID: event.eventID,
      leafIndex: event.ledger.leafIndex,
      kind: stepKind(event),
      time: event.eventTime,
      localTime: formatLocalTime(event.eventTime, event.eventTimeZoneOffset, locale),
      place: placeName(record(event.bizLocation).id ?? record(event.readPoint).id, at),
      from: locationOf(sources, 'source'),
      to: locationOf(destinations, 'destination'),
      parties: [...new Set(parties)],
      details: ilmd.map(([k, v]) => [labelOf(k, locale), String(v)]),
      withheld: count(record(event.ledger).withheld),
      erased: list(record(event.ledger).erased).length > 0,
      flags: flagsOf(event.ledger),
    };
  });

  const ORIGIN_STEPS = new Set(['commissioning', 'harvesting', 'creating_class_instance']);
  const originIndex = (() => {
    const produced = steps.findIndex((s) => ORIGIN_STEPS.has(s.kind));
    if (produced >= 0) return produced;
    return events.findIndex((e) => e.type === 'TransformationEvent');
  })();
  const originEvent = originIndex >= 0 ? events[originIndex] : events[0];
  const originStep = originIndex >= 0 ? steps[originIndex] : steps[0];
  let origin: Story['origin'];
  if (originEvent && originStep) {
    const at = Date.parse(originEvent.eventTime);
    const locationId = text(record(originEvent.bizLocation).id ?? record(originEvent.readPoint).id);
    const owner = text(versionAt(records, locationId && canonicalize(locationId), at)?.owningParty);
    const who = owner
      ? placeName(canonicalize(`${GS1_DIGITAL_LINK_BASE}/417/${owner}`), at)
      : originStep.parties[0];
    origin = { ...originStep, ...(who ? { who } : {}) };
  }

  const recallEvent = activeRecall(events, identifiersByEvent(trace));
  const recall = recallEvent && {
    time: recallEvent.eventTime,
    localTime: formatLocalTime(recallEvent.eventTime, recallEvent.eventTimeZoneOffset, locale),
  };

  const certificates = [
    ...new Set(
      events
        .flatMap((e): unknown[] =>
          list(e.certificationInfo).concat(
            Array.isArray(e.certificationInfo) ? [] : [e.certificationInfo],
          ),
        )
        .filter((c): c is string => typeof c === 'string'),
    ),
  ];

  // The lot a transformation made this serialised item from (its input of the same GTIN).
  let lotMismatch: Story['lotMismatch'];
  if (serial !== undefined && lot !== undefined) {
    const item = `${GS1_DIGITAL_LINK_BASE}/01/${gtin}/21/${encodeURIComponent(serial)}`;
    const lotPrefix = `${GS1_DIGITAL_LINK_BASE}/01/${gtin}/10/`;
    const actual = trace.edges
      .filter((e) => e.outputs.includes(item) && !e.inputs.includes(item))
      .flatMap((e) => e.inputs.filter((id) => id.startsWith(lotPrefix)))
      .map((id) => decodeURIComponent(id.slice(lotPrefix.length)));
    if (actual.length > 0 && !actual.includes(lot)) {
      lotMismatch = { claimed: lot, actual: actual[0]! };
    }
  }

  return {
    path,
    ...(lotMismatch ? { lotMismatch } : {}),
    product: {
      gtin,
      ...(lot !== undefined ? { lot } : {}),
      ...(serial !== undefined ? { serial } : {}),
      ...definedText({
        name: nameIn(productAttributes, locale),
        brand: text(productAttributes.brand),
        description:
          text(record(productAttributes.descriptions)[locale]) ??
          text(productAttributes.description),
        imageUrl: text(productAttributes.imageUrl),
        category: text(productAttributes.category),
      }),
    },
    lot: lotAttributes
      ? Object.entries(lotAttributes)
          .filter(([k, v]) => typeof v === 'string' && !['names', 'description'].includes(k))
          .map(([k, v]) => [labelOf(k, locale), String(v)])
      : [],
    ...(recall ? { recall } : {}),
    ...(origin ? { origin } : {}),
    steps,
    certificates,
    sensors: sensorSeries(events),
    truncated: trace.truncated,
  };
};

const definedText = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;

/** Temperature readings of every event's sensorElementList, one series per type and unit. */
export const sensorSeries = (events: readonly ApiEvent[]): SensorSeries[] => {
  type Collected = Omit<SensorSeries, 'points'> & {
    points: (SensorPoint & { reported: boolean })[];
  };
  const series = new Map<string, Collected>();
  for (const event of events) {
    for (const element of list(event.sensorElementList).map(record)) {
      const metaTime = text(record(element.sensorMetadata).time);
      for (const report of list(element.sensorReport).map(record)) {
        const type = (text(report.type) ?? '').replace(/^.*[/:#]/, '');
        const unit = text(report.uom) ?? '';
        const value = typeof report.value === 'number' ? report.value : undefined;
        if (type !== 'Temperature' || value === undefined) continue;
        const time = Date.parse(text(report.time) ?? metaTime ?? event.eventTime);
        const key = `${type} ${unit}`;
        const limit = unit === 'CEL' ? COLD_CHAIN_LIMIT_CEL : undefined;
        const entry: Collected = series.get(key) ?? {
          type,
          unit,
          ...(limit !== undefined ? { limit } : {}),
          points: [],
        };
        entry.points.push({
          time,
          value,
          reported: report.exception !== undefined,
          flagged: report.exception !== undefined || (limit !== undefined && value > limit),
        });
        series.set(key, entry);
      }
    }
  }
  for (const entry of series.values()) {
    entry.points.sort((a, b) => a.time - b.time);
    // Field heat is expected until the product is first cooled to the limit (harvest, cooling);
    // from then on, a reading above it is an excursion.
    const cooled = entry.points.findIndex(
      (p) => entry.limit === undefined || p.value <= entry.limit,
    );
    entry.points.forEach((point, i) => {
      if (i < cooled && !point.reported) point.flagged = false;
    });
  }
  return [...series.values()].map((entry) => ({
    ...entry,
    points: entry.points.map(({ time, value, flagged }) => ({ time, value, flagged })),
  }));
};
