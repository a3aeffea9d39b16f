// GS1 CBV 2.0 event hash ID EPCIS Event Hash ID: the pre-hash string of an EPCIS 2.0 JSON/JSON-LD event
// and its `ni:///sha-256;…?ver=CBV2.0` hash ID, plus the CBV vocabulary it expands. Everything
// throws TraceError('INVALID_EVENT') with a JSON pointer to the offending part.
export { type JsonLdContext } from './context.js';
export { type DocumentEvents, eventsOfDocument } from './document.js';
export {
  EVENT_HASH_VERSION,
  type EventHashOptions,
  computeEventHashId,
  formatEventHashId,
} from './event-hash.js';
export {
  type EpcisEvent,
  type EventPreHash,
  type PreHashOptions,
  formatEventPreHash,
  joinEventPreHash,
  renderEventPreHash,
} from './pre-hash.js';
export {
  type CbvVocabulary,
  expandCbvShortName,
  formatCbvWebUri,
  isCbvShortName,
} from './vocabulary.js';
