import {
  epcUriToDigitalLink,
  formatDigitalLink,
  GS1_DIGITAL_LINK_BASE,
  isTraceError,
  parseDigitalLink,
} from '@traceroot/trace';

/** Why a scanned identifier names no serialised item. */
export class ScanIdentifierError extends Error {
  override readonly name = 'ScanIdentifierError';
}

/**
 * The canonical identifier of a scanned serialised item, `https://id.gs1.org/01/{gtin14}/21/{serial}`,
 * from a Digital Link URI (any host), a Digital Link path (`/01/{gtin}/10/{lot}/21/{serial}`) or an
 * SGTIN EPC URI. A lot in the path is allowed and dropped (GTIN + serial identify the item, as the
 * events' identifier index writes an SGTIN); data attributes are ignored. Attacker-controlled:
 * anything else, e.g. a GTIN or lot without a serial, is a ScanIdentifierError.
 */
export const parseScannedItem = (identifier: string): string => {
  const uri = identifier.startsWith('/') ? `${GS1_DIGITAL_LINK_BASE}${identifier}` : identifier;
  try {
    const { primaryKey, qualifiers } = parseDigitalLink(epcUriToDigitalLink(uri));
    const serial = qualifiers.find((q) => q.ai === '21');
    if (primaryKey.ai !== '01' || serial === undefined) {
      throw new ScanIdentifierError(
        `'${identifier}' names no serialised item: it needs a GTIN (01) and a serial number (21), e.g. /01/09506000134352/21/1234`,
      );
    }
    return formatDigitalLink({
      base: GS1_DIGITAL_LINK_BASE,
      primaryKey,
      qualifiers: [serial],
      dataAttributes: [],
      otherParams: [],
    });
  } catch (error) {
    if (!isTraceError(error)) throw error;
    throw new ScanIdentifierError(`'${identifier}' is not a GS1 Digital Link: ${error.message}`, {
      cause: error,
    });
  }
};
