import { describe, expect, it } from '@jest/globals';

import { seededRandom } from '../../test/support/random.js';
import { expectTraceError } from '../../test/support/trace-error.js';
import { assembleEvent, eventFields } from './assemble-event.js';
import { parseDisclosure } from './disclosure.js';
import { commitEvent } from './event-leaf.js';
import { openDisclosures } from './open-disclosures.js';

const ID = `ni:///sha-256;${'cd'.repeat(32)}?ver=CBV2.0`;
const EVENT = {
  type: 'ObjectEvent',
  eventTime: '2026-03-01T08:00:00.000Z',
  eventTimeZoneOffset: '+08:00',
  epcList: ['https://id.gs1.org/01/09520123456788/21/1001'],
  action: 'ADD',
  bizStep: 'commissioning',
  ilmd: {
    'cbvmda:lotNumber': 'L42',
    'tr:pickerPhone': '+86 138 0000 0000',
    'cbvmda:bestBeforeDate': '2026-09-01',
  },
  'example:price': { amount: 12.5, currency: 'CNY' },
};

describe('commitEvent: ILMD member by member', () => {
  const committed = commitEvent(
    { ...EVENT, '@context': [{ tr: 'https://traceroot.dev/ns/' }], '@ruleSet': '1.0.0' },
    ID,
    seededRandom('ilmd'),
  );

  it('commits one field per ILMD member, named ilmd/<member>, and no ilmd field', () => {
    expect(Object.keys(committed.disclosures)).toEqual([
      'type',
      'eventTime',
      'eventTimeZoneOffset',
      'epcList',
      'action',
      'bizStep',
      'ilmd/cbvmda:lotNumber',
      'ilmd/tr:pickerPhone',
      'ilmd/cbvmda:bestBeforeDate',
      'example:price',
      '@context',
      '@ruleSet',
    ]);
    expect(committed.leaf.digests).toHaveLength(12);
    expect(parseDisclosure(committed.disclosures['ilmd/cbvmda:lotNumber']!)).toMatchObject({
      name: 'ilmd/cbvmda:lotNumber',
      value: 'L42',
    });
  });

  it('lets one ILMD member be shown while another stays hidden', () => {
    const shown = openDisclosures(committed.leaf, [
      committed.disclosures['ilmd/cbvmda:lotNumber']!,
      committed.disclosures.bizStep!,
    ]);
    expect(assembleEvent(shown).event).toEqual({
      bizStep: 'commissioning',
      ilmd: { 'cbvmda:lotNumber': 'L42' },
    });
  });

  it('assembles every field back into the event, its context and its pseudo-fields', () => {
    const fields = openDisclosures(committed.leaf, Object.values(committed.disclosures));
    const { event, context, pseudo } = assembleEvent(fields);
    expect(event).toEqual(EVENT);
    expect(Object.keys(event)).toEqual(Object.keys(EVENT));
    expect(Object.keys(event.ilmd as object)).toEqual([
      'cbvmda:bestBeforeDate',
      'cbvmda:lotNumber',
      'tr:pickerPhone',
    ]);
    expect(context).toEqual([{ tr: 'https://traceroot.dev/ns/' }]);
    expect(pseudo).toEqual({ '@ruleSet': '1.0.0' });
  });

  it.each<[string, unknown]>([
    ['an empty ILMD', {}],
    ['an ILMD whose members are all undefined', { a: undefined }],
    ['an ILMD that is no object', 'lot 7'],
    ['an ILMD that is an array', ['lot 7']],
    ['a null ILMD', null],
  ])('keeps %s as one ilmd field', (_, ilmd) => {
    const fields = eventFields({ type: 'ObjectEvent', ilmd });
    expect(fields).toEqual([
      ['type', 'ObjectEvent'],
      ['ilmd', ilmd],
    ]);
    const { disclosures } = commitEvent({ ilmd }, ID, seededRandom('e'));
    expect(Object.keys(disclosures)).toEqual(['ilmd']);
    expect(assembleEvent({ ilmd: JSON.parse(JSON.stringify(ilmd)) as unknown }).event).toEqual({
      ilmd: JSON.parse(JSON.stringify(ilmd)) as unknown,
    });
  });

  it('skips undefined ILMD members, as JSON would', () => {
    expect(eventFields({ ilmd: { a: 1, b: undefined } })).toEqual([['ilmd/a', 1]]);
  });

  it('refuses a top-level member that would read back as an ILMD member (INVALID_EVENT)', () => {
    expectTraceError(
      () => commitEvent({ 'ilmd/x': 1 }, ID, seededRandom('x')),
      'INVALID_EVENT',
      '"ilmd/x"',
    );
  });

  it('keeps members named __proto__ as members', () => {
    const event = JSON.parse('{"__proto__":{"a":1},"ilmd":{"__proto__":2,"b":3}}') as Record<
      string,
      unknown
    >;
    const committed = commitEvent(event, ID, seededRandom('proto'));
    expect(Object.keys(committed.disclosures)).toEqual(['__proto__', 'ilmd/__proto__', 'ilmd/b']);
    const fields = openDisclosures(committed.leaf, Object.values(committed.disclosures));
    expect(Object.keys(fields)).toEqual(['__proto__', 'ilmd/__proto__', 'ilmd/b']);
    const { event: back } = assembleEvent(fields);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(JSON.stringify(back)).toBe(JSON.stringify(event));
  });
});

describe(assembleEvent.name, () => {
  it('keeps an ILMD committed whole (leaves from before ILMD was split)', () => {
    const fields = { type: 'ObjectEvent', ilmd: { 'cbvmda:lotNumber': 'L1' }, bizStep: 'x' };
    expect(assembleEvent(fields)).toEqual({ event: fields, context: undefined, pseudo: {} });
  });

  it('puts the ILMD where its first member was and sorts its members', () => {
    const { event } = assembleEvent({ a: 1, 'ilmd/z': 1, b: 2, 'ilmd/a': 2, 'ilmd/': 3 });
    expect(Object.keys(event)).toEqual(['a', 'ilmd', 'b']);
    expect(Object.entries(event.ilmd as object)).toEqual([
      ['', 3],
      ['a', 2],
      ['z', 1],
    ]);
  });

  it('splits an ILMD member name at the first slash only', () => {
    expect(assembleEvent({ 'ilmd/a/b': 1 }).event).toEqual({ ilmd: { 'a/b': 1 } });
  });

  it('moves every @-field but @context to pseudo, and @context to context', () => {
    expect(assembleEvent({ '@context': 'c', '@ruleSet': '1', '@x': null, id: 1 })).toEqual({
      event: { id: 1 },
      context: 'c',
      pseudo: { '@ruleSet': '1', '@x': null },
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['ilmd before ilmd/…', { ilmd: {}, 'ilmd/a': 1 }],
    ['ilmd after ilmd/…', { 'ilmd/a': 1, ilmd: { a: 1 } }],
  ])('refuses ILMD both whole and by member (%s): MALFORMED_INPUT', (_, fields) => {
    expectTraceError(() => assembleEvent(fields), 'MALFORMED_INPUT', 'both whole');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', []],
    ['a string', 'x'],
  ])('refuses fields that are %s: MALFORMED_INPUT', (_, fields) => {
    expectTraceError(() => assembleEvent(fields as Record<string, unknown>), 'MALFORMED_INPUT');
  });
});
