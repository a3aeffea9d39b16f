import type { JsonLdContext } from './context.js';
import type { EpcisEvent } from './pre-hash.js';
import { invalidEvent, isPlainObject } from './render.js';

/** The events of an EPCIS document and the JSON-LD context they are to be read with. */
export type DocumentEvents = {
  readonly events: readonly EpcisEvent[];
  readonly context: JsonLdContext;
};

// Where each EPCIS 2.0 document type keeps its events (EPCIS 2.0 JSON schema).
const EVENT_LIST_PATHS: Readonly<Record<string, readonly string[]>> = {
  EPCISDocument: ['epcisBody', 'eventList'],
  EPCISQueryDocument: ['epcisBody', 'queryResults', 'resultsBody', 'eventList'],
};

const isJsonLdContext = (value: unknown): value is JsonLdContext =>
  typeof value === 'string' ||
  isPlainObject(value) ||
  (Array.isArray(value) && value.every(isJsonLdContext));

const eventListOf = (
  doc: Readonly<Record<string, unknown>>,
  path: readonly string[],
): readonly unknown[] => {
  let node: unknown = doc;
  let pointer = '';
  for (const key of path) {
    node = isPlainObject(node) ? node[key] : undefined;
    pointer += `/${key}`;
    if (node === undefined) throw invalidEvent(pointer, 'is missing');
  }
  if (!Array.isArray(node)) throw invalidEvent(pointer, 'must be an array of events');
  return node;
};

/**
 * The events of a parsed EPCIS 2.0 JSON/JSON-LD document, in document order, with its
 * `@context`: `epcisBody.eventList` of an EPCISDocument, `epcisBody.queryResults.resultsBody.eventList`
 * of an EPCISQueryDocument. A document without `@context` (plain JSON) gets the empty context,
 * under which the EPCIS 2.0 prefixes (gs1, cbv, cbvmda…) still apply.
 *
 * Throws `TraceError('INVALID_EVENT')` with the JSON pointer of what is wrong: not an object, an
 * unknown `type`, a missing event list, an event that is not an object, a malformed `@context`.
 */
export const eventsOfDocument = (doc: unknown): DocumentEvents => {
  if (!isPlainObject(doc)) throw invalidEvent('/', 'an EPCIS document must be a JSON object');
  const type = doc['type'];
  const path =
    typeof type === 'string' && Object.hasOwn(EVENT_LIST_PATHS, type)
      ? EVENT_LIST_PATHS[type]
      : undefined;
  if (path === undefined) {
    throw invalidEvent('/type', 'must be "EPCISDocument" or "EPCISQueryDocument"');
  }
  const context = doc['@context'] ?? [];
  if (!isJsonLdContext(context)) {
    throw invalidEvent('/@context', 'must be a string, an object or an array of them');
  }
  const list = eventListOf(doc, path);
  list.forEach((event, i) => {
    if (!isPlainObject(event)) {
      throw invalidEvent(`/${path.join('/')}/${i}`, 'must be an event object');
    }
  });
  return { events: list as readonly EpcisEvent[], context };
};
