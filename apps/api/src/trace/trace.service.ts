import { Injectable } from '@nestjs/common';
import type { TraceBundle } from '@traceroot/trace';

import { parseCount } from '../common/http/parse-count.js';
import { DomainError } from '../common/errors/domain-error.js';
import {
  committedEvent,
  EventsService,
  type RevealedEvent,
  rulesView,
} from '../events/events.service.js';
import type { Reader } from '../privacy/privacy.service.js';
import { indexedForm } from '../events/indexed-identifier.js';
import {
  type Direction,
  type FetchEvents,
  type TracedEvent,
  type TraceNode,
  walkTrace,
} from './trace-graph.js';
import { traceStart } from './trace-identifier.js';
import { TraceRepository } from './trace.repository.js';

/** Hops followed by default, and at most (a query parameter may ask for fewer or more). */
export const DEFAULT_TRACE_DEPTH = 10;
export const MAX_TRACE_DEPTH = 50;
/** Events in one trace, at most: beyond it the answer says `truncated`. */
export const MAX_TRACE_EVENTS = 2000;

export type TraceQuery = {
  identifier: string;
  direction?: string;
  maxDepth?: string;
  bundle?: string;
  /** Who reads (docs/specs/privacy.md); absent: anonymous, the public fields only. */
  reader?: Reader;
};

export type TraceEdge = {
  eventID: string;
  eventType: string;
  eventTime: unknown;
  bizStep?: unknown;
  /** The event's place in the log (its leaf index), to verify it by. */
  leafIndex: number;
  /** What went into the event: a transformation's inputs, the contents packed, … */
  inputs: string[];
  /** What came out: a transformation's outputs, the container packed into, … */
  outputs: string[];
  /** The location nodes it names: readPoint, bizLocation, source and destination locations. */
  locations: string[];
  /** The party nodes it names: sources and destinations of other types (owning, possessing party). */
  parties: string[];
};

export type TraceNodeView =
  (TraceNode & { kind: 'identifier' }) | { kind: 'location' | 'party'; id: string };

export type TraceView = {
  identifier: string;
  start: string[];
  direction: Direction | 'both';
  maxDepth: number;
  truncated: boolean;
  nodes: TraceNodeView[];
  edges: TraceEdge[];
  /** Each event as its leaf commits to it, oldest first, with its place in the log. */
  events: Record<string, unknown>[];
  /** With `bundle=true`: one TraceBundle proving every sealed event above (null: nothing sealed yet). */
  bundle?: TraceBundle | null;
  /** With `bundle=true`: the eventIDs no checkpoint covers yet (not in the bundle). */
  unsealed?: string[];
  /** With `bundle=true`: the bundle's checkpoint and when the service signed it (not part of the signed note). */
  checkpoint?: { treeSize: number; signedAt: string | null };
};

/**
 * A traced event's place in the log and what is not shown: `withheld` fields (digests only, in
 * the bundle), `erased` ones, and the rules it broke (flag mode) against `ruleSet`.
 */
const traceLedger = (event: RevealedEvent) => ({
  leafIndex: event.leafIndex,
  recordedBy: event.protection.organizationId,
  withheld: event.withheld,
  erased: event.erased,
  rules: rulesView(event),
});

type Loaded = { stored: RevealedEvent; fields: Record<string, unknown>; traced: TracedEvent };

const LOCATION_TYPES = new Set([
  'location',
  'cbv:SDT-location',
  'https://ref.gs1.org/cbv/SDT-location',
  'urn:epcglobal:cbv:sdt:location',
]);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const parseDirection = (value: string | undefined): Direction | 'both' => {
  if (value === undefined || value === '') return 'both';
  if (value === 'backward' || value === 'forward' || value === 'both') return value;
  throw new DomainError(
    'QUERY_PARAMETER_INVALID',
    `direction must be backward, forward or both, not "${value}"`,
  );
};

const parseFlag = (value: string | undefined, name: string): boolean => {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new DomainError('QUERY_PARAMETER_INVALID', `${name} must be true or false, not "${value}"`);
};

const unique = ({ locations, parties }: { locations: string[]; parties: string[] }) => ({
  locations: [...new Set(locations)],
  parties: [...new Set(parties)],
});

/** The locations and parties an event names (read point, business location, source/destination lists). */
const placesAndParties = (
  fields: Record<string, unknown>,
): { locations: string[]; parties: string[] } => {
  const locations: string[] = [];
  const parties: string[] = [];
  for (const key of ['readPoint', 'bizLocation']) {
    const id = text(record(fields[key]).id);
    if (id) locations.push(indexedForm(id));
  }
  for (const key of ['sourceList', 'destinationList']) {
    for (const entry of list(fields[key])) {
      const { type } = record(entry);
      const id = text(record(entry)[key === 'sourceList' ? 'source' : 'destination']);
      if (!id || typeof type !== 'string') continue;
      (LOCATION_TYPES.has(type) ? locations : parties).push(indexedForm(id));
    }
  }
  return { locations, parties };
};

