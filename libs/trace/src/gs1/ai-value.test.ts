import { describe, expect, it } from '@jest/globals';

import { codeOf, expectTraceError } from '../../test/support/trace-error.js';

import { findAiDefinition, verifyAiValue } from './ai-value.js';

/** Why `value` is refused for `ai`, or undefined when it is accepted. */
const reasonOf = (ai: string, value: string): string | undefined => {
  const run = () => verifyAiValue(ai, value);
  if (codeOf(run) === 'ok') return undefined;
  // Every message names the AI and the offending value.
  return expectTraceError(run, 'INVALID_IDENTIFIER', `AI (${ai}) value '${value}'`).message;
};

describe('the AI table', () => {
  it('knows the Digital Link primary keys and their key qualifiers (Syntax Dictionary dlpkey)', () => {
    expect(findAiDefinition('01')?.keyQualifiers).toEqual([['22', '10', '21'], ['235']]);
    expect(findAiDefinition('414')?.keyQualifiers).toEqual([['254'], ['7040']]);
    expect(findAiDefinition('8010')?.keyQualifiers).toEqual([['8011']]);
    expect(findAiDefinition('00')?.keyQualifiers).toEqual([[]]);
    expect(findAiDefinition('21')?.keyQualifiers).toBeUndefined();
  });

  it('expands AI ranges and marks Digital Link data attributes', () => {
    expect(findAiDefinition('3103')?.isDataAttribute).toBe(true);
    expect(findAiDefinition('3106')).toBeUndefined();
    expect(findAiDefinition('7039')?.isDataAttribute).toBe(true);
    expect(findAiDefinition('95')?.isDataAttribute).toBe(true);
    expect(findAiDefinition('21')?.isDataAttribute).toBe(false);
    expect(findAiDefinition('1')).toBeUndefined();
  });
});

describe('verifyAiValue', () => {
  it.each([
    ['00', '106141412345678908'],
    ['01', '80614141123458'],
    ['10', 'ABC-12/3'],
    ['17', '261231'],
    ['17', '260200'],
    ['11', '240229'],
    ['253', '4012345987652ABCDefgh012345678'],
    ['253', '0614141123452'],
    ['255', '401234567890104711'],
    ['3103', '000189'],
    ['3910', '978123'],
    ['4309', '18000000003600000000'],
    ['4330', '000123-'],
    ['4321', '1'],
    ['4324', '2612312359'],
    ['7007', '240101240131'],
    ['7011', '240101'],
    ['7250', '20000229'],
    ['7252', '9'],
    ['7258', '2/3'],
    ['8001', '12345678901219'],
    ['8003', '006141411234525678'],
    ['8006', '040123451234560102'],
    ['8007', 'GB82WEST12345698765432'],
    ['8008', '24010112'],
    ['8008', '240101123059'],
    ['8010', '06141415PQ7/Z43'],
    ['8011', '12345'],
    ['8013', '1987654Ad4X4bL5ttr2310c2K'],
    ['8014', '1987654Ad4X4bL5ttr2310c2K'],
    ['4300', 'ACME%20Corp'],
    ['8030', 'abc'],
    ['8030', 'ab='],
    ['7040', '1A-_'],
    ['4307', 'DE'],
  ])('accepts (%s) %s', (ai, value) => {
    expect(reasonOf(ai, value)).toBeUndefined();
  });

  it.each([
    ['9999', '1', 'unknown AI'],
    ['00', '10614141234567890', 'too short'],
    ['00', '1061414123456789080', 'too long'],
    ['00', '106141412345678909', 'wrong check digit (expected 8)'],
    ['00', '10614141234567890A', 'must consist of digits'],
    ['10', 'ABC DEF', 'must consist of CSET 82 characters'],
    ['10', 'x'.repeat(21), 'too long'],
    ['8010', 'abc', 'must consist of CSET 39 characters'],
    ['8030', 'ab+c', 'must consist of CSET 64 characters'],
    ['8030', 'a===', 'must consist of CSET 64 characters'],
    ['17', '261301', 'month 13 is not 01-12'],
    ['17', '260230', 'day 30 is not in that month'],
    ['17', '250229', 'day 29 is not in that month'],
    ['4326', '261200', 'day 00 is not in that month'],
    ['7250', '19000229', 'day 29 is not in that month'],
    ['7003', '2612312460', 'hour 24 is above 23'],
    ['7003', '2612312360', 'minute 60 is above 59'],
    ['8008', '2601012460', 'hour 24 is above 23'],
    ['8008', '260101236000', 'minute 60 is above 59'],
    ['8008', '260101235960', 'second 60 is above 59'],
    ['4309', '18000000013600000000', 'latitude 1800000001 is above'],
    ['4309', '18000000003600000001', 'longitude 3600000001 is above'],
    ['253', 'A012345123452', 'must consist of digits'],
    ['401', 'ABC123', 'must start with a GS1 Company Prefix'],
    ['01', '0ABC4512345678', 'must consist of digits'],
    ['8003', '106141411234525678', 'must be zero'],
    ['8001', '00001234567890', 'must not be zero'],
    ['8001', '12345123451235', 'winding direction must be 0, 1 or 9'],
    ['8011', '0123', 'must not start with 0'],
    ['4321', '2', 'must be 0 or 1'],
    ['7252', '3', 'sex code must be 0, 1, 2 or 9'],
    ['4330', '000123+', "must be '-'"],
    // A digits-only MUDI whose check pair happens to be digits too.
    ['8014', '401247962338', 'must contain a non-digit'],
    ['8006', '040123451234560302', 'is not n of total'],
    ['8006', '040123451234560002', 'is not n of total'],
    ['7258', '4/3', 'is not <position>/<count>'],
    ['7258', '0/3', 'is not <position>/<count>'],
    ['4300', 'A%2', 'bad percent-encoding'],
    ['8007', 'GB82WEST12345698765431', 'not a valid IBAN'],
    ['8007', 'gb82', 'not a valid IBAN'],
    ['7040', '1A-=', 'bad importer index'],
    ['4307', 'de', 'must be two capital letters'],
    ['8013', '1987654Ad4X4bL5ttr2310c2L', 'wrong check character pair (expected 2K)'],
    ['8013', '1', 'wrong check character pair (expected 2 characters)'],
  ])('refuses (%s) %s: %s', (ai, value, reason) => {
    expect(reasonOf(ai, value)).toContain(reason);
  });
});

