/** The JSON-LD context of EPCIS 2.0 documents. */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** The namespace of the `traceroot:ledger` member each served event carries. */
export const TRACEROOT_LEDGER_NAMESPACE = 'https://traceroot.dev/ns/ledger#';

/** The EPCISQueryDocument for results (valid against the EPCIS JSON schema). */
export function queryDocument(
  queryName: string,
  events: readonly Record<string, unknown>[],
  subscriptionID?: string,
): Record<string, unknown> {
  return {
    '@context': [EPCIS_CONTEXT, { traceroot: TRACEROOT_LEDGER_NAMESPACE }],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      queryResults: {
        queryName,
        ...(subscriptionID === undefined ? {} : { subscriptionID }),
        resultsBody: { eventList: [...events] },
      },
    },
  };
}
