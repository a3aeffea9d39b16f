import { TraceError } from '../errors.js';

import { GS1_DIGITAL_LINK_BASE, formatDigitalLink, parseDigitalLink } from './digital-link.js';
import { elementsToEpc } from './epc-from-key.js';
import { epcToElements, formatEpcUri, parseEpcUri } from './epc-uri.js';
import type { AiElement } from './key-path.js';

const invalid = (message: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', message);
};

/**
 * The canonical GS1 Digital Link URI of an EPC URI, as EPCIS 2.0 / CBV 2.0 use it, following
 * the EPC ⇄ GS1 key correspondence of EPC TDS 2.x §7: `urn:epc:id:sgtin:4012345.011111.987` gives
 * `https://id.gs1.org/01/04012345111118/21/987`, `urn:epc:id:sgln:4012345.00005.0` gives
 * `https://id.gs1.org/414/4012345000054` (extension "0" = none), `urn:epc:class:lgtin:…` a
 * GTIN + lot (10) and `urn:epc:idpat:sgtin:….*` the GTIN alone (all its serials).
 *
 * A Digital Link input is returned canonicalised on `base` (see formatDigitalLink) keeping only
 * its identity, primary key and key qualifiers: an EPC never carries data attributes, so the
 * output of this function always names the object and nothing else.
 *
 * Throws INVALID_IDENTIFIER for anything else, naming the offending part.
 */
export const epcUriToDigitalLink = (uri: string, base: string = GS1_DIGITAL_LINK_BASE): string => {
  // The same identifier is converted several times per captured event (event hash ID, query
  // index) and locations and classes repeat across events: results are remembered in a bounded
  // map, emptied when full. The conversion is pure, and failures (thrown) are not remembered.
  const key =
    typeof uri === 'string' && typeof base === 'string' && uri.length <= CONVERTED_MAX_LENGTH
      ? `${base} ${uri}`
      : undefined;
  const known = key === undefined ? undefined : converted.get(key);
  if (known !== undefined) return known;
  const result = convertToDigitalLink(uri, base);
  if (key !== undefined) {
    if (converted.size >= CONVERTED_CACHE_SIZE) converted.clear();
    converted.set(key, result);
  }
  return result;
};

const CONVERTED_CACHE_SIZE = 8192;
// Identifiers are short (an SGTIN URI is < 60 characters); a long input (a Digital Link with a
// huge query string) is converted every time rather than kept.
const CONVERTED_MAX_LENGTH = 256;
const converted = new Map<string, string>();

const convertToDigitalLink = (uri: string, base: string): string => {
  if (typeof uri === 'string' && uri.startsWith('urn:epc:')) {
    const [primaryKey, ...qualifiers] = epcToElements(parseEpcUri(uri)) as [
      AiElement,
      ...AiElement[],
    ];
    return formatDigitalLink(
      { base, primaryKey, qualifiers, dataAttributes: [], otherParams: [] },
      base,
    );
  }
  if (typeof uri !== 'string' || !/^https?:\/\//i.test(uri)) {
    invalid(`'${String(uri)}' is neither an EPC URI (urn:epc:…) nor a GS1 Digital Link URI`);
  }
  const dl = parseDigitalLink(uri);
  return formatDigitalLink({ ...dl, dataAttributes: [], otherParams: [] }, base);
};

/**
 * The EPC URI of a GS1 Digital Link URI (EPC TDS 2.x §7.3–7.18; the reverse of
 * epcUriToDigitalLink): serialised keys give pure identity URIs (§6.3), GTIN + lot the LGTIN
 * class URI (§6.4.1), and a key without its serial (GTIN, ITIP, GRAI, GDTI, GCN, CPID) the pure
 * identity pattern URI of all its serials (§8). Check digits are dropped and the GTIN indicator
 * or SSCC extension digit moves behind the company prefix.
 *
 * `companyPrefixLength` is required: where the GS1 Company Prefix ends inside a key cannot be
 * derived from the key, only looked up (GS1 Company Prefix length table; TDS §7.3 step 2). It is
 * 4 to 12; a 4- or 5-digit GCP is written as 6 digits (TDS §7.1), an individually assigned key
 * uses 12 (§7.2) and a GTIN-8 uses 8 (§7.3.2: "00000" + its GS1-8 prefix).
 *
 * Data attributes are ignored; a lot or CPV next to a serial is dropped (an SGTIN is GTIN +
 * serial, §7.3). Qualifiers EPC cannot express (CPV without serial, 7040, 8019, 254 = "0"), keys
 * without an EPC scheme (415, 8013) and GTINs TDS §7.3.3–7.3.8 excludes throw INVALID_IDENTIFIER.
 * An EPC URI input is returned in canonical form.
 */
export const digitalLinkToEpcUri = (uri: string, companyPrefixLength: number): string => {
  if (typeof uri === 'string' && uri.startsWith('urn:epc:')) return formatEpcUri(parseEpcUri(uri));
  if (
    !Number.isInteger(companyPrefixLength) ||
    companyPrefixLength < 4 ||
    companyPrefixLength > 12
  ) {
    invalid(
      `companyPrefixLength ${companyPrefixLength} must be an integer from 4 to 12: the GS1 Company Prefix length cannot be derived from the key, look it up in GS1's company prefix length table`,
    );
  }
  const dl = parseDigitalLink(uri);
  const epcPrefixLength = Math.max(6, companyPrefixLength); // TDS §7.1
  return formatEpcUri(elementsToEpc(dl.primaryKey, dl.qualifiers, epcPrefixLength));
};
