import { formatEventPreHash } from '../../src/event-hash/pre-hash.js';

// The minimal event and document context the pre-hash tests extend field by field. Expected
// strings marked "(reference)" in those tests are the output of RalphTro/epcis-event-hash-generator
// at 5d2f1c3 for the same event in a document with CONTEXT
// (`python3 -m epcis_event_hash_generator -p doc.jsonld`).

export const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { ex: 'https://ex.com/ns/', ur: 'urn:x:ns:', hs: 'http://ex.org/h#' },
];

export const BASE = {
  type: 'ObjectEvent',
  eventTime: '2020-01-01T00:00:00Z',
  eventTimeZoneOffset: '+00:00',
};

/** The pre-hash string of BASE's three fields, which every test's expectation starts with. */
export const HEAD =
  'eventType=ObjectEventeventTime=2020-01-01T00:00:00.000ZeventTimeZoneOffset=+00:00';

/** The pre-hash string of BASE plus `fields`. */
export const preHash = (fields: Record<string, unknown>, context: unknown = CONTEXT): string =>
  formatEventPreHash({ ...BASE, ...fields }, { context });
