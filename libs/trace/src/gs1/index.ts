// GS1 identifiers: check digits, the AI table, GS1 Digital Link URIs (uncompressed) and EPC URIs
// with their Digital Link equivalents. Everything throws TraceError('INVALID_IDENTIFIER').
export {
  appendCheckDigit,
  gs1CheckCharacterPair,
  gs1CheckDigit,
  isValidCheckDigit,
  normalizeGtin,
} from './check-digit.js';
export { verifyAiValue } from './ai-value.js';
export type { AiElement } from './key-path.js';
export {
  type DigitalLink,
  GS1_DIGITAL_LINK_BASE,
  formatDigitalLink,
  isDigitalLink,
  parseDigitalLink,
} from './digital-link.js';
export type { EpcScheme, EpcUri } from './epc-schemes.js';
export { formatEpcUri, parseEpcUri } from './epc-uri.js';
export { digitalLinkToEpcUri, epcUriToDigitalLink } from './epc-digital-link.js';
