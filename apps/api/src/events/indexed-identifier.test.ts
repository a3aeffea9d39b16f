import { describe, expect, it } from '@jest/globals';

import { indexedForm } from './indexed-identifier.js';

describe('indexedForm', () => {
  it('turns an EPC URI into its canonical Digital Link', () => {
    expect(indexedForm('urn:epc:id:sgtin:4012345.011111.987')).toBe(
      'https://id.gs1.org/01/04012345111118/21/987',
    );
    expect(indexedForm('urn:epc:id:sgln:4012345.00005.0')).toBe(
      'https://id.gs1.org/414/4012345000054',
    );
  });

  it('moves a Digital Link on any host to id.gs1.org without data attributes', () => {
    expect(indexedForm('https://example.com/01/04012345111118/21/987?17=261231')).toBe(
      'https://id.gs1.org/01/04012345111118/21/987',
    );
  });

  it('keeps anything else as written: business transactions, private URIs, malformed EPCs', () => {
    for (const id of [
      'urn:epcglobal:cbv:bt:4012345000009:PO-1',
      'urn:uuid:0b1c5e0e-6d1a-4c52-9c1e-5a0f1d7c2b3a',
      'urn:epc:id:sgtin:not-an-epc',
      'https://example.com/not/a/digital/link',
      'URN:EPC:ID:SGTIN:4012345.011111.987',
      '',
    ]) {
      expect(indexedForm(id)).toBe(id);
    }
  });
});
