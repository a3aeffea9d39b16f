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
  try {
    return epcUriToDigitalLink(id);
  } catch {
    return id;
  }
};

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
