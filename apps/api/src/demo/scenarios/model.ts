// What a demo scenario is made of: the organizations that take part, the master data each of them
// writes, and the EPCIS events each of them captures, in the order they happen.
import { computeEventHashId } from '@traceroot/trace';

import { eventTimeOf, formatLocal, type Moment } from './clock.js';

/** The EPCIS 2.0 JSON-LD context, plus the namespace of the demo's own ILMD and event fields. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
/** Prefix `tr:` of the demo's user extensions (EPCIS 2.0 §7.1.1: any namespace the user owns). */
export const DEMO_NAMESPACE = 'https://ns.traceroot.example/demo/';
export const DEMO_CONTEXT = [EPCIS_CONTEXT_URL, { tr: DEMO_NAMESPACE }] as const;

/** A party of a scenario, made an organization of the service with its own API key. */
export type DemoOrganization = {
  /** Stable handle within the demo, e.g. `tea-cooperative`. */
  readonly key: string;
  /** The organization's name in the service. */
  readonly name: string;
  /** Its party GLN (PGLN), also the organization's GLN: the demo recognises itself by it. */
  readonly gln: string;
};

type Names = Readonly<Record<string, string>>;

/** Master data bodies (the PUT /masterdata contract), each written by its owner. */
export type ProductData = {
  readonly owner: string;
  readonly gtin: string;
  readonly name: string;
  readonly names?: Names;
  readonly brand?: string;
  readonly description?: string;
  readonly descriptions?: Names;
  readonly category?: string;
};

export type LotData = {
  readonly owner: string;
  readonly gtin: string;
  readonly lot: string;
  readonly productionDate?: string;
  readonly harvestDate?: string;
  readonly bestBefore?: string;
  readonly originCountry?: string;
  readonly names?: Names;
  readonly description?: string;
  /** Read back only by the owner's keys (e.g. a picker group leader's phone number). */
  readonly private?: Readonly<Record<string, unknown>>;
};

export type LocationData = {
  readonly owner: string;
  readonly gln: string;
  readonly name: string;
  readonly names?: Names;
  readonly address?: {
    readonly street?: string;
    readonly city?: string;
    readonly region?: string;
    readonly postalCode?: string;
    readonly countryCode?: string;
  };
  readonly latitude?: number;
  readonly longitude?: number;
  readonly owningParty?: string;
};

export type PartyData = {
  readonly owner: string;
  readonly pgln: string;
  readonly name: string;
  readonly names?: Names;
  readonly contactUrl?: string;
};

export type MasterData = {
  readonly parties: readonly PartyData[];
  readonly locations: readonly LocationData[];
  readonly products: readonly ProductData[];
  readonly lots: readonly LotData[];
};

/** An EPCIS 2.0 event as JSON (EPCIS 2.0 §9 JSON binding). */
export type EpcisEvent = Readonly<Record<string, unknown>> & {
  readonly type: string;
  readonly eventTime: string;
};

/** An event and the organization that captures it. */
export type DemoEvent = { readonly by: string; readonly event: EpcisEvent };

/** One POST /capture: an EPCIS document with consecutive events of one organization. */
export type DemoCapture = {
  readonly by: string;
  readonly document: {
    readonly '@context': typeof DEMO_CONTEXT;
    readonly type: 'EPCISDocument';
    readonly schemaVersion: '2.0';
    readonly creationDate: string;
    readonly epcisBody: { readonly eventList: readonly EpcisEvent[] };
  };
};

export type Scenario = {
  readonly organizations: readonly DemoOrganization[];
  readonly masterData: MasterData;
  /** In the order they happened (and are captured). */
  readonly events: readonly DemoEvent[];
};

/** `{ id }` of a read point or business location. */
export const at = (sgln: string): { id: string } => ({ id: sgln });

/**
 * An event with its time fields first and its eventID: the CBV 2.0 event hash ID of its content
 * (`ni:///sha-256;…?ver=CBV2.0`), which EPCIS 2.0 §7.4.1 recommends and which makes it a function
 * of the content (and so of the base time). eventID itself is not part of the hash.
 */
export const epcisEvent = (
  type: string,
  moment: Moment,
  fields: Readonly<Record<string, unknown>>,
): EpcisEvent => {
  const event = { type, ...eventTimeOf(moment), ...fields };
  const eventID = computeEventHashId(event, { context: DEMO_CONTEXT });
  return { type, eventID, ...eventTimeOf(moment), ...fields };
};

/** Temperature readings (`gs1:Temperature`, °C) at `start` and every `stepMinutes` after it. */
export const temperatureReadings = (
  start: Moment,
  stepMinutes: number,
  values: readonly number[],
  options: { deviceID: string; alarmAbove?: number },
): Record<string, unknown> => ({
  sensorMetadata: {
    deviceID: options.deviceID,
    startTime: formatLocal(start.instant, start.offset),
    endTime: formatLocal(start.instant + (values.length - 1) * stepMinutes * 60_000, start.offset),
  },
  sensorReport: values.map((value, i) => ({
    type: 'gs1:Temperature',
    time: formatLocal(start.instant + i * stepMinutes * 60_000, start.offset),
    value,
    uom: 'CEL',
    ...(options.alarmAbove !== undefined && value > options.alarmAbove
      ? { exception: 'ALARM_CONDITION' }
      : {}),
  })),
});

const SAME_DOCUMENT_MS = 24 * 3_600_000;

/**
 * The capture documents of a list of events, as the parties would send them: consecutive events
 * of one organization less than a day apart go in one document, created five minutes after its
 * last event.
 */
export const captureDocuments = (events: readonly DemoEvent[]): DemoCapture[] => {
  const runs: { by: string; events: EpcisEvent[] }[] = [];
  for (const { by, event } of events) {
    const last = runs.at(-1);
    const previous = last?.events.at(-1);
    if (
      last?.by === by &&
      previous !== undefined &&
      Date.parse(event.eventTime) - Date.parse(previous.eventTime) < SAME_DOCUMENT_MS
    ) {
      last.events.push(event);
    } else {
      runs.push({ by, events: [event] });
    }
  }
  return runs.map(({ by, events: eventList }) => ({
    by,
    document: {
      '@context': DEMO_CONTEXT,
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date(
        Math.max(...eventList.map((e) => Date.parse(e.eventTime))) + 5 * 60_000,
      ).toISOString(),
      epcisBody: { eventList },
    },
  }));
};