const edgeOf = ({ stored, fields, traced }: Loaded): TraceEdge => {
  const ids = (roles: string[]): string[] =>
    traced.identifiers.filter((i) => roles.includes(i.role)).map((i) => i.identifier);
  const parent = ids(['parentID']);
  const children = ids(['childEPC', 'childQuantity']);
  let inputs: string[];
  let outputs: string[];
  if (traced.type === 'TransformationEvent') {
    inputs = ids(['inputEPC', 'inputQuantity']);
    outputs = ids(['outputEPC', 'outputQuantity']);
  } else if (parent.length > 0) {
    [inputs, outputs] = traced.action === 'DELETE' ? [parent, children] : [children, parent];
  } else {
    inputs = outputs = ids(['epc', 'quantity']);
  }
  return {
    eventID: traced.eventId,
    eventType: traced.type,
    eventTime: fields.eventTime,
    ...(fields.bizStep !== undefined ? { bizStep: fields.bizStep } : {}),
    leafIndex: stored.leafIndex,
    inputs,
    outputs,
    ...unique(placesAndParties(fields)),
  };
};

/** GET /trace/{identifier}: the multi-hop trace of an identifier, with what proves it. */
@Injectable()
export class TraceService {
  constructor(
    private readonly repository: TraceRepository,
    private readonly events: EventsService,
  ) {}

  async trace(query: TraceQuery): Promise<TraceView> {
    const start = traceStart(query.identifier);
    const direction = parseDirection(query.direction);
    const maxDepth =
      query.maxDepth === undefined ? DEFAULT_TRACE_DEPTH : parseCount(query.maxDepth, 'maxDepth');
    if (maxDepth > MAX_TRACE_DEPTH) {
      throw new DomainError(
        'QUERY_PARAMETER_INVALID',
        `maxDepth must be at most ${MAX_TRACE_DEPTH}, not ${maxDepth}`,
      );
    }
    const withBundle = parseFlag(query.bundle, 'bundle');

    // The walk reads the event index only, one statement per level; the committed fields, whose
    // parsing is the costly part, are read once, for the events the trace keeps.
    const traced = new Map<number, TracedEvent & { seq: number }>();
    const fetch: FetchEvents = async (identifiers, limit) =>
      (await this.repository.hits(identifiers, limit)).map(({ identifier, role, event }) => {
        // One object per event, so that both directions' walks see the same one.
        const known = traced.get(event.seq) ?? event;
        traced.set(event.seq, known);
        return { identifier, role, event: known };
      });

    const limits = { maxDepth, maxEvents: MAX_TRACE_EVENTS };
    const walks = await Promise.all(
      (direction === 'both' ? (['backward', 'forward'] as const) : [direction]).map((d) =>
        walkTrace(start, d, limits, fetch),
      ),
    );
    const kept = new Map<string, TracedEvent>();
    for (const walk of walks) for (const [id, event] of walk.events) kept.set(id, event);
    const seqOf = new Map([...traced.values()].map((e) => [e.eventId, e.seq]));
    const stored = await this.events.reveal(
      await this.repository.stored([...kept.keys()].map((id) => seqOf.get(id)!)),
      query.reader ?? null,
    );
    const reached: Loaded[] = stored
      .map((event) => ({
        stored: event,
        fields: committedEvent(event),
        traced: kept.get(event.eventId)!,
      }))
      .sort((a, b) => a.traced.time - b.traced.time || a.stored.leafIndex - b.stored.leafIndex);

    const nodes = new Map<string, TraceNodeView>();
    for (const walk of walks) {
      for (const node of walk.nodes) {
        const old = nodes.get(node.id);
        if (!old || ('depth' in old && node.depth < old.depth)) {
          nodes.set(node.id, { ...node, kind: 'identifier' });
        }
      }
    }
    for (const { fields } of reached) {
      const { locations, parties } = placesAndParties(fields);
      for (const id of locations) if (!nodes.has(id)) nodes.set(id, { kind: 'location', id });
      for (const id of parties) if (!nodes.has(id)) nodes.set(id, { kind: 'party', id });
    }

    const view: TraceView = {
      identifier: query.identifier,
      start,
      direction,
      maxDepth,
      truncated: walks.some((w) => w.truncated),
      nodes: [...nodes.values()],
      edges: reached.map(edgeOf),
      events: reached.map(({ stored, fields }) => ({
        ...fields,
        ledger: traceLedger(stored),
      })),
    };
    if (withBundle) {
      const { bundle, unsealed, checkpoint } = await this.events.bundleOf(
        reached.map((r) => r.stored),
      );
      view.bundle = bundle;
      view.unsealed = unsealed;
      if (checkpoint) view.checkpoint = checkpoint;
    }
    return view;
  }
}
