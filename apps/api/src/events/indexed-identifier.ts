import {
  type DigitalLink,
  epcUriToDigitalLink,
  formatDigitalLink,
  GS1_DIGITAL_LINK_BASE,
  parseDigitalLink,
  TraceError,
} from '@traceroot/trace';

import { DomainError } from '../common/errors/domain-error.js';

/**
 * An identifier as the event index (event_identifiers) stores it: the canonical Digital Link of a
 * GS1 key given as an EPC URI; anything else as written (e.g. a private URI).
 */
export const indexedForm = (id: string): string => {
  // Only EPC URIs and Digital Links convert: anything else (a business transaction's
  // `urn:epcglobal:cbv:bt:…`, a private URI) is returned without the conversion's exception,
  // whose stack trace cost ≈ 30 µs per event where every event names a business transaction.
  if (!GS1_KEY_FORM.test(id)) return id;
  try {
    return epcUriToDigitalLink(id);
  } catch {
    return id;
  }
};

/** What epcUriToDigitalLink may convert: an EPC URI or an http(s) URI (a Digital Link). */
const GS1_KEY_FORM = /^(?:urn:epc:|https?:\/\/)/i;

/**
 * The identifier a query or path parameter `name` names, in the index's form: an EPC URI → its
 * canonical Digital Link; a Digital Link URI (on any host) or path (`/01/…`) → canonical on
 * id.gs1.org, without data attributes or other query parameters, returned parsed as well.
 * Throws QUERY_PARAMETER_INVALID naming the parameter and the library's reason.
 */
export const identifierParameter = (
  value: string,
  name: string,
): { identifier: string; digitalLink?: DigitalLink } => {
  const given = value.trim();
  if (given === '') throw new DomainError('QUERY_PARAMETER_INVALID', `${name} is empty`);
  try {
    if (/^urn:/i.test(given)) return { identifier: epcUriToDigitalLink(given) };
    const digitalLink = parseDigitalLink(
      given.startsWith('/') ? GS1_DIGITAL_LINK_BASE + given : given,
    );
    return {
      identifier: formatDigitalLink({ ...digitalLink, dataAttributes: [], otherParams: [] }),
      digitalLink,
    };
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      `${name}: '${given}' is not an EPC URI or GS1 Digital Link: ${error.message}`,
    );
  }
};
