import { bytesToUtf8, utf8ToBytes } from '../bytes.js';
import { TraceError } from '../errors.js';

/**
 * GS1 AI encodable character set 82 (GS1 General Specifications, figure "GS1 AI encodable
 * character set 82"), in ascending ASCII order: a character's index is its value in the check
 * character pair of alphanumeric keys.
 */
export const CSET82 =
  '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** GS1 AI encodable character set 39: the characters of AI (8010) CPID. */
export const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const CSET64 = /^[A-Za-z0-9_-]*$/;

export const isCset82 = (text: string): boolean => [...text].every((c) => CSET82.includes(c));
export const isCset39 = (text: string): boolean => [...text].every((c) => CSET39.includes(c));

/**
 * GS1 AI encodable character set 64 (file-safe base64) with the padding rule of the GS1 Barcode
 * Tests: at most two trailing '=' and, when padded, a length that is a multiple of three.
 */
export const isCset64 = (text: string): boolean => {
  const body = text.replace(/={1,2}$/, '');
  const pads = text.length - body.length;
  return CSET64.test(body) && (pads === 0 || text.length % 3 === 0);
};

// RFC 3986 §2.3: unreserved characters are the only ones a URI component may carry unescaped.
const UNRESERVED = /^[A-Za-z0-9._~-]$/;
// RFC 3986 §2: every character a URI may contain at all (reserved, unreserved and '%').
const URI_CHARS = /^[A-Za-z0-9._~:/?#[\]@!$&'()*+,;=%-]*$/;

/** Whether `text` consists only of characters that RFC 3986 allows anywhere in a URI. */
export const isUriText = (text: string): boolean => URI_CHARS.test(text);

const hexOf = (byte: number): string => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Percent-encodes every character that is not RFC 3986 "unreserved", as UTF-8 bytes with
 * upper-case hex (RFC 3986 §2.1, §6.2.2.1), as GS1 Digital Link URI Syntax requires for AI
 * values: of CSET 82 it escapes exactly ! " % & ' ( ) * + , / : ; < = > ?
 */
export const percentEncode = (text: string): string => {
  let out = '';
  for (const c of text) {
    if (UNRESERVED.test(c)) out += c;
    else for (const byte of utf8ToBytes(c)) out += hexOf(byte);
  }
  return out;
};

/**
 * Reverses percent-encoding (RFC 3986 §2.1); in a query component '+' also means a space, as
 * the HTML form encoding that query strings follow. Throws INVALID_IDENTIFIER, naming `what`,
 * on a '%' without two hex digits or escaped bytes that are not UTF-8.
 */
export const percentDecode = (text: string, what: string, isQuery = false): string => {
  const plain = isQuery ? text.replaceAll('+', ' ') : text;
  if (!plain.includes('%')) return plain;
  const bytes: number[] = [];
  for (let i = 0; i < plain.length; i++) {
    if (plain[i] === '%') {
      const hex = plain.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new TraceError('INVALID_IDENTIFIER', `${what}: bad percent-encoding '%${hex}'`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...utf8ToBytes(plain.charAt(i)));
    }
  }
  try {
    return bytesToUtf8(Uint8Array.from(bytes));
  } catch (cause) {
    throw new TraceError('INVALID_IDENTIFIER', `${what}: percent-encoding is not UTF-8`, {
      cause,
    });
  }
};

// EPC TDS §5 (common grammar elements) and Table A-1: in a GS3A3Component the CSET 82 characters
// " % & / < > ? must appear as %22 %25 %26 %2F %3C %3E %3F (RFC 2141 forbids them in a URN); a
// CPRefComponent (CPI) carries '#' and '/' only as %23 and %2F (CPRefChar, Table G-1).
const EPC_COMPONENT = {
  gs3a3: { charset: CSET82, escaped: '"%&/<>?', decodable: CSET82 },
  cpref: { charset: CSET39, escaped: '#/', decodable: '#/' },
};

/** Which EPC URI component grammar applies (EPC TDS §5). */
export type EpcComponentKind = 'gs3a3' | 'cpref';

/** Escapes a CSET 82 (gs3a3) or CSET 39 (cpref) value for an EPC pure identity URI. */
export const escapeEpcComponent = (value: string, kind: EpcComponentKind): string => {
  const { escaped } = EPC_COMPONENT[kind];
  return [...value].map((c) => (escaped.includes(c) ? hexOf(c.charCodeAt(0)) : c)).join('');
};

/**
 * Unescapes an EPC URI component (EPC TDS §5): raw characters must be the component's
 * unescaped set; in a GS3A3Component every %XX (either hex case) must decode to a CSET 82
 * character, in a CPRefComponent only %2F and %23 are allowed. Throws INVALID_IDENTIFIER naming
 * `what`.
 */
export const unescapeEpcComponent = (
  text: string,
  kind: EpcComponentKind,
  what: string,
): string => {
  const { charset, escaped, decodable } = EPC_COMPONENT[kind];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charAt(i);
    if (c === '%') {
      const hex = text.slice(i + 1, i + 3);
      c = /^[0-9A-Fa-f]{2}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '';
      if (!decodable.includes(c) || c === '') {
        throw new TraceError('INVALID_IDENTIFIER', `${what}: bad escape '%${hex}'`);
      }
      i += 2;
    } else if (!charset.includes(c) || escaped.includes(c)) {
      throw new TraceError('INVALID_IDENTIFIER', `${what}: character '${c}' is not allowed`);
    }
    out += c;
  }
  return out;
};
