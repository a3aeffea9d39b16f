import { TraceError } from '../errors.js';

import { AI_TABLE } from './ai-table.js';
import { isCset39, isCset64, isCset82 } from './charset.js';
import { gs1CheckCharacterPair, gs1CheckDigit, isValidCheckDigit } from './check-digit.js';

type Component = {
  type: string;
  min: number;
  max: number;
  optional: boolean;
  checks: string[];
};

/** One Application Identifier as ai-table.ts defines it. */
export type AiDefinition = {
  ai: string;
  components: Component[];
  /** May appear as a GS1 Digital Link data attribute (query string). */
  isDataAttribute: boolean;
  /** Present for a Digital Link primary key: its alternative key-qualifier sequences. */
  keyQualifiers?: string[][];
};

// "N6", "X..20,pcenc", "[N..12]", "[N3],iso3166": type, length, optional, checks.
const parseComponent = (token: string): Component => {
  const [spec, ...checks] = token.replace(/[[\]]/g, '').split(',');
  const length = String(spec).slice(1);
  const max = Number(length.replace('..', ''));
  return {
    type: String(spec).charAt(0),
    min: length.startsWith('..') ? 1 : max,
    max,
    optional: token.startsWith('['),
    checks,
  };
};

const expandAis = (list: string): string[] =>
  list.split(',').flatMap((item) => {
    const [from = item, to = item] = item.split('-');
    const ais: string[] = [];
    for (let n = Number(from); n <= Number(to); n++) ais.push(String(n).padStart(from.length, '0'));
    return ais;
  });

const DEFINITIONS = new Map<string, AiDefinition>();
for (const line of AI_TABLE.split('\n')) {
  const [list, ...tokens] = line.trim().split(/\s+/);
  if (!list) continue;
  const key = tokens.find((t) => t.startsWith('key'));
  const keyQualifiers = key
    ?.replace(/^key=?/, '')
    .split('|')
    .map((seq) => seq.split(',').filter(Boolean));
  const components = tokens.filter((t) => t !== 'a' && t !== key).map(parseComponent);
  for (const ai of expandAis(list)) {
    const definition: AiDefinition = { ai, components, isDataAttribute: tokens.includes('a') };
    if (keyQualifiers) definition.keyQualifiers = keyQualifiers;
    DEFINITIONS.set(ai, definition);
  }
}

/** The definition of `ai` (two to four digits), or undefined for an AI GS1 has not assigned. */
export const findAiDefinition = (ai: string): AiDefinition | undefined => DEFINITIONS.get(ai);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// GS1 General Specifications ("Determination of century in dates"): dates are YYMMDD and
// DD = 00 means "no day" where the AI allows it. The century of YY depends on today's date, which
// this pure library does not
// know, so 29 February is accepted in every YY divisible by 4 (only YY = 00 is ambiguous).
const checkDate = (text: string, withCentury: boolean, allowDay00: boolean): string | undefined => {
  const year = Number(text.slice(0, withCentury ? 4 : 2));
  const [month, day] = [Number(text.slice(-4, -2)), Number(text.slice(-2))];
  const leap = year % 4 === 0 && (!withCentury || year % 100 !== 0 || year % 400 === 0);
  const last = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12) return `month ${text.slice(-4, -2)} is not 01-12`;
  if (day > last || (day === 0 && !allowDay00)) return `day ${text.slice(-2)} is not in that month`;
  return undefined;
};

const inRange = (text: string, max: number, what: string): string | undefined =>
  Number(text) <= max ? undefined : `${what} ${text} is above ${max}`;

const isIban = (text: string): boolean => {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(text)) return false;
  const digits = [...(text.slice(4) + text.slice(0, 4))]
    .map((c) => parseInt(c, 36).toString())
    .join('');
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
};

const pieceOfTotal = (text: string): string | undefined => {
  const [piece, total] = [
    Number(text.slice(0, text.length / 2)),
    Number(text.slice(text.length / 2)),
  ];
  return piece === 0 || total === 0 || piece > total
    ? `piece ${text} is not n of total`
    : undefined;
};

