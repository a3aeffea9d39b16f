import {
  type AiElement,
  type DigitalLink,
  formatDigitalLink,
  GS1_DIGITAL_LINK_BASE,
  isTraceError,
  parseDigitalLink,
} from '@traceroot/trace';

import { ProblemError } from './problem';

/** A trade item, a lot of it or one serialised instance: what our QR codes identify. */
export type GtinIdentifier = { gtin: string; lot?: string; serial?: string };

// The consumer pages resolve /01/{gtin}[/10/{lot}][/21/{serial}] (GS1 Digital Link URI Syntax
// §4), so those are the only codes printed. The library knows more keys (SSCC, GLN…) and
// qualifiers (CPV 22, TPX 235); a code for them would lead a shopper to a 404.
const PRIMARY_KEY_AI = '01';
const QUALIFIER_AIS: readonly string[] = ['10', '21'];

const fromTraceError = (error: unknown): never => {
  if (isTraceError(error)) throw new ProblemError('INVALID_IDENTIFIER', error.message);
  throw error; // a bug, not a bad identifier
};

const checkScope = (dl: DigitalLink): DigitalLink => {
  if (dl.primaryKey.ai !== PRIMARY_KEY_AI) {
    throw new ProblemError(
      'INVALID_IDENTIFIER',
      `QR codes are made for GTINs (AI 01), not for primary key (${dl.primaryKey.ai})`,
    );
  }
  const other = dl.qualifiers.find((q) => !QUALIFIER_AIS.includes(q.ai));
  if (other) {
    throw new ProblemError(
      'INVALID_IDENTIFIER',
      `QR codes carry a lot (10) and a serial number (21) only, not AI (${other.ai})`,
    );
  }
  return dl;
};

/**
 * The canonical GS1 Digital Link URI on `base` of a Digital Link path such as
 * `/01/9506000134352/10/ABC%2F1` (percent-encoded as in a URL; GTIN-8/12/13 accepted). The
 * library parses and formats, so GTIN-14, percent-encoding and qualifier order are exactly its.
 *
 * Attacker-controlled input: the library's reason for refusing it becomes the problem detail.
 */
export const canonicalDigitalLinkOfPath = (path: string, base: string): string => {
  let dl: DigitalLink;
  try {
    // Parsed on a fixed base, so whatever precedes the primary key shows up in `dl.base`.
    dl = parseDigitalLink(GS1_DIGITAL_LINK_BASE + path);
  } catch (error) {
    return fromTraceError(error);
  }
  if (dl.base !== GS1_DIGITAL_LINK_BASE) {
    const prefix = dl.base.slice(GS1_DIGITAL_LINK_BASE.length);
    throw new ProblemError(
      'INVALID_IDENTIFIER',
      `'${prefix}' precedes the primary key: the path must start with /01/{gtin}`,
    );
  }
  return formatDigitalLink(checkScope(dl), base);
};

/** The canonical GS1 Digital Link URI on `base` of a GTIN with an optional lot and serial. */
export const canonicalDigitalLink = (id: GtinIdentifier, base: string): string => {
  const qualifiers: AiElement[] = [];
  if (id.lot !== undefined) qualifiers.push({ ai: '10', value: id.lot });
  if (id.serial !== undefined) qualifiers.push({ ai: '21', value: id.serial });
  const dl: DigitalLink = {
    base,
    primaryKey: { ai: PRIMARY_KEY_AI, value: id.gtin },
    qualifiers,
    dataAttributes: [],
    otherParams: [],
  };
  try {
    return formatDigitalLink(dl, base);
  } catch (error) {
    return fromTraceError(error);
  }
};
