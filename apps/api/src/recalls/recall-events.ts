// The EPCIS events that record a recall in the log (docs/specs/recalls.md). Pure: the recall's
// id and time are parameters.

/** The EPCIS 2.0 JSON-LD context and the namespace of the recall's own event fields. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
export const RECALL_NAMESPACE = 'https://traceroot.dev/ns/recall/';
export const RECALL_CONTEXT = [EPCIS_CONTEXT_URL, { recall: RECALL_NAMESPACE }];

/** Identifiers named by one recall event, at most (a larger recall is recorded as several events). */
export const IDENTIFIERS_PER_EVENT = 500;

export type RecallEventInput = {
  /** The recall's id (a UUID): `recall:recallID` is `urn:uuid:{id}` in every one of its events. */
  id: string;
  /** eventTime of every event. */
  time: Date;
  reason: string;
  classification?: string | undefined;
  /** Where the recall was recorded (an EPC URI or Digital Link of a location), if given. */
  readPoint?: string | undefined;
  /** Class-level identifiers (lots): named in quantityList, without a quantity (all of it). */
  lots: readonly string[];
  /** Instance-level identifiers (items, cases, pallets): named in epcList. */
  epcs: readonly string[];
};

const chunks = <T>(values: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
};

/**
 * One ObjectEvent OBSERVE per IDENTIFIERS_PER_EVENT identifiers, each naming its share of the
 * affected lots and EPCs: bizStep `holding` (CBV 2.0 has no recall step; holding is the
 * segregation of goods for review), disposition `recalled`, and the persistent disposition
 * `recalled` set on every identifier it names (CBV 2.0 §7.2, until an event unsets it).
 */
export const recallEvents = (input: RecallEventInput): Record<string, unknown>[] => {
  const named = [
    ...input.lots.map((id) => ({ kind: 'lot' as const, id })),
    ...input.epcs.map((id) => ({ kind: 'epc' as const, id })),
  ];
  return chunks(named, IDENTIFIERS_PER_EVENT).map((part) => {
    const epcs = part.filter((p) => p.kind === 'epc').map((p) => p.id);
    const lots = part.filter((p) => p.kind === 'lot').map((p) => p.id);
    return {
      type: 'ObjectEvent',
      eventTime: input.time.toISOString(),
      eventTimeZoneOffset: '+00:00',
      epcList: epcs,
      ...(lots.length > 0 ? { quantityList: lots.map((epcClass) => ({ epcClass })) } : {}),
      action: 'OBSERVE',
      bizStep: 'holding',
      disposition: 'recalled',
      persistentDisposition: { set: ['recalled'] },
      ...(input.readPoint !== undefined ? { readPoint: { id: input.readPoint } } : {}),
      'recall:recallID': `urn:uuid:${input.id}`,
      'recall:reason': input.reason,
      ...(input.classification !== undefined
        ? { 'recall:classification': input.classification }
        : {}),
    };
  });
};
