import { fill, type Messages } from '../i18n/messages';
import type { Step } from './build';

/** One notice under a step of the journey: what the reader is not shown, or a broken rule. */
export type StepNotice =
  | { kind: 'withheld' | 'erased'; text: string }
  | { kind: 'rule'; rule: string; text: string; message: string };

/** The consumer title of a published rule, or its ID when this page does not know it. */
export const ruleTitle = (rule: string, t: Messages): string => t.rules.titles[rule] ?? rule;

/** The notices of one step: its broken rules first, then its private and erased details. */
export const stepNotices = (step: Step, t: Messages): StepNotice[] => [
  ...step.flags.map(({ rule, message }): StepNotice => ({
    kind: 'rule',
    rule,
    text: fill(t.rules.flag, { rule: ruleTitle(rule, t) }),
    message,
  })),
  ...(step.withheld > 0
    ? [
        {
          kind: 'withheld' as const,
          text:
            step.withheld === 1
              ? t.privacy.withheldOne
              : fill(t.privacy.withheld, { n: step.withheld }),
        },
      ]
    : []),
  ...(step.erased ? [{ kind: 'erased' as const, text: t.privacy.erased }] : []),
];

/** The warning at the top of the page when records broke published rules, with one line per break. */
export type RuleSummary = {
  headline: string;
  explain: string;
  /** `position` is the record's 1-based place in the journey (its anchor is `step-<position>`). */
  items: { position: number; rule: string; text: string }[];
};

/** The summary of every step's broken rules, or undefined when none broke any. */
export const ruleSummary = (steps: readonly Step[], t: Messages): RuleSummary | undefined => {
  const items = steps.flatMap((step, i) =>
    step.flags.map(({ rule }) => ({
      position: i + 1,
      rule,
      text: fill(t.rules.record, {
        index: i + 1,
        step: t.steps[step.kind] ?? step.kind.replace(/_/g, ' '),
        date: step.localTime,
        rule: ruleTitle(rule, t),
      }),
    })),
  );
  if (items.length === 0) return undefined;
  const records = new Set(items.map((item) => item.position)).size;
  return {
    headline: records === 1 ? t.rules.summaryOne : fill(t.rules.summary, { n: records }),
    explain: t.rules.explain,
    items,
  };
};
