import { TraceError } from '../errors.js';

import { escapeEpcComponent, unescapeEpcComponent } from './charset.js';
import { appendCheckDigit } from './check-digit.js';
import { type EpcUri, type PartKind, SCHEMES, isEpcScheme } from './epc-schemes.js';
import { type AiElement, orderKeyQualifiers } from './key-path.js';

const invalid = (message: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', message);
};

const PART_PATTERNS: Partial<Record<PartKind, RegExp>> = {
  digits: /^[0-9]+$/,
  'digits?': /^[0-9]*$/,
  two: /^[0-9]{2}$/,
  numeric: /^(0|[1-9][0-9]*)$/,
  '*': /^\*$/,
};

const readPart = (text: string, kind: PartKind, what: string): string => {
  if (kind === 'gs3a3' || kind === 'cpref') {
    if (text === '') invalid(`${what} must not be empty`);
    return unescapeEpcComponent(text, kind, what);
  }
  if (!PART_PATTERNS[kind]?.test(text)) {
    invalid(`${what} '${text}' is not ${kind === '*' ? "'*'" : 'digits as TDS requires'}`);
  }
  return text;
};

// A GTIN-14 or SSCC from its EPC form (EPC TDS §7.1, §7.2): the indicator (GTIN) or extension
// digit (SSCC) leads the second URI component but the key, and the check digit is not in the URI.
const withLeadingDigit = (gcp: string, itemRefAndIndicator: string): string =>
  appendCheckDigit(itemRefAndIndicator.charAt(0) + gcp + itemRefAndIndicator.slice(1));

/**
 * The GS1 element strings of an EPC (EPC TDS 2.x §7, "Correspondence between EPCs and GS1
 * Keys"), primary key first: check digits computed, an SGLN extension of "0" dropped (TDS §7.4:
 * "0" means no GLN extension), a GRAI prefixed with its leading "0" (AI 8003 is N1 N13 X..16).
 */
export const epcToElements = (epc: EpcUri): AiElement[] => {
  const gcp = epc.companyPrefix;
  switch (epc.scheme) {
    case 'id:sgtin':
      return [
        { ai: '01', value: withLeadingDigit(gcp, epc.itemRefAndIndicator) },
        { ai: '21', value: epc.serial },
      ];
    case 'class:lgtin':
      return [
        { ai: '01', value: withLeadingDigit(gcp, epc.itemRefAndIndicator) },
        { ai: '10', value: epc.lot },
      ];
    case 'idpat:sgtin':
    case 'idpat:upui':
      return [{ ai: '01', value: withLeadingDigit(gcp, epc.itemRefAndIndicator) }];
    case 'id:upui':
      return [
        { ai: '01', value: withLeadingDigit(gcp, epc.itemRefAndIndicator) },
        { ai: '235', value: epc.tpx },
      ];
    case 'id:sscc':
      return [{ ai: '00', value: withLeadingDigit(gcp, epc.serialReference) }];
    case 'id:sgln': {
      const gln = { ai: '414', value: appendCheckDigit(gcp + epc.locationReference) };
      return epc.extension === '0' ? [gln] : [gln, { ai: '254', value: epc.extension }];
    }
    case 'id:pgln':
      return [{ ai: '417', value: appendCheckDigit(gcp + epc.partyReference) }];
    case 'id:grai':
    case 'idpat:grai': {
      const serial = epc.scheme === 'id:grai' ? epc.serial : '';
      return [{ ai: '8003', value: `0${appendCheckDigit(gcp + epc.assetType)}${serial}` }];
    }
    case 'id:giai':
      return [{ ai: '8004', value: gcp + epc.individualAssetReference }];
    case 'id:gsrn':
    case 'id:gsrnp':
      return [
        {
          ai: epc.scheme === 'id:gsrn' ? '8018' : '8017',
          value: appendCheckDigit(gcp + epc.serviceReference),
        },
      ];
    case 'id:gdti':
    case 'idpat:gdti': {
      const serial = epc.scheme === 'id:gdti' ? epc.serial : '';
      return [{ ai: '253', value: appendCheckDigit(gcp + epc.documentType) + serial }];
    }
    case 'id:sgcn':
    case 'idpat:sgcn': {
      const serial = epc.scheme === 'id:sgcn' ? epc.serial : '';
      return [{ ai: '255', value: appendCheckDigit(gcp + epc.couponReference) + serial }];
    }
    case 'id:cpi':
      return [
        { ai: '8010', value: gcp + epc.componentPartReference },
        { ai: '8011', value: epc.serial },
      ];
    case 'idpat:cpi':
      return [{ ai: '8010', value: gcp + epc.componentPartReference }];
    case 'id:ginc':
      return [{ ai: '401', value: gcp + epc.consignmentReference }];
    case 'id:gsin':
      return [{ ai: '402', value: appendCheckDigit(gcp + epc.shipperReference) }];
    case 'id:itip':
    case 'idpat:itip': {
      const value = withLeadingDigit(gcp, epc.itemRefAndIndicator) + epc.piece + epc.total;
      return epc.scheme === 'id:itip'
        ? [
            { ai: '8006', value },
            { ai: '21', value: epc.serial },
          ]
        : [{ ai: '8006', value }];
    }
  }
};

