import {
  epcUriToDigitalLink,
  formatDigitalLink,
  GS1_DIGITAL_LINK_BASE,
  parseDigitalLink,
  TraceError,
} from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';

/**
 * Where a trace starts: the identifiers, in the form the event index stores them (canonical GS1
 * Digital Link URIs on id.gs1.org), that the given identifier names. A Digital Link with both a
 * lot and a serial names two: the instance (GTIN + serial, which is what an SGTIN EPC is) and its
 * lot (GTIN + lot, an LGTIN class).
 */
export const traceStart = (identifier: string): string[] => {
  const given = identifier.trim();
  if (given === '') {
    throw new DomainError('QUERY_PARAMETER_INVALID', 'the identifier to trace is empty');
  }
  try {
    if (/^urn:/i.test(given)) return [epcUriToDigitalLink(given)];
    const uri = given.startsWith('/') ? GS1_DIGITAL_LINK_BASE + given : given;
    const dl = parseDigitalLink(uri);
    const plain = { ...dl, dataAttributes: [], otherParams: [] };
    const lot = dl.qualifiers.find((q) => q.ai === '10');
    const serial = dl.qualifiers.find((q) => q.ai === '21');
    if (dl.primaryKey.ai !== '01' || !lot || !serial) return [formatDigitalLink(plain)];
    return [
      formatDigitalLink({ ...plain, qualifiers: [serial] }),
      formatDigitalLink({ ...plain, qualifiers: [lot] }),
    ];
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      `'${given}' is not an EPC URI or GS1 Digital Link: ${error.message}`,
    );
  }
};
