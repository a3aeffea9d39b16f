import { type CbvVocabulary, isCbvShortName } from '@traceroot/trace';

// CBV 2.0 vocabulary values the schema cannot judge. The schema already refuses a bare word that
// is not a short name of the field's vocabulary, and EPCIS 1.x URNs; it lets through any other
// absolute URI, including a CBV 2.0 web URI with a term the CBV does not define
// (https://ref.gs1.org/cbv/BizStep-shipped) or from another vocabulary (…/cbv/Disp-active as a
// bizStep). Those are checked here, in full and as compact IRIs (cbv:BizStep-shipping).

const CBV = 'https://ref.gs1.org/cbv/';
const GS1_VOC = 'https://gs1.org/voc/';

// The web URI prefix of each vocabulary's terms (CBV 2.0 §7 and §8; the same prefixes
// expandCbvShortName applies, which vocabulary-checks.test.ts confirms).
export const VOCABULARY_PREFIXES: Readonly<Record<CbvVocabulary, string>> = {
  bizStep: `${CBV}BizStep-`,
  disposition: `${CBV}Disp-`,
  bizTransactionType: `${CBV}BTT-`,
  sourceDestType: `${CBV}SDT-`,
  errorReason: `${CBV}ER-`,
  measurementType: GS1_VOC,
  sensorAlertType: GS1_VOC,
  component: `${CBV}Comp-`,
};

const LABELS: Readonly<Record<CbvVocabulary, string>> = {
  bizStep: 'business step',
  disposition: 'disposition',
  bizTransactionType: 'business transaction type',
  sourceDestType: 'source/destination type',
  errorReason: 'error reason',
  measurementType: 'measurement type',
  sensorAlertType: 'sensor alert type',
  component: 'component',
};

// The two standard prefixes of the EPCIS 2.0 context that name vocabulary terms.
const expandStandardPrefix = (value: string): string => {
  if (value.startsWith('cbv:')) return CBV + value.slice(4);
  if (value.startsWith('gs1:')) return GS1_VOC + value.slice(4);
  return value;
};

/**
 * Why `value` is not an acceptable `kind` value (a sentence completing "<field> <value> …"), or
 * undefined: a CBV short name, or a URI outside the CBV vocabularies, is acceptable.
 */
export const findVocabularyProblem = (kind: CbvVocabulary, value: string): string | undefined => {
  if (isCbvShortName(kind, value)) return undefined;
  const uri = expandStandardPrefix(value);
  const prefix = VOCABULARY_PREFIXES[kind];
  if (uri.startsWith(prefix)) {
    const term = uri.slice(prefix.length);
    return isCbvShortName(kind, term)
      ? undefined
      : `is not a ${LABELS[kind]}: no term ${JSON.stringify(term)} is defined under ${prefix}`;
  }
  if (uri.startsWith(CBV)) {
    return `is a CBV URI of another vocabulary: a ${LABELS[kind]} is a short name or a URI under ${prefix}`;
  }
  return undefined;
};