describe('every AI of the table', () => {
  const candidates = Array.from({ length: 10000 }, (_, n) =>
    [2, 3, 4].map((w) => String(n).padStart(w, '0')),
  ).flat();
  const all = [...new Set(candidates)].flatMap((ai) => {
    const definition = findAiDefinition(ai);
    return definition ? [definition] : [];
  });

  it('has well-formed components (a typo in ai-table.ts would show here)', () => {
    expect(all.length).toBeGreaterThan(500);
    for (const { ai, components } of all) {
      expect({ ai, ok: components.length > 0 }).toEqual({ ai, ok: true });
      for (const c of components) {
        expect({ ai, type: /^[NXYZ]$/.test(c.type), range: c.min >= 1 && c.max >= c.min }).toEqual({
          ai,
          type: true,
          range: true,
        });
      }
    }
  });
});

describe('check digits of every GS1 key that has one', () => {
  // Valid keys from EPC TDS 2.3 §7 and Annex E.3; the digit at `at` is the mod-10 check digit
  // (GS1 General Specifications §7.9.1), which any corruption must be caught at.
  it.each([
    ['00', '095201234567891235', 17],
    ['01', '79521141123453', 13],
    ['02', '09506000134352', 13],
    ['253', '95211411234545678', 12],
    ['255', '952114167890904711', 12],
    ['402', '95211411234567892', 16],
    ['410', '9521141123454', 12],
    ['414', '9521141123454', 12],
    ['417', '9521141890127', 12],
    ['8003', '095211411234545678', 13],
    ['8006', '095211411234540102', 13],
    ['8017', '952114112345678906', 17],
    ['8018', '952114112345678906', 17],
    ['8026', '095211411234540102', 13],
  ])('(%s) %s', (ai, value, at) => {
    expect(reasonOf(ai, value)).toBeUndefined();
    const digit = Number(value[at]);
    const wrong = value.slice(0, at) + String((digit + 1) % 10) + value.slice(at + 1);
    expect(reasonOf(ai, wrong)).toContain(`wrong check digit (expected ${digit})`);
  });
});
