import type { IdentifierRole } from '../events/prepare-event.js';

/**
 * The multi-hop trace (issue 4 for the consumer page's journey, issue 5 §2 for recalls): a walk
 * over the event index from one or more identifiers, upstream (backward: where it came from) or
 * downstream (forward: where it went). Pure: the events come from `fetch`, so the rules below are
 * tested without a database. Bounded by depth and by event count, and cycle-safe (an identifier
 * is expanded again only when it is reached with a wider time window).
 */
export type Direction = 'backward' | 'forward';

/** An event as the trace sees it: its committed fields and every identifier it names. */
export type TracedEvent = {
  eventId: string;
  type: string;
  action: string | undefined;
  /** eventTime in ms since the epoch. */
  time: number;
  identifiers: readonly { role: IdentifierRole; identifier: string }[];
  /** The lot its ILMD names (lotNumber), which links commissioned instances to their lot. */
  ilmdLot: string | undefined;
};

/** Events naming any of `identifiers`, oldest first, at most `limit`. */
export type FetchEvents = (
  identifiers: readonly string[],
  limit: number,
) => Promise<{ identifier: string; role: IdentifierRole; event: TracedEvent }[]>;

export type TraceLimits = { maxDepth: number; maxEvents: number };

/** Events are kept in [from, to] of the identifier that reached them (ms; ±Infinity: open). */
type Window = { from: number; to: number };

type Reach = Window & {
  depth: number;
  /** A container reached from this child: the container's journey ends when it is unpacked. */
  child?: string;
};

export type TraceNode = {
  id: string;
  /** Hops from a start identifier. */
  depth: number;
  /** 'instance' (one item, case or pallet) or 'class' (a lot or a whole GTIN). */
  level: 'instance' | 'class';
};

export type TraceWalk = {
  nodes: TraceNode[];
  /** eventID → the event, in the order first reached. */
  events: Map<string, TracedEvent>;
  /** Whether a bound (depth or event count) stopped the walk early. */
  truncated: boolean;
};

const ALL: Window = { from: -Infinity, to: Infinity };
const INPUT: ReadonlySet<string> = new Set(['inputEPC', 'inputQuantity']);
const OUTPUT: ReadonlySet<string> = new Set(['outputEPC', 'outputQuantity']);
const CHILD: ReadonlySet<string> = new Set(['childEPC', 'childQuantity']);
const CLASS_ROLES: ReadonlySet<string> = new Set([
  'quantity',
  'childQuantity',
  'inputQuantity',
  'outputQuantity',
]);
const CONTAINER_TYPES: ReadonlySet<string> = new Set([
  'AggregationEvent',
  'AssociationEvent',
  'TransactionEvent',
]);

const idsWithRoles = (event: TracedEvent, roles: ReadonlySet<string>): string[] =>
  event.identifiers.filter((i) => roles.has(i.role)).map((i) => i.identifier);
const parentOf = (event: TracedEvent): string | undefined =>
  event.identifiers.find((i) => i.role === 'parentID')?.identifier;

