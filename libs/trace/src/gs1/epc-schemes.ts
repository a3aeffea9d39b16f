// The EPC URI schemes of the EPC Tag Data Standard (TDS) 2.x that have a GS1 Digital Link
// equivalent: pure identity URIs (§6.3, "urn:epc:id:"), the LGTIN class URI (§6.4.1,
// "urn:epc:class:lgtin:") and the pure identity pattern URIs (§8, "urn:epc:idpat:") whose last
// component alone is '*', i.e. every serial of one class. Field names follow the TDS grammar.
// Values are stored unescaped (TDS §5 escapes such as %2F are undone). Not covered: gid, usdod,
// adi, bic, imovn (no GS1 key), patterns with more than one '*'.

type Gcp = { companyPrefix: string };

/** A parsed EPC URI; `scheme` is the URN text between "urn:epc:" and the body. */
export type EpcUri = Gcp &
  (
    | { scheme: 'id:sgtin'; itemRefAndIndicator: string; serial: string }
    | { scheme: 'id:sscc'; serialReference: string }
    | { scheme: 'id:sgln'; locationReference: string; extension: string }
    | { scheme: 'id:grai'; assetType: string; serial: string }
    | { scheme: 'id:giai'; individualAssetReference: string }
    | { scheme: 'id:gsrn'; serviceReference: string }
    | { scheme: 'id:gsrnp'; serviceReference: string }
    | { scheme: 'id:gdti'; documentType: string; serial: string }
    | { scheme: 'id:cpi'; componentPartReference: string; serial: string }
    | { scheme: 'id:sgcn'; couponReference: string; serial: string }
    | { scheme: 'id:ginc'; consignmentReference: string }
    | { scheme: 'id:gsin'; shipperReference: string }
    | {
        scheme: 'id:itip';
        itemRefAndIndicator: string;
        piece: string;
        total: string;
        serial: string;
      }
    | { scheme: 'id:upui'; itemRefAndIndicator: string; tpx: string }
    | { scheme: 'id:pgln'; partyReference: string }
    | { scheme: 'class:lgtin'; itemRefAndIndicator: string; lot: string }
    | { scheme: 'idpat:sgtin'; itemRefAndIndicator: string }
    | { scheme: 'idpat:upui'; itemRefAndIndicator: string }
    | { scheme: 'idpat:grai'; assetType: string }
    | { scheme: 'idpat:gdti'; documentType: string }
    | { scheme: 'idpat:sgcn'; couponReference: string }
    | { scheme: 'idpat:cpi'; componentPartReference: string }
    | { scheme: 'idpat:itip'; itemRefAndIndicator: string; piece: string; total: string }
  );

export type EpcScheme = EpcUri['scheme'];

/**
 * How a component after the GS1 Company Prefix is written (TDS §5): digits = one or more
 * digits (PaddedNumericComponent), digits? = possibly empty (…OrEmpty), two = exactly two
 * digits, numeric = "0" or digits without a leading zero (NumericComponent), gs3a3 = CSET 82
 * escaped, cpref = CSET 39 escaped, * = the pattern wildcard.
 */
export type PartKind = 'digits' | 'digits?' | 'two' | 'numeric' | 'gs3a3' | 'cpref' | '*';

export type SchemeLayout = {
  /** Digits of the company prefix plus the first component together, where TDS fixes them. */
  digits?: number;
  parts: [field: string, kind: PartKind][];
};

const GTIN_PARTS: SchemeLayout['parts'] = [['itemRefAndIndicator', 'digits']];
const ITIP_PARTS: SchemeLayout['parts'] = [...GTIN_PARTS, ['piece', 'two'], ['total', 'two']];
const STAR: [string, PartKind] = ['last component', '*'];

export const SCHEMES: Record<EpcScheme, SchemeLayout> = {
  'id:sgtin': { digits: 13, parts: [...GTIN_PARTS, ['serial', 'gs3a3']] },
  'id:sscc': { digits: 17, parts: [['serialReference', 'digits']] },
  'id:sgln': {
    digits: 12,
    parts: [
      ['locationReference', 'digits?'],
      ['extension', 'gs3a3'],
    ],
  },
  'id:grai': {
    digits: 12,
    parts: [
      ['assetType', 'digits?'],
      ['serial', 'gs3a3'],
    ],
  },
  'id:giai': { parts: [['individualAssetReference', 'gs3a3']] },
  'id:gsrn': { digits: 17, parts: [['serviceReference', 'digits']] },
  'id:gsrnp': { digits: 17, parts: [['serviceReference', 'digits']] },
  'id:gdti': {
    digits: 12,
    parts: [
      ['documentType', 'digits?'],
      ['serial', 'gs3a3'],
    ],
  },
  'id:cpi': {
    parts: [
      ['componentPartReference', 'cpref'],
      ['serial', 'numeric'],
    ],
  },
  'id:sgcn': {
    digits: 12,
    parts: [
      ['couponReference', 'digits?'],
      ['serial', 'digits'],
    ],
  },
  'id:ginc': { parts: [['consignmentReference', 'gs3a3']] },
  'id:gsin': { digits: 16, parts: [['shipperReference', 'digits']] },
  'id:itip': { digits: 13, parts: [...ITIP_PARTS, ['serial', 'gs3a3']] },
  'id:upui': { digits: 13, parts: [...GTIN_PARTS, ['tpx', 'gs3a3']] },
  'id:pgln': { digits: 12, parts: [['partyReference', 'digits?']] },
  'class:lgtin': { digits: 13, parts: [...GTIN_PARTS, ['lot', 'gs3a3']] },
  'idpat:sgtin': { digits: 13, parts: [...GTIN_PARTS, STAR] },
  'idpat:upui': { digits: 13, parts: [...GTIN_PARTS, STAR] },
  'idpat:grai': { digits: 12, parts: [['assetType', 'digits?'], STAR] },
  'idpat:gdti': { digits: 12, parts: [['documentType', 'digits?'], STAR] },
  'idpat:sgcn': { digits: 12, parts: [['couponReference', 'digits?'], STAR] },
  'idpat:cpi': { parts: [['componentPartReference', 'cpref'], STAR] },
  'idpat:itip': { digits: 13, parts: [...ITIP_PARTS, STAR] },
};

export const isEpcScheme = (scheme: string): scheme is EpcScheme => Object.hasOwn(SCHEMES, scheme);
