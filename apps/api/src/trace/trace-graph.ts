import type { IdentifierRole } from '../events/prepare-event.js';

/**
 * The multi-hop trace (issue 4 for the consumer page's journey, issue 5 §2 for recalls): a walk
 * over the event index from one or more identifiers, upstream (backward: where it came from) or
 * downstream (forward: where it went). Pure: the events come from `fetch`, so the rules below are
 * tested without a database. Bounded by depth and by event count, and cycle-safe: an identifier
 * is expanded again only for a reach (time window) that no earlier reach of it covers.
 * The rules, with examples: docs/specs/trace.md.
 */
export type Direction = 'backward' | 'forward';

/**
 * How an event names an identifier: its role in the event index (event_identifiers), or
 * 'ilmdLot': the identifier is the lot (…/01/{gtin}/10/{lot}) that the event's ILMD lotNumber
 * gives the items of that GTIN it names (event_terms, term 'ilmdLot').
 */
export type TraceRole = IdentifierRole | 'ilmdLot';

/** An event as the trace sees it (from the event index): its type, action, time and what it names. */
export type TracedEvent = {
  eventId: string;
  type: string;
  action: string | undefined;
  /** eventTime in ms since the epoch. */
  time: number;
  identifiers: readonly { role: IdentifierRole; identifier: string }[];
  /**
   * The lots (…/01/{gtin}/10/{lot}, one per GTIN) its ILMD lotNumber gives the items it names
   * (epc, outputEPC): what links commissioned instances to their lot (event_terms 'ilmdLot').
   */
  ilmdLots: readonly string[];
};

/** Events naming any of `identifiers` (in the index or as their ILMD lot), oldest first, at most `limit`. */
export type FetchEvents = (
  identifiers: readonly string[],
  limit: number,
) => Promise<{ identifier: string; role: TraceRole; event: TracedEvent }[]>;

export type TraceLimits = { maxDepth: number; maxEvents: number };

/** Events are kept in [from, to] of the identifier that reached them (ms; ±Infinity: open). */
type Window = { from: number; to: number };

/**
 * One way an identifier was reached. `child`: a container reached from this child when it was
 * packed at `from`; the reach ends when the child leaves the container, and it does not lead to
 * the container's other contents (they are not the child's origin or destination).
 */
type Reach = Window & { child?: string };

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

export type Hop = Reach & { id: string };