/** An SGTIN's lot class (GTIN + lot) from its commissioning ILMD, when both are known. */
const lotClassOf = (instance: string, lot: string): string | undefined => {
  const match = /^(https:\/\/id\.gs1\.org\/01\/\d{14})\/21\/[^/?#]+$/.exec(instance);
  return match ? `${match[1]}/10/${encodeURIComponent(lot)}` : undefined;
};

/**
 * Where an event leads from `identifier` (its role `role` in it), in `direction`: the identifiers
 * to visit next and the time window of their events that belong to this trace.
 */
export const nextHops = (
  identifier: string,
  role: IdentifierRole,
  event: TracedEvent,
  direction: Direction,
): (Window & { id: string; child?: string })[] => {
  const { time } = event;
  const packs = event.action === 'ADD' || event.action === 'OBSERVE';
  const hops: (Window & { id: string; child?: string })[] = [];
  if (event.type === 'TransformationEvent') {
    if (direction === 'backward' && OUTPUT.has(role)) {
      for (const id of idsWithRoles(event, INPUT)) hops.push({ id, from: -Infinity, to: time });
    }
    if (direction === 'forward' && INPUT.has(role)) {
      for (const id of idsWithRoles(event, OUTPUT)) hops.push({ id, from: time, to: Infinity });
    }
  } else if (CONTAINER_TYPES.has(event.type)) {
    const parent = parentOf(event);
    if (CHILD.has(role) && packs && parent !== undefined) {
      // Packed into a case or pallet: the container's journey is this item's journey, until it
      // is unpacked (both directions: the consumer's "where has this been" and the recall's
      // "where did it go").
      hops.push({ id: parent, from: time, to: Infinity, child: identifier });
    }
    if (role === 'parentID') {
      const children = idsWithRoles(event, CHILD);
      if (direction === 'backward' && packs) {
        // A container's origin is its contents' origin, before they were packed.
        for (const id of children) hops.push({ id, from: -Infinity, to: time });
      }
      if (direction === 'forward') {
        // What a container held goes on from the moment it was packed (or unpacked).
        for (const id of children) hops.push({ id, from: time, to: Infinity });
      }
    }
  } else if (
    direction === 'backward' &&
    event.type === 'ObjectEvent' &&
    event.action === 'ADD' &&
    role === 'epc' &&
    event.ilmdLot !== undefined
  ) {
    const lot = lotClassOf(identifier, event.ilmdLot);
    if (lot !== undefined) hops.push({ id: lot, from: -Infinity, to: time });
  }
  return hops;
};

/**
 * The end of a container's journey for one child: the first later unpacking (AggregationEvent
 * DELETE of this parent naming the child, or naming no child: everything unpacked).
 */
const unpackedAt = (
  hits: readonly { role: IdentifierRole; event: TracedEvent }[],
  child: string,
  after: number,
): number => {
  let end = Infinity;
  for (const { role, event } of hits) {
    if (role !== 'parentID' || event.action !== 'DELETE' || event.time < after) continue;
    const children = idsWithRoles(event, CHILD);
    if (children.length === 0 || children.includes(child)) end = Math.min(end, event.time);
  }
  return end;
};

const widens = (old: Reach, next: Window): boolean => next.from < old.from || next.to > old.to;

/** Walks the event index from `start` in `direction` (see the module comment). */
export const walkTrace = async (
  start: readonly string[],
  direction: Direction,
  limits: TraceLimits,
  fetch: FetchEvents,
): Promise<TraceWalk> => {
  const reached = new Map<string, Reach>(start.map((id) => [id, { ...ALL, depth: 0 }]));
  const levels = new Map<string, 'instance' | 'class'>();
  const events = new Map<string, TracedEvent>();
  let frontier = [...start];
  let truncated = false;
  for (let depth = 0; frontier.length > 0; depth += 1) {
    if (depth > limits.maxDepth) {
      truncated = true;
      break;
    }
    // One bounded read per level; the events already reached count again here, so the bound is
    // on the read, and maxEvents on the new events kept.
    const hits = await fetch(frontier, limits.maxEvents + 1);
    if (hits.length > limits.maxEvents) truncated = true;
    const byIdentifier = new Map<string, typeof hits>();
    for (const hit of hits.slice(0, limits.maxEvents)) {
      const group = byIdentifier.get(hit.identifier);
      if (group) group.push(hit);
      else byIdentifier.set(hit.identifier, [hit]);
    }
    const next = new Map<string, Reach>();
    for (const [identifier, found] of byIdentifier) {
      const reach = reached.get(identifier)!;
      const end =
        reach.child === undefined
          ? reach.to
          : Math.min(reach.to, unpackedAt(found, reach.child, reach.from));
      for (const { role, event } of found) {
        if (event.time < reach.from || event.time > end) continue;
        if (!levels.has(identifier)) {
          levels.set(identifier, CLASS_ROLES.has(role) ? 'class' : 'instance');
        }
        if (!events.has(event.eventId)) {
          if (events.size >= limits.maxEvents) {
            truncated = true;
            continue;
          }
          events.set(event.eventId, event);
        }
        for (const hop of nextHops(identifier, role, event, direction)) {
          const old = reached.get(hop.id) ?? next.get(hop.id);
          if (old !== undefined && !widens(old, hop)) continue;
          const window =
            old === undefined
              ? hop
              : { from: Math.min(old.from, hop.from), to: Math.max(old.to, hop.to) };
          next.set(hop.id, {
            ...window,
            depth: depth + 1,
            ...(hop.child !== undefined && old === undefined ? { child: hop.child } : {}),
          });
        }
      }
    }
    for (const [id, reach] of next) reached.set(id, reach);
    frontier = [...next.keys()];
  }
  const nodes = [...reached].map(([id, reach]) => ({
    id,
    depth: reach.depth,
    level: levels.get(id) ?? (/\/(10\/[^/]+|01\/\d{14})$/.test(id) ? 'class' : 'instance'),
  })) satisfies TraceNode[];
  return { nodes, events, truncated };
};
