import { TraceError } from '../errors.js';

import { findAiDefinition, verifyAiValue } from './ai-value.js';
import { normalizeGtin } from './check-digit.js';

/** One GS1 element: an Application Identifier and its (unescaped) value. */
export type AiElement = { ai: string; value: string };

const invalid = (message: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', message);
};

/**
 * The value as GS1 Digital Link carries it: a GTIN (AI 01) of 8, 12 or 13 digits becomes a
 * GTIN-14 (GS1 Digital Link URI Syntax 1.2+ writes the GTIN with 14 digits; EPC TDS §7.3.1).
 */
export const normalizeElement = (element: AiElement): AiElement =>
  element.ai === '01' && /^([0-9]{8}|[0-9]{12,13})$/.test(element.value)
    ? { ai: '01', value: normalizeGtin(element.value) }
    : element;

const describe = (sequences: string[][]): string =>
  sequences.map((seq) => seq.join(', ')).join(' | ');

/** The alternative key-qualifier sequences of a primary key; throws if `ai` is not one. */
export const keyQualifiersOf = (ai: string): string[][] =>
  findAiDefinition(ai)?.keyQualifiers ??
  invalid(`AI (${ai}) is not a GS1 Digital Link primary key`);

/**
 * Validates a primary key and its key qualifiers (GS1 Digital Link URI Syntax path rules; key
 * qualifier sequences of the GS1 Barcode Syntax Dictionary "dlpkey" attribute) and returns the
 * qualifiers in the one order the standard allows. Every value is checked against its AI
 * format. Throws INVALID_IDENTIFIER naming the offending AI: not a primary key, not a qualifier
 * of this key, a duplicate, or qualifiers of two alternative sequences mixed (e.g. 21 with 235).
 */
export const orderKeyQualifiers = (primaryKey: AiElement, qualifiers: AiElement[]): AiElement[] => {
  const sequences = keyQualifiersOf(primaryKey.ai);
  verifyAiValue(primaryKey.ai, primaryKey.value);
  const seen = new Set<string>();
  for (const { ai, value } of qualifiers) {
    if (seen.has(ai)) invalid(`duplicate AI (${ai}) in the Digital Link path`);
    seen.add(ai);
    if (!sequences.some((seq) => seq.includes(ai))) {
      invalid(
        sequences.length === 1 && sequences[0]?.length === 0
          ? `AI (${ai}) cannot qualify primary key (${primaryKey.ai}), which takes no key qualifiers`
          : `AI (${ai}) is not a key qualifier of primary key (${primaryKey.ai}) (allowed: ${describe(sequences)})`,
      );
    }
    verifyAiValue(ai, value);
  }
  const sequence =
    sequences.find((seq) => qualifiers.every(({ ai }) => seq.includes(ai))) ??
    invalid(
      `key qualifiers (${qualifiers.map((q) => q.ai).join(', ')}) of primary key (${primaryKey.ai}) mix alternative sequences ${describe(sequences)}`,
    );
  return [...qualifiers].sort((a, b) => sequence.indexOf(a.ai) - sequence.indexOf(b.ai));
};

/**
 * Validates the query-string data attributes of a Digital Link whose path holds `pathAis`
 * (GS1 Digital Link URI Syntax query rules): each must be a known AI permitted as a data
 * attribute, not repeat an AI of the path or of another attribute, not be a key qualifier of the
 * primary key (those belong in the path) and match its AI format.
 */
export const verifyDataAttributes = (
  primaryKeyAi: string,
  pathAis: string[],
  attributes: AiElement[],
): void => {
  const seen = new Set(pathAis);
  const qualifierAis = keyQualifiersOf(primaryKeyAi).flat();
  for (const { ai, value } of attributes) {
    const definition = findAiDefinition(ai) ?? invalid(`unknown AI (${ai}) in the query string`);
    if (seen.has(ai)) invalid(`duplicate AI (${ai}) in the Digital Link`);
    seen.add(ai);
    if (qualifierAis.includes(ai)) {
      invalid(`AI (${ai}) is a key qualifier of (${primaryKeyAi}): it belongs in the path`);
    }
    if (!definition.isDataAttribute) {
      invalid(`AI (${ai}) is not permitted as a Digital Link data attribute`);
    }
    verifyAiValue(ai, value);
  }
};
