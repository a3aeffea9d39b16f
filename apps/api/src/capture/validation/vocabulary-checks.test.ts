import { describe, expect, it } from '@jest/globals';
import { type CbvVocabulary, expandCbvShortName } from '@traceroot/trace';

import { VOCABULARY_PREFIXES, findVocabularyProblem } from './vocabulary-checks.js';

// One short name per vocabulary, to compare our prefixes with the expansion of @traceroot/trace.
const SAMPLES: Record<CbvVocabulary, string> = {
  bizStep: 'shipping',
  disposition: 'in_transit',
  bizTransactionType: 'po',
  sourceDestType: 'owning_party',
  errorReason: 'did_not_occur',
  measurementType: 'Temperature',
  sensorAlertType: 'ALARM_CONDITION',
  component: 'latitude',
};
const KINDS = Object.keys(SAMPLES) as CbvVocabulary[];

describe(findVocabularyProblem.name, () => {
  it.each(KINDS)('uses the prefix @traceroot/trace expands %s short names with', (kind) => {
    expect(expandCbvShortName(kind, SAMPLES[kind])).toBe(VOCABULARY_PREFIXES[kind] + SAMPLES[kind]);
  });

  it.each(KINDS)('accepts a %s as a short name, a full URI or a compact IRI', (kind) => {
    const uri = VOCABULARY_PREFIXES[kind] + SAMPLES[kind];
    const compact = uri
      .replace('https://ref.gs1.org/cbv/', 'cbv:')
      .replace('https://gs1.org/voc/', 'gs1:');

    expect(findVocabularyProblem(kind, SAMPLES[kind])).toBeUndefined();
    expect(findVocabularyProblem(kind, uri)).toBeUndefined();
    expect(findVocabularyProblem(kind, compact)).toBeUndefined();
  });

  it.each([
    ['bizStep', 'https://ns.example.com/bizstep/curing'],
    ['bizStep', 'urn:example:bizstep:curing'],
    ['disposition', 'https://example.com/cbv/Disp-active'], // not the CBV's host
    ['measurementType', 'https://ns.example.com/Viscosity'],
  ] as const)('accepts a %s of another vocabulary: %s', (kind, value) => {
    expect(findVocabularyProblem(kind, value)).toBeUndefined();
  });

  it.each([
    ['bizStep', 'https://ref.gs1.org/cbv/BizStep-shipped', 'no term "shipped" is defined'],
    ['bizStep', 'cbv:BizStep-Shipping', 'no term "Shipping" is defined'],
    ['disposition', 'https://ref.gs1.org/cbv/BizStep-shipping', 'a CBV URI of another vocabulary'],
    ['errorReason', 'https://ref.gs1.org/cbv/ER-typo', 'no term "typo" is defined'],
    ['sensorAlertType', 'gs1:Temperature', 'no term "Temperature" is defined'],
    ['component', 'cbv:Comp-w', 'no term "w" is defined'],
  ] as const)('refuses the %s %s', (kind, value, reason) => {
    expect(findVocabularyProblem(kind, value)).toContain(reason);
  });
});
