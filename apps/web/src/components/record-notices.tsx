import type { Messages } from '@/lib/i18n/messages';
import type { Step } from '@/lib/story/build';
import { type RuleSummary, stepNotices } from '@/lib/story/notices';

/** Under a step of the journey: the rules it broke (a visible warning), its private and erased details. */
export function StepNotices({ step, t }: { step: Step; t: Messages }) {
  const notices = stepNotices(step, t);
  if (notices.length === 0) return null;
  const flags = notices.filter((n) => n.kind === 'rule');
  const others = notices.filter((n) => n.kind !== 'rule');
  return (
    <>
      {flags.map((flag) => (
        <p key={flag.rule} className="rule-flag" data-rule={flag.rule}>
          <span aria-hidden="true">⚠ </span>
          <strong>{flag.text}</strong>
          {flag.message ? <span className="rule-message">{flag.message}</span> : null}
        </p>
      ))}
      {others.length > 0 ? (
        <ul className="step-notes">
          {others.map((notice) => (
            <li key={notice.kind} className="notice" data-notice={notice.kind}>
              {notice.text}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** Near the top of the page: the records that broke published rules, each linking to its step. */
export function RuleWarning({ summary }: { summary: RuleSummary }) {
  return (
    <section className="rule-summary" role="alert" data-warning="rule-flags">
      <p className="rule-summary-headline">
        <span aria-hidden="true">⚠ </span>
        {summary.headline}
      </p>
      <ul>
        {summary.items.map((item) => (
          <li key={`${item.position} ${item.rule}`} data-rule={item.rule}>
            <a href={`#step-${item.position}`}>{item.text}</a>
          </li>
        ))}
      </ul>
      <p className="muted">{summary.explain}</p>
    </section>
  );
}
