import { indexedForm } from '../events/indexed-identifier.js';
import type { TraceView } from '../trace/trace.service.js';
import type { AffectedSnapshot } from './recalls.dto.js';
import { cbvWord, list, record, text } from '../events/event-json.js';

// What a recall affects, from forward traces (pure: the traces come from TraceService). The
// identifiers are the trace's identifier nodes; the places and parties are those the reached
// events name, except recall events themselves (an earlier recall of the same goods names the
// office that recorded it, where the goods never were).

/** Whether an event sets or unsets the persistent disposition `recalled` (a recall or its lifting). */
export const isRecallEvent = (event: Record<string, unknown>): boolean => {
  const persistent = record(event.persistentDisposition);
  return [...list(persistent.set), ...list(persistent.unset)].some(
    (d) => cbvWord(d) === 'recalled',
  );
};

/** The locations and parties an event names, in the event index's form. */
export const placesAndPartiesOf = (
  event: Record<string, unknown>,
): { locations: string[]; parties: string[] } => {
  const locations: string[] = [];
  const parties: string[] = [];
  for (const key of ['readPoint', 'bizLocation']) {
    const id = text(record(event[key]).id);
    if (id) locations.push(indexedForm(id));
  }
  for (const [listKey, key] of [
    ['sourceList', 'source'],
    ['destinationList', 'destination'],
  ] as const) {
    for (const entry of list(event[listKey]).map(record)) {
      const id = text(entry[key]);
      if (!id) continue;
      (cbvWord(entry.type) === 'location' ? locations : parties).push(indexedForm(id));
    }
  }
  return { locations, parties };
};

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The affected snapshot of one or more forward traces (merged). */
export const affectedOf = (
  traces: readonly Pick<TraceView, 'nodes' | 'events' | 'truncated'>[],
): AffectedSnapshot => {
  const lots = new Set<string>();
  const epcs = new Set<string>();
  const locations = new Set<string>();
  const parties = new Set<string>();
  const events = new Set<string>();
  for (const trace of traces) {
    for (const node of trace.nodes) {
      if (node.kind !== 'identifier') continue;
      (node.level === 'class' ? lots : epcs).add(node.id);
    }
    for (const event of trace.events) {
      events.add(String(event.eventID));
      if (isRecallEvent(event)) continue;
      const named = placesAndPartiesOf(event);
      for (const id of named.locations) locations.add(id);
      for (const id of named.parties) parties.add(id);
    }
  }
  return {
    lots: sorted(lots),
    epcs: sorted(epcs),
    locations: sorted(locations),
    parties: sorted(parties),
    truncated: traces.some((t) => t.truncated),
    eventCount: events.size,
  };
};

/** Whether any event of the trace names `identifier` (as an input or output of one of its edges). */
export const traceNames = (trace: Pick<TraceView, 'edges'>, identifier: string): boolean =>
  trace.edges.some((e) => e.inputs.includes(identifier) || e.outputs.includes(identifier));
