// The demo's key builder against @traceroot/trace's own EPC URI → Digital Link conversion (EPC
// TDS 2.x, which computes the check digit itself): for any company prefix and reference, the GS1
// key and the EPC URI built side by side name the same thing, and the check digit is GS1's.
import { describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink, isValidCheckDigit } from '@traceroot/trace';
import fc from 'fast-check';

import { company, digitalLinkPath } from './gs1.js';

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

// A GS1 Company Prefix of 6–12 digits and a reference filling the key to 12 digits.
const prefixAndReference = fc
  .integer({ min: 6, max: 11 })
  .chain((n) => fc.tuple(digits(n, n), digits(12 - n, 12 - n)));

describe('company', () => {
  it('makes GTINs, GLNs and party GLNs that are the keys of their EPC URIs', () => {
    fc.assert(
      fc.property(prefixAndReference, fc.constantFrom(...'0123456789'), ([gcp, ref], indicator) => {
        const c = company(gcp);
        const product = c.product(ref, indicator);
        expect(product.gtin).toHaveLength(14);
        expect(isValidCheckDigit(product.gtin)).toBe(true);
        expect(epcUriToDigitalLink(product.sgtin('7'))).toBe(
          `https://id.gs1.org/01/${product.gtin}/21/7`,
        );
        expect(epcUriToDigitalLink(product.lgtin('L-1'))).toBe(
          `https://id.gs1.org/01/${product.gtin}/10/L-1`,
        );
        const place = c.place(ref);
        expect(epcUriToDigitalLink(place.sgln)).toBe(`https://id.gs1.org/414/${place.gln}`);
        expect(epcUriToDigitalLink(c.party.urn)).toBe(`https://id.gs1.org/417/${c.party.pgln}`);
      }),
    );
  });

  it('makes SSCCs that are the keys of their EPC URIs', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 6, max: 12 })
          .chain((n) => fc.tuple(digits(n, n), digits(16 - n, 16 - n))),
        fc.constantFrom(...'0123456789'),
        ([gcp, serial], extension) => {
          const unit = company(gcp).logisticUnit(serial, extension);
          expect(unit.sscc).toHaveLength(18);
          expect(epcUriToDigitalLink(unit.urn)).toBe(`https://id.gs1.org/00/${unit.sscc}`);
        },
      ),
    );
  });

  it('refuses references of the wrong length', () => {
    expect(() => company('0614141').product('123')).toThrow(/5 digits/);
    expect(() => company('0614141').logisticUnit('1')).toThrow(/9 digits/);
    expect(() => company('06141')).toThrow(/6–12 digits/);
  });
});

describe('digitalLinkPath', () => {
  it('writes the canonical path, qualifiers in GS1 order, values percent-encoded', () => {
    expect(digitalLinkPath({ gtin: '09506000134352', serial: 'A/1', lot: 'B&2' })).toBe(
      '/01/09506000134352/10/B%262/21/A%2F1',
    );
  });
});