// The GS1 Barcode Syntax Tests named in the table; each returns why `text` fails, if it does.
// Code-list tests (ISO 3166, ISO 4217, package types, media types, coupon codes) are reduced to
// the format the component type already enforces.
const CHECKS: Record<string, (text: string) => string | undefined> = {
  csum: (t) =>
    isValidCheckDigit(t)
      ? undefined
      : `wrong check digit (expected ${gs1CheckDigit(t.slice(0, -1))})`,
  csumalpha: (t) => {
    const pair = t.length < 2 ? undefined : gs1CheckCharacterPair(t.slice(0, -2));
    return pair === t.slice(-2)
      ? undefined
      : `wrong check character pair (expected ${pair ?? '2 characters'})`;
  },
  // gcppos2 is only ever applied to all-digit components, which always pass it.
  gcppos1: (t) => (/^[0-9]{4}/.test(t) ? undefined : 'must start with a GS1 Company Prefix'),
  yymmdd: (t) => checkDate(t, false, false),
  yymmd0: (t) => checkDate(t, false, true),
  yyyymmdd: (t) => checkDate(t, true, false),
  hh: (t) => inRange(t, 23, 'hour'),
  mi: (t) => inRange(t, 59, 'minute'),
  ss: (t) => inRange(t, 59, 'second'),
  hhmi: (t) => inRange(t.slice(0, 2), 23, 'hour') ?? inRange(t.slice(2), 59, 'minute'),
  nonzero: (t) => (/[1-9]/.test(t) ? undefined : 'must not be zero'),
  zero: (t) => (/^0+$/.test(t) ? undefined : 'must be zero'),
  nozeroprefix: (t) => (t.startsWith('0') ? 'must not start with 0' : undefined),
  yesno: (t) => (/^[01]$/.test(t) ? undefined : 'must be 0 or 1'),
  winding: (t) => (/^[019]$/.test(t) ? undefined : 'winding direction must be 0, 1 or 9'),
  iso5218: (t) => (/^[0129]$/.test(t) ? undefined : 'sex code must be 0, 1, 2 or 9'),
  hyphen: (t) => (/^-+$/.test(t) ? undefined : "must be '-'"),
  hasnondigit: (t) => (/[^0-9]/.test(t) ? undefined : 'must contain a non-digit'),
  pieceoftotal: pieceOfTotal,
  posinseqslash: (t) => {
    const match = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(t);
    return match && Number(match[1]) <= Number(match[2])
      ? undefined
      : `'${t}' is not <position>/<count>`;
  },
  latitude: (t) => inRange(t, 1800000000, 'latitude'),
  longitude: (t) => inRange(t, 3600000000, 'longitude'),
  pcenc: (t) => (/%(?![0-9A-Fa-f]{2})/.test(t) ? 'bad percent-encoding' : undefined),
  iban: (t) => (isIban(t) ? undefined : 'not a valid IBAN'),
  importeridx: (t) => (/^[A-Za-z0-9_-]$/.test(t) ? undefined : 'bad importer index'),
  iso3166alpha2: (t) => (/^[A-Z]{2}$/.test(t) ? undefined : 'must be two capital letters'),
};

const CHARSETS: Record<string, (text: string) => boolean> = {
  N: (t) => /^[0-9]*$/.test(t),
  X: isCset82,
  Y: isCset39,
  Z: isCset64,
};
const CHARSET_NAMES: Record<string, string> = {
  N: 'digits',
  X: 'CSET 82 characters',
  Y: 'CSET 39 characters',
  Z: 'CSET 64 characters',
};

const fail = (ai: string, value: string, reason: string): never => {
  throw new TraceError('INVALID_IDENTIFIER', `AI (${ai}) value '${value}': ${reason}`);
};

/**
 * Checks `value` against the format of `ai` (GS1 General Specifications §3.2 table; GS1 Barcode
 * Syntax Dictionary components and tests): length, character set, check digits and check
 * character pairs, dates and the other content tests listed in ai-value.ts. Throws
 * INVALID_IDENTIFIER naming the AI and the value; an unassigned AI is refused.
 *
 * @example verifyAiValue('17', '261231') // passes; verifyAiValue('17', '261331') throws
 */
export const verifyAiValue = (ai: string, value: string): void => {
  const definition = findAiDefinition(ai) ?? fail(ai, value, 'unknown AI');
  let pos = 0;
  for (const c of definition.components) {
    if (pos === value.length && c.optional) break;
    const part = value.slice(pos, pos + c.max);
    const lengthText = c.min === c.max ? `${c.min}` : `${c.min}-${c.max}`;
    if (part.length < c.min) fail(ai, value, `too short (component ${c.type}${lengthText})`);
    if (!CHARSETS[c.type]?.(part)) fail(ai, value, `must consist of ${CHARSET_NAMES[c.type]}`);
    for (const check of c.checks) {
      const reason = CHECKS[check]?.(part);
      if (reason !== undefined) fail(ai, value, reason);
    }
    pos += part.length;
  }
  if (pos < value.length) fail(ai, value, 'too long');
};
