// The demo's GS1 keys, made from a GS1 Company Prefix and references: check digits are always
// computed (appendCheckDigit), never typed, and each key comes with the EPC URI that events use
// (EPC Tag Data Standard 2.x: the URI carries no check digit, so the GS1 key is the one to check).
import { appendCheckDigit, formatDigitalLink, GS1_DIGITAL_LINK_BASE } from '@traceroot/trace';

/** A GTIN with the EPC URIs of its instances (SGTIN) and lots (LGTIN class). */
export type Product = {
  /** GTIN-14. */
  readonly gtin: string;
  readonly sgtin: (serial: string) => string;
  readonly lgtin: (lot: string) => string;
};

/** A GLN (a physical location, or a party as a PGLN) with its EPC URI. */
export type Place = { readonly gln: string; readonly sgln: string };
export type Party = { readonly pgln: string; readonly urn: string };
export type LogisticUnit = { readonly sscc: string; readonly urn: string };

/** The keys one company makes from its GS1 Company Prefix (GCP, 6–12 digits). */
export type Company = {
  readonly gcp: string;
  /** A trade item; `itemReference` has 12 − GCP length digits (GTIN-13 in GTIN-14 form). */
  readonly product: (itemReference: string, indicator?: string) => Product;
  /** A location; `locationReference` has 12 − GCP length digits; SGLN extension 0 is the GLN. */
  readonly place: (locationReference: string) => Place;
  /** The company as a party (its PGLN, location reference all zeros). */
  readonly party: Party;
  /** A logistic unit; `serialReference` has 16 − GCP length digits. */
  readonly logisticUnit: (serialReference: string, extension?: string) => LogisticUnit;
};

const digits = (value: string, length: number, what: string): string => {
  if (value.length !== length || !/^[0-9]+$/.test(value)) {
    throw new Error(`${what} '${value}' must be ${length} digits`);
  }
  return value;
};

export const company = (gcp: string): Company => {
  if (!/^[0-9]{6,12}$/.test(gcp)) {
    throw new Error(`GS1 Company Prefix '${gcp}' must be 6–12 digits`);
  }
  const referenceLength = 12 - gcp.length;
  return {
    gcp,
    product: (itemReference, indicator = '0') => {
      digits(itemReference, referenceLength, `item reference for ${gcp}`);
      digits(indicator, 1, 'indicator');
      const gtin = appendCheckDigit(indicator + gcp + itemReference);
      const classPart = `${gcp}.${indicator}${itemReference}`;
      return {
        gtin,
        sgtin: (serial) => `urn:epc:id:sgtin:${classPart}.${serial}`,
        lgtin: (lot) => `urn:epc:class:lgtin:${classPart}.${lot}`,
      };
    },
    place: (locationReference) => {
      digits(locationReference, referenceLength, `location reference for ${gcp}`);
      return {
        gln: appendCheckDigit(gcp + locationReference),
        sgln: `urn:epc:id:sgln:${gcp}.${locationReference}.0`,
      };
    },
    party: {
      pgln: appendCheckDigit(gcp + '0'.repeat(referenceLength)),
      urn: `urn:epc:id:pgln:${gcp}.${'0'.repeat(referenceLength)}`,
    },
    logisticUnit: (serialReference, extension = '0') => {
      digits(serialReference, 16 - gcp.length, `SSCC serial reference for ${gcp}`);
      digits(extension, 1, 'SSCC extension digit');
      return {
        sscc: appendCheckDigit(extension + gcp + serialReference),
        urn: `urn:epc:id:sscc:${gcp}.${extension}${serialReference}`,
      };
    },
  };
};

/**
 * The path of a GTIN's Digital Link (GS1 Digital Link URI Syntax), canonical and percent-encoded:
 * `/01/{gtin}[/10/{lot}][/21/{serial}]`. Append it to a resolver's base (the web app's).
 */
export const digitalLinkPath = (key: { gtin: string; lot?: string; serial?: string }): string => {
  const qualifiers = [
    ...(key.lot === undefined ? [] : [{ ai: '10', value: key.lot }]),
    ...(key.serial === undefined ? [] : [{ ai: '21', value: key.serial }]),
  ];
  const link = formatDigitalLink({
    base: GS1_DIGITAL_LINK_BASE,
    primaryKey: { ai: '01', value: key.gtin },
    qualifiers,
    dataAttributes: [],
    otherParams: [],
  });
  return link.slice(GS1_DIGITAL_LINK_BASE.length);
};
