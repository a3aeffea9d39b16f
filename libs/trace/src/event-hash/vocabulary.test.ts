import { describe, expect, it } from '@jest/globals';

import {
  type CbvVocabulary,
  expandCbvShortName,
  formatCbvWebUri,
  isCbvShortName,
} from './vocabulary.js';

// Expected URIs: the term definitions of the EPCIS 2.0.0 JSON-LD context
// (shared/conformance/epcis/context/epcis-context.jsonld), with cbv = https://ref.gs1.org/cbv/
// and gs1 = https://gs1.org/voc/.
describe('expandCbvShortName (CBV 2.0 event hash ID rule 16)', () => {
  it.each([
    ['bizStep', 'shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['bizStep', 'void_shipping', 'https://ref.gs1.org/cbv/BizStep-void_shipping'],
    ['disposition', 'in_transit', 'https://ref.gs1.org/cbv/Disp-in_transit'],
    ['disposition', 'completeness_inferred', 'https://ref.gs1.org/cbv/Disp-completeness_inferred'],
    ['bizTransactionType', 'desadv', 'https://ref.gs1.org/cbv/BTT-desadv'],
    ['sourceDestType', 'possessing_party', 'https://ref.gs1.org/cbv/SDT-possessing_party'],
    ['errorReason', 'incorrect_data', 'https://ref.gs1.org/cbv/ER-incorrect_data'],
    ['measurementType', 'Temperature', 'https://gs1.org/voc/Temperature'],
    ['measurementType', 'Wavenumber', 'https://gs1.org/voc/Wavenumber'],
    ['sensorAlertType', 'ALARM_CONDITION', 'https://gs1.org/voc/ALARM_CONDITION'],
    ['component', 'latitude', 'https://ref.gs1.org/cbv/Comp-latitude'],
  ] satisfies [CbvVocabulary, string, string][])('%s %s', (kind, value, want) => {
    expect(isCbvShortName(kind, value)).toBe(true);
    expect(expandCbvShortName(kind, value)).toBe(want);
  });

  it.each([
    ['a term of another vocabulary', 'disposition', 'shipping'],
    ['another case', 'bizStep', 'Shipping'],
    ['a URI', 'bizStep', 'https://ref.gs1.org/cbv/BizStep-shipping'],
    ['a private URI', 'bizStep', 'http://epcis.example.com/user/vocab/bizstep/exampling'],
    ['a CURIE', 'measurementType', 'gs1:Temperature'],
    ['surrounding whitespace', 'bizStep', ' shipping'],
  ] satisfies [string, CbvVocabulary, string][])('leaves %s unchanged', (_name, kind, value) => {
    expect(isCbvShortName(kind, value)).toBe(false);
    expect(expandCbvShortName(kind, value)).toBe(value);
  });
});

describe('formatCbvWebUri (CBV 2.0 event hash ID rule 14)', () => {
  it.each([
    ['urn:epcglobal:cbv:bizstep:receiving', 'https://ref.gs1.org/cbv/BizStep-receiving'],
    ['urn:epcglobal:cbv:disp:in_progress', 'https://ref.gs1.org/cbv/Disp-in_progress'],
    ['urn:epcglobal:cbv:btt:po', 'https://ref.gs1.org/cbv/BTT-po'],
    ['urn:epcglobal:cbv:sdt:owning_party', 'https://ref.gs1.org/cbv/SDT-owning_party'],
    ['urn:epcglobal:cbv:er:did_not_occur', 'https://ref.gs1.org/cbv/ER-did_not_occur'],
    // Identifiers and attribute names of the urn:epcglobal:cbv: space are not vocabulary.
    ['urn:epcglobal:cbv:bt:4012345000009:ASN1099', 'urn:epcglobal:cbv:bt:4012345000009:ASN1099'],
    ['urn:epcglobal:cbv:mda:lotNumber', 'urn:epcglobal:cbv:mda:lotNumber'],
    [
      'https://example.com/urn:epcglobal:cbv:bizstep:x',
      'https://example.com/urn:epcglobal:cbv:bizstep:x',
    ],
  ])('%s', (value, want) => {
    expect(formatCbvWebUri(value)).toBe(want);
  });
});
