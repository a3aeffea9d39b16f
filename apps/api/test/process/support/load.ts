// Sustained capture for the process tests: several concurrent clients (keep-alive fetch) post
// EPCIS documents with explicit eventIDs to POST /capture and remember every document's fate:
// acknowledged (202: durably committed, must be in the log), refused (another status: a bug under
// this load) or unknown (the connection broke, e.g. the service was killed: it may or may not
// have committed, but all of it or nothing).
import { randomUUID } from 'node:crypto';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

let serial = 0;

/** A valid ObjectEvent with a fresh eventID and EPC. */
export const makeEvent = (): Record<string, unknown> => {
  serial += 1;
  return {
    type: 'ObjectEvent',
    eventID: `urn:uuid:${randomUUID()}`,
    eventTime: new Date(Date.UTC(2026, 5, 1, 8, 0, 0, serial)).toISOString(),
    eventTimeZoneOffset: '+02:00',
    epcList: [`urn:epc:id:sgtin:4012345.011111.${process.pid}-${serial}`],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: 'urn:epc:id:sgln:4012345.00001.0' },
  };
};

export type EpcisDocument = {
  '@context': string[];
  type: string;
  schemaVersion: string;
  creationDate: string;
  epcisBody: { eventList: Record<string, unknown>[] };
};

export const makeDocument = (events: Record<string, unknown>[]): EpcisDocument => ({
  '@context': [EPCIS_CONTEXT],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-06-01T08:00:00.000Z',
  epcisBody: { eventList: events },
});

export type SentDocument = {
  eventIds: string[];
  target: string;
  status?: number;
  body?: string;
  error?: string;
};

export type CaptureLoad = {
  /** 202: the document's events must all be in the log. */
  acknowledged: SentDocument[];
  /** Any other status. */
  refused: SentDocument[];
  /** No answer (connection broken): all of the document or none of it may be stored. */
  unknown: SentDocument[];
  /** The services the clients post to, in turn. */
  targets: string[];
  /** Resolves once `n` more documents have been acknowledged; fails, saying what the load saw, after `timeoutMs`. */
  acknowledgedMore: (n: number, timeoutMs?: number) => Promise<void>;
  /** Stops sending new documents and waits for the ones in flight. */
  stop: () => Promise<void>;
};

/**
 * How long a capture may take before the client gives up (its outcome is then unknown). A
 * connection that a killed process had accepted, or that the cluster primary was handing to a
 * worker at the moment it was killed, may never be answered: real clients time out, so does this.
 */
export const REQUEST_TIMEOUT_MS = 15_000;

export const post = (baseUrl: string, apiKey: string, document: unknown): Promise<Response> =>
  fetch(`${baseUrl}/capture`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/ld+json' },
    body: JSON.stringify(document),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });

export const startCaptureLoad = (options: {
  targets: string[];
  apiKey: string;
  clients: number;
  eventsPerDocument: number;
}): CaptureLoad => {
  const load: CaptureLoad = {
    acknowledged: [],
    refused: [],
    unknown: [],
    targets: [...options.targets],
    acknowledgedMore: (n, timeoutMs = 45_000) => {
      const goal = load.acknowledged.length + n;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const last = (docs: SentDocument[]) =>
            docs
              .slice(-3)
              .map((doc) => `${doc.status ?? ''} ${doc.error ?? doc.body ?? ''}`.slice(0, 300));
          reject(
            new Error(
              `${n} more acknowledged documents did not come within ${timeoutMs} ms: acknowledged ${load.acknowledged.length} (goal ${goal}), ` +
                `refused ${load.refused.length} ${JSON.stringify(last(load.refused))}, unknown ${load.unknown.length} ${JSON.stringify(last(load.unknown))}`,
            ),
          );
        }, timeoutMs);
        const waiter = {
          goal,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.push(waiter);
      });
    },
    stop: async () => {
      stopping = true;
      await Promise.all(clients);
    },
  };
  const waiters: { goal: number; resolve: () => void }[] = [];
  let stopping = false;
  let turn = 0;

  const client = async (): Promise<void> => {
    while (!stopping) {
      const target = load.targets[turn++ % load.targets.length]!;
      const events = Array.from({ length: options.eventsPerDocument }, makeEvent);
      const sent: SentDocument = { eventIds: events.map((e) => String(e.eventID)), target };
      try {
        const response = await post(target, options.apiKey, makeDocument(events));
        sent.status = response.status;
        sent.body = await response
          .text()
          .catch((error: unknown) => `(body lost: ${String(error)})`);
        if (response.status === 202) {
          load.acknowledged.push(sent);
          for (const waiter of waiters.filter((w) => load.acknowledged.length >= w.goal)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        } else {
          load.refused.push(sent);
        }
      } catch (error) {
        sent.error = String((error as { cause?: unknown }).cause ?? error);
        load.unknown.push(sent);
        // The target is gone (killed): don't spin on it.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const clients = Array.from({ length: options.clients }, client);
  return load;
};
