import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';

import { ColdChainChart } from '@/components/cold-chain-chart';
import { RuleWarning, StepNotices } from '@/components/record-notices';
import { ScanCheck } from '@/components/scan-check';
import { Verification } from '@/components/verification';
import { canonicalPathOfSegments } from '@/lib/dl/resolve';
import { asLocale, type Locale, LOCALE_HEADER, LOCALES } from '@/lib/i18n/locale';
import { fill, MESSAGES } from '@/lib/i18n/messages';
import { buildStory, type Step } from '@/lib/story/build';
import { ruleSummary } from '@/lib/story/notices';
import { ApiUnavailableError, canonicalize, loadStory, verifierKey } from '@/lib/story/load';
import type { ShownRecord } from '@/lib/verify/check-records';

// Every view reads the log as it is now.
export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ path: string[] }>;
};

// Decided by the resolver (proxy.ts) from ?lang=, the cookie and Accept-Language.
const localeOf = async (): Promise<Locale> =>
  asLocale((await headers()).get(LOCALE_HEADER)) ?? 'en';

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const path = canonicalPathOfSegments((await params).path);
  return { title: path ?? 'Product' };
}

function StepLine({
  step,
  position,
  t,
}: {
  step: Step;
  position: number;
  t: (typeof MESSAGES)[Locale];
}) {
  return (
    <li
      id={`step-${position}`}
      className={`step step-${step.kind}${step.flags.length > 0 ? ' step-flagged' : ''}`}
      data-event-id={step.eventID}
    >
      <p className="step-title">
        <strong>{t.steps[step.kind] ?? step.kind.replace(/_/g, ' ')}</strong>{' '}
        <time dateTime={step.time}>{step.localTime}</time>
      </p>
      {step.place ? (
        <p>
          {t.journey.at}: {step.place}
        </p>
      ) : null}
      {step.from || step.to ? (
        <p>
          {step.from ? `${t.journey.from}: ${step.from}` : ''}
          {step.from && step.to ? ' → ' : ''}
          {step.to ? `${t.journey.to}: ${step.to}` : ''}
        </p>
      ) : null}
      {step.parties.length > 0 ? <p className="muted">{step.parties.join(' · ')}</p> : null}
      {step.details.length > 0 ? (
        <dl className="details">
          {step.details.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <StepNotices step={step} t={t} />
    </li>
  );
}

export default async function ProductPage({ params }: Props) {
  const path = canonicalPathOfSegments((await params).path);
  if (path === undefined) notFound();
  const locale = await localeOf();
  const t = MESSAGES[locale];

  const key = verifierKey();
  let loaded: Awaited<ReturnType<typeof loadStory>>;
  try {
    loaded = await loadStory(path);
  } catch (error) {
    if (!(error instanceof ApiUnavailableError)) throw error;
    return (
      <main lang={locale}>
        <h1>{t.unavailable.title}</h1>
        <p>{t.unavailable.body}</p>
      </main>
    );
  }
  const story = buildStory(path, loaded.trace, loaded.masterData, locale, canonicalize);

  const records: ShownRecord[] = loaded.trace.events.map(({ ledger, ...fields }, i) => ({
    eventID: String(fields.eventID),
    leafIndex: ledger.leafIndex,
    position: i + 1,
    step: t.steps[story.steps[i]!.kind] ?? story.steps[i]!.kind,
    date: story.steps[i]!.localTime,
    fields,
  }));
  const { product } = story;
  const rules = ruleSummary(story.steps, t);
  // Unknown: a serial no event names (not a genuine item of this product), or a lot or GTIN with
  // neither events nor master data.
  const item = loaded.trace.start[0]!;
  const known =
    product.serial !== undefined
      ? loaded.trace.edges.some((e) => e.inputs.includes(item) || e.outputs.includes(item))
      : story.steps.length > 0 ||
        (product.lot !== undefined ? story.lot.length > 0 : product.name !== undefined);
  if (!known) notFound();

  return (
    <main lang={locale} className="product-page">
      <nav className="lang" aria-label={t.lang.label}>
        {LOCALES.map((l) =>
          l === locale ? (
            <strong key={l}>{t.lang[l]}</strong>
          ) : (
            <a key={l} href={`?lang=${l}`} hrefLang={l} lang={l}>
              {t.lang[l]}
            </a>
          ),
        )}
      </nav>

      {story.recall ? (
        <section id="recall" className="recall" role="alert">
          <h2>{t.recall.title}</h2>
          <p>{t.recall.body}</p>
          <p>{fill(t.recall.since, { date: story.recall.localTime })}</p>
        </section>
      ) : null}

      {story.lotMismatch ? (
        <p className="scan-warning" role="alert" data-warning="lot-mismatch">
          {fill(t.lotMismatch, story.lotMismatch)}
        </p>
      ) : null}

      {rules ? <RuleWarning summary={rules} /> : null}

      <header className="product">
        {product.imageUrl ? (
          <img src={product.imageUrl} alt="" width={96} height={96} className="product-image" />
        ) : null}
        <div>
          <h1>{product.name ?? t.product.unknownName}</h1>
          {product.brand ? <p className="muted">{product.brand}</p> : null}
          <dl className="ids">
            <div>
              <dt>{t.product.gtin}</dt>
              <dd>{product.gtin}</dd>
            </div>
            {product.lot ? (
              <div>
                <dt>{t.product.lot}</dt>
                <dd>{product.lot}</dd>
              </div>
            ) : null}
            {product.serial ? (
              <div>
                <dt>{t.product.serial}</dt>
                <dd>{product.serial}</dd>
              </div>
            ) : null}
          </dl>
        </div>
      </header>
      {product.description ? <p>{product.description}</p> : null}

      <section className="card" aria-labelledby="verify-title">
        <h2 id="verify-title">{t.verify.title}</h2>
        <Verification
          bundle={loaded.trace.bundle ?? null}
          signedAt={loaded.trace.checkpoint?.signedAt ?? null}
          locale={locale}
          records={records}
          verifierKey={key}
          t={t.verify}
        />
      </section>

      {story.truncated ? <p className="verify-note">{t.verify.truncated}</p> : null}

      {product.serial ? <ScanCheck path={path} t={t.scans} /> : null}

      <section className="card" aria-labelledby="origin-title">
        <h2 id="origin-title">{t.origin.title}</h2>
        {story.origin ? (
          <dl className="origin">
            {story.origin.who ? (
              <div>
                <dt>{t.origin.who}</dt>
                <dd>{story.origin.who}</dd>
              </div>
            ) : null}
            {story.origin.place ? (
              <div>
                <dt>{t.origin.where}</dt>
                <dd>{story.origin.place}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t.origin.when}</dt>
              <dd>
                <time dateTime={story.origin.time}>{story.origin.localTime}</time>
              </dd>
            </div>
            {[...story.lot, ...story.origin.details].map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p>{t.origin.none}</p>
        )}
      </section>

      <section aria-labelledby="journey-title">
        <h2 id="journey-title">{t.journey.title}</h2>
        {story.steps.length > 0 ? (
          <ol className="journey">
            {story.steps.map((step, i) => (
              <StepLine key={step.eventID} step={step} position={i + 1} t={t} />
            ))}
          </ol>
        ) : (
          <p>{t.journey.none}</p>
        )}
      </section>

      {story.sensors.length > 0 ? (
        <section aria-labelledby="cold-title">
          <h2 id="cold-title">{t.coldChain.title}</h2>
          {story.sensors.map((series) => (
            <ColdChainChart
              key={`${series.type} ${series.unit}`}
              series={series}
              t={t.coldChain}
              locale={locale}
            />
          ))}
        </section>
      ) : null}

      <section aria-labelledby="cert-title">
        <h2 id="cert-title">{t.certificates.title}</h2>
        {story.certificates.length > 0 ? (
          <ul className="certificates">
            {story.certificates.map((c) => (
              <li key={c}>{/^https?:\/\//.test(c) ? <a href={c}>{c}</a> : c}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t.certificates.none}</p>
        )}
      </section>

      {story.recall ? null : (
        <p id="recall" className="muted">
          {t.recall.none}
        </p>
      )}

      <footer className="muted">{t.footer}</footer>
    </main>
  );
}