const ALL: Window = { from: -Infinity, to: Infinity };
const INPUT: ReadonlySet<string> = new Set(['inputEPC', 'inputQuantity']);
const OUTPUT: ReadonlySet<string> = new Set(['outputEPC', 'outputQuantity']);
const CHILD: ReadonlySet<string> = new Set(['childEPC', 'childQuantity']);
/** The roles in which an event names the instances its ILMD describes. */
const ILMD_INSTANCE: ReadonlySet<string> = new Set(['epc', 'outputEPC']);
const CLASS_ROLES: ReadonlySet<string> = new Set([
  'quantity',
  'childQuantity',
  'inputQuantity',
  'outputQuantity',
  'ilmdLot',
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

/** The GTIN of a GTIN-keyed Digital Link (an SGTIN or a lot), as the index writes them. */
const gtinOf = (id: string): string | undefined =>
  /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/(?:21|10)\/[^/?#]+$/.exec(id)?.[1];

/**
 * Where an event leads from `identifier` (its role `role` in it), in `direction`: the identifiers
 * to visit next and the time window of their events that belong to this trace. `viaChild`: the
 * identifier is a container reached from one of its contents (its other contents are not followed).
 */
export const nextHops = (
  identifier: string,
  role: TraceRole,
  event: TracedEvent,
  direction: Direction,
  viaChild = false,
): Hop[] => {
  const { time } = event;
  const packs = event.action === 'ADD' || event.action === 'OBSERVE';
  const hops: Hop[] = [];
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
    if (role === 'parentID' && !viaChild) {
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
  }
  if (event.ilmdLots.length > 0) {
    // Commissioning with ILMD: the items it names belong to the lot it names (per GTIN).
    const gtin = gtinOf(identifier);
    if (direction === 'backward' && ILMD_INSTANCE.has(role) && gtin !== undefined) {
      for (const lot of event.ilmdLots) {
        if (gtinOf(lot) === gtin) hops.push({ id: lot, from: -Infinity, to: time });
      }
    }
    if (direction === 'forward' && role === 'ilmdLot' && gtin !== undefined) {
      for (const id of idsWithRoles(event, ILMD_INSTANCE)) {
        if (/\/21\//.test(id) && gtinOf(id) === gtin) hops.push({ id, from: time, to: Infinity });
      }
    }
  }
  return hops;
};

/**
 * The end of a container's journey for one child: the first later unpacking (a DELETE of this
 * parent naming the child, or naming no child: everything unpacked).
 */
const unpackedAt = (
  hits: readonly { role: TraceRole; event: TracedEvent }[],
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

/** Whether reach `a` makes `b` redundant: every event and hop `b` would give, `a` gives. */
const covers = (a: Reach, b: Reach): boolean =>
  a.from <= b.from && a.to >= b.to && (a.child === undefined || a.child === b.child);

/** Walks the event index from `start` in `direction` (see the module comment). */
export const walkTrace = async (
  start: readonly string[],
  direction: Direction,
  limits: TraceLimits,
  fetch: FetchEvents,
): Promise<TraceWalk> => {
  // Every reach of every identifier so far, and the depth it was first reached at.
  const reached = new Map<string, { depth: number; reaches: Reach[] }>(
    start.map((id) => [id, { depth: 0, reaches: [{ ...ALL }] }]),
  );
  const levels = new Map<string, 'instance' | 'class'>();
  const events = new Map<string, TracedEvent>();
  // The reaches to expand at the current level (new since the identifier was last expanded).
  let frontier = new Map<string, Reach[]>(start.map((id) => [id, [{ ...ALL }]]));
  let truncated = false;
  for (let depth = 0; frontier.size > 0; depth += 1) {
    if (depth > limits.maxDepth) {
      truncated = true;
      break;
    }
    // One bounded read per level; the events already reached count again here, so the bound is
    // on the read, and maxEvents on the new events kept.
    const hits = await fetch([...frontier.keys()], limits.maxEvents + 1);
    if (hits.length > limits.maxEvents) truncated = true;
    const byIdentifier = new Map<string, typeof hits>();
    for (const hit of hits.slice(0, limits.maxEvents)) {
      const group = byIdentifier.get(hit.identifier);
      if (group) group.push(hit);
      else byIdentifier.set(hit.identifier, [hit]);
    }
    const next = new Map<string, Reach[]>();
    const reach = (hop: Hop): void => {
      const { id, ...window } = hop;
      const node = reached.get(id);
      if (node?.reaches.some((r) => covers(r, window))) return;
      if (node) node.reaches = [...node.reaches.filter((r) => !covers(window, r)), window];
      else reached.set(id, { depth: depth + 1, reaches: [window] });
      next.set(id, [...(next.get(id) ?? []).filter((r) => !covers(window, r)), window]);
    };
    for (const [identifier, found] of byIdentifier) {
      for (const { from, to, child } of frontier.get(identifier) ?? []) {
        const end = child === undefined ? to : Math.min(to, unpackedAt(found, child, from));
        for (const { role, event } of found) {
          if (event.time < from || event.time > end) continue;
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
          for (const hop of nextHops(identifier, role, event, direction, child !== undefined)) {
            reach(hop);
          }
        }
      }
    }
    frontier = next;
  }
  const nodes = [...reached].map(([id, { depth }]) => ({
    id,
    depth,
    level: levels.get(id) ?? (/\/(10\/[^/]+|01\/\d{14})$/.test(id) ? 'class' : 'instance'),
  })) satisfies TraceNode[];
  return { nodes, events, truncated };
};
