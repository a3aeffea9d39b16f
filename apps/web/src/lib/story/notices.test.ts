import { describe, expect, it } from '@jest/globals';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { buildPrivateTrace, GTIN, LOT } from '../../../test/support/private-trace';
import { RuleWarning, StepNotices } from '../../components/record-notices';
import { MESSAGES } from '../i18n/messages';
import type { ApiEvent } from './api-types';
import { buildStory, eventOf } from './build';
import { ruleSummary, stepNotices } from './notices';

// The journey's notices for what an anonymous reader is not shown (withheld, erased) and for
// published rules a record broke, from the API's trace of a real log (test/support/private-trace).

const fixture = buildPrivateTrace();
const PATH = `/01/${GTIN}/10/${LOT}`;
const same = (id: string) => id;

describe('the story of a trace with private, erased and flagged records', () => {
  it.each([
    ['as committed', fixture.trace],
    ['assembled', fixture.assembled],
  ])('reads the events sent %s: ILMD merged, each step’s notices', (_, trace) => {
    const story = buildStory(PATH, trace, [], 'en', same);
    expect(
      story.steps.map((s) => [s.kind, s.withheld, s.erased, s.flags.map((f) => f.rule)]),
    ).toEqual([
      ['commissioning', 2, false, []],
      ['shipping', 2, true, []],
      ['receiving', 0, false, ['custody.receipt-matches-shipment']],
    ]);
    // The public ILMD members are shown, the private ones are not there to show.
    expect([...story.steps[0]!.details].sort()).toEqual([
      ['harvest start date', '2026-07-01'],
      ['lot number', LOT],
    ]);
    expect(story.origin).toMatchObject({ kind: 'commissioning', withheld: 2 });
  });

  it('tolerates events without the new ledger members, and malformed ones', () => {
    const bare = fixture.assembled.events.map((e): ApiEvent => ({
      ...e,
      ledger: { leafIndex: e.ledger.leafIndex },
    }));
    const odd = bare.map((e): ApiEvent => ({
      ...e,
      ledger: {
        leafIndex: e.ledger.leafIndex,
        withheld: -1,
        erased: 'x' as unknown as string[],
        rules: { ruleSet: '1', flags: [{ message: 'no rule' }, 7] as never },
      },
    }));
    for (const events of [bare, odd]) {
      const story = buildStory(PATH, { ...fixture.assembled, events }, [], 'en', same);
      expect(story.steps.every((s) => s.withheld === 0 && !s.erased && s.flags.length === 0)).toBe(
        true,
      );
      expect(ruleSummary(story.steps, MESSAGES.en)).toBeUndefined();
      expect(story.steps.map((s) => stepNotices(s, MESSAGES.en))).toEqual([[], [], []]);
    }
  });

  it('keeps an event whose fields do not assemble as it was sent', () => {
    const mixed = { ...fixture.trace.events[0]!, ilmd: { a: 1 } };
    expect(eventOf(mixed)).toBe(mixed);
  });

  it('says what is private, erased and which rule broke, in English and Chinese', () => {
    const texts = (locale: 'en' | 'zh-CN') => {
      const story = buildStory(PATH, fixture.trace, [], locale, same);
      return story.steps.map((s) => stepNotices(s, MESSAGES[locale]).map((n) => n.text));
    };
    expect(texts('en')).toEqual([
      ['2 details are private'],
      ['2 details are private', 'Some details were erased at the owner’s request'],
      ['Broke a published rule: received without a matching shipment'],
    ]);
    expect(texts('zh-CN')).toEqual([
      ['2 项信息不公开'],
      ['2 项信息不公开', '部分信息已应所有者要求删除'],
      ['违反了公开的规则：收货没有对应的发货记录'],
    ]);
    const one = { ...buildStory(PATH, fixture.trace, [], 'en', same).steps[0]!, withheld: 1 };
    expect(stepNotices(one, MESSAGES.en)).toEqual([
      { kind: 'withheld', text: '1 detail is private' },
    ]);
  });

  it('sums up the broken rules near the top, naming each record', () => {
    const story = buildStory(PATH, fixture.trace, [], 'en', same);
    const summary = ruleSummary(story.steps, MESSAGES.en)!;
    expect(summary.headline).toBe('Warning: a record of this product broke a published rule.');
    expect(summary.items).toEqual([
      {
        position: 3,
        rule: 'custody.receipt-matches-shipment',
        text: `Record 3 (Received, ${story.steps[2]!.localTime}): received without a matching shipment`,
      },
    ]);
    // Two records, one of them breaking two rules; an unknown rule is named by its ID.
    const steps = story.steps.map((s, i) =>
      i === 0
        ? {
            ...s,
            flags: [
              { rule: 'mass-balance.yield', message: '' },
              { rule: 'x.new', message: '' },
            ],
          }
        : s,
    );
    const two = ruleSummary(steps, MESSAGES['zh-CN'])!;
    expect(two.headline).toBe('警告：该产品有 2 条记录违反了公开的规则。');
    expect(two.items.map((item) => [item.position, item.text.split('：').at(-1)])).toEqual([
      [1, '加工产出多于投入'],
      [1, 'x.new'],
      [3, '收货没有对应的发货记录'],
    ]);
  });

  it('renders the notices and the warning as the page shows them', () => {
    const story = buildStory(PATH, fixture.trace, [], 'en', same);
    const html = story.steps.map((step) =>
      renderToStaticMarkup(createElement(StepNotices, { step, t: MESSAGES.en })),
    );
    expect(html[0]).toBe(
      '<ul class="step-notes"><li class="notice" data-notice="withheld">2 details are private</li></ul>',
    );
    expect(html[1]).toContain('data-notice="erased"');
    expect(html[2]).toContain('<p class="rule-flag" data-rule="custody.receipt-matches-shipment">');
    expect(html[2]).toContain(
      '<span class="rule-message">no shipment of this lot was addressed to the receiver</span>',
    );
    const warning = renderToStaticMarkup(
      createElement(RuleWarning, { summary: ruleSummary(story.steps, MESSAGES.en)! }),
    );
    expect(warning).toContain('role="alert"');
    expect(warning).toContain('href="#step-3"');
    const quiet = { ...story.steps[0]!, withheld: 0 };
    expect(renderToStaticMarkup(createElement(StepNotices, { step: quiet, t: MESSAGES.en }))).toBe(
      '',
    );
  });
});