const SUPPORTED =
  'id:sgtin|sscc|sgln|grai|giai|gsrn|gsrnp|gdti|cpi|sgcn|ginc|gsin|itip|upui|pgln, class:lgtin, idpat:sgtin|upui|grai|gdti|sgcn|cpi|itip';

// The components of a URI body: the company prefix, then one per layout part, the last taking
// the rest (a GS3A3 serial may contain '.').
const splitBody = (uri: string, scheme: string, body: string, count: number): string[] => {
  const pieces = body.split('.');
  if (scheme.startsWith('idpat:') && pieces.slice(0, -1).includes('*')) {
    invalid(`EPC pattern '${uri}': only '*' in the last component (one class) is supported`);
  }
  if (pieces.length <= count) {
    invalid(`EPC URI '${uri}' needs ${count + 1} '.'-separated components`);
  }
  return Array.from({ length: count + 1 }, (_, i) =>
    pieces.slice(i, i === count ? undefined : i + 1).join('.'),
  );
};

/**
 * Parses an EPC pure identity URI, LGTIN class URI or single-class pattern URI (EPC Tag Data
 * Standard 2.x §6.3, §6.4, §8; grammar and escapes of §5). Besides the grammar it checks what
 * the GS1 key it denotes must satisfy (lengths and characters of serials, lots, references; see
 * epcToElements). Throws INVALID_IDENTIFIER naming the component; schemes without a GS1 Digital
 * Link equivalent (gid, usdod, adi, bic, imovn) are refused.
 *
 * @example parseEpcUri('urn:epc:id:sgtin:4012345.011111.987')
 */
export const parseEpcUri = (uri: string): EpcUri => {
  const [, level = '', name = '', body = ''] =
    /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/.exec(String(uri)) ??
    invalid(`'${String(uri)}' is not an EPC URI (urn:epc:id|class|idpat:<scheme>:…)`);
  const scheme = `${level}:${name}`;
  if (!isEpcScheme(scheme)) {
    invalid(`EPC scheme '${scheme}' is not supported (supported: ${SUPPORTED})`);
  }
  const layout = SCHEMES[scheme as keyof typeof SCHEMES];
  const texts = splitBody(uri, scheme, body, layout.parts.length);
  const companyPrefix = texts.slice(0, 1).join('');
  if (!/^[0-9]{6,12}$/.test(companyPrefix)) {
    invalid(`EPC URI '${uri}': GS1 Company Prefix '${companyPrefix}' must be 6 to 12 digits`);
  }
  const epc: Record<string, string> = { scheme, companyPrefix };
  layout.parts.forEach(([field, kind], i) => {
    const value = readPart(texts.slice(i + 1, i + 2).join(''), kind, `EPC URI '${uri}': ${field}`);
    if (kind !== '*') epc[field] = value;
  });
  // TDS §6.3: company prefix + first component have a fixed number of digits for most schemes.
  const digits = companyPrefix.length + texts.slice(1, 2).join('').length;
  if (layout.digits !== undefined && digits !== layout.digits) {
    const first = layout.parts.slice(0, 1).map(([field]) => field);
    invalid(
      `EPC URI '${uri}': company prefix and ${first.join('')} must have ${layout.digits} digits together`,
    );
  }
  // The layout guarantees the shape of the scheme's member of the union.
  const parsed = epc as EpcUri;
  try {
    const [primaryKey, ...qualifiers] = epcToElements(parsed) as [AiElement, ...AiElement[]];
    orderKeyQualifiers(primaryKey, qualifiers);
  } catch (cause) {
    /* c8 ignore next */
    if (!(cause instanceof TraceError)) throw cause; // a bug, not a bad identifier
    throw new TraceError('INVALID_IDENTIFIER', `EPC URI '${uri}': ${cause.message}`, { cause });
  }
  return parsed;
};

/** Formats an EPC as its URI (EPC TDS §5 escapes applied), validating it as parseEpcUri does. */
export const formatEpcUri = (epc: EpcUri): string => {
  const layout = SCHEMES[epc.scheme];
  const fields = epc as unknown as Record<string, string | undefined>;
  const texts = layout.parts.map(([field, kind]) => {
    const value = kind === '*' ? '*' : (fields[field] ?? '');
    return kind === 'gs3a3' || kind === 'cpref' ? escapeEpcComponent(value, kind) : value;
  });
  const uri = `urn:epc:${epc.scheme}:${[epc.companyPrefix, ...texts].join('.')}`;
  parseEpcUri(uri);
  return uri;
};
