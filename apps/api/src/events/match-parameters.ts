import { DomainError } from '../common/errors/domain-error.js';
import { identifierParameter } from './indexed-identifier.js';

// The EPCIS 2.0 query parameters MATCH_anyEPC and MATCH_anyEPCClass (a first part of the query
// interface; the full set is the query issue's). Values are pipe-delimited EPC URIs or GS1
// Digital Links, matched in the form the event index stores: canonical Digital Links.
const INSTANCE_ROLES = ['epc', 'parentID', 'childEPC', 'inputEPC', 'outputEPC'];
const CLASS_ROLES = ['quantity', 'childQuantity', 'inputQuantity', 'outputQuantity'];

/** The identifier filter of GET /events, or undefined when neither parameter is given. */
export const matchFilter = (
  anyEpc: string | undefined,
  anyEpcClass: string | undefined,
): { identifiers: string[]; roles: string[] } | undefined => {
  if (anyEpc === undefined && anyEpcClass === undefined) return undefined;
  if (anyEpc !== undefined && anyEpcClass !== undefined) {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      'give MATCH_anyEPC or MATCH_anyEPCClass, not both (not supported yet)',
    );
  }
  const [name, value, roles] =
    anyEpc !== undefined
      ? ['MATCH_anyEPC', anyEpc, INSTANCE_ROLES]
      : ['MATCH_anyEPCClass', anyEpcClass!, CLASS_ROLES];
  const identifiers = value.split('|').filter((v) => v !== '');
  if (identifiers.length === 0) {
    throw new DomainError('QUERY_PARAMETER_INVALID', `${name} is empty`);
  }
  return { identifiers: identifiers.map((v) => identifierParameter(v, name).identifier), roles };
};
