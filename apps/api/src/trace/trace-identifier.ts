import { formatDigitalLink } from '@traceroot/trace';

import { identifierParameter } from '../events/indexed-identifier.js';

/**
 * Where a trace starts: the identifiers, in the form the event index stores them (canonical GS1
 * Digital Link URIs on id.gs1.org), that the given identifier names. A Digital Link with both a
 * lot and a serial names two: the instance (GTIN + serial, which is what an SGTIN EPC is) and its
 * lot (GTIN + lot, an LGTIN class).
 */
export const traceStart = (identifier: string): string[] => {
  const { identifier: indexed, digitalLink: dl } = identifierParameter(identifier, 'identifier');
  const lot = dl?.qualifiers.find((q) => q.ai === '10');
  const serial = dl?.qualifiers.find((q) => q.ai === '21');
  if (!dl || dl.primaryKey.ai !== '01' || !lot || !serial) return [indexed];
  const plain = { ...dl, dataAttributes: [], otherParams: [] };
  return [
    formatDigitalLink({ ...plain, qualifiers: [serial] }),
    formatDigitalLink({ ...plain, qualifiers: [lot] }),
  ];
};
