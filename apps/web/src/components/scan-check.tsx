'use client';

import { useEffect, useState } from 'react';

import { fill, type Messages } from '@/lib/i18n/messages';

const SHARE_KEY = 'traceroot:share-location';
/** One scan per item, browser and day: a reload or a language switch is not another scan. */
const scannedKey = (path: string) => `traceroot:scanned:${path}`;
const today = () => new Date().toISOString().slice(0, 10);
type Warning =
  | { reason: 'many-scans'; scanCount: number }
  | { reason: 'far-apart'; distanceKm: number; minutesApart: number };
type Answer = { scanCount: number; warning: Warning | null };

const warningText = (warning: Warning, t: Messages['scans']): string =>
  warning.reason === 'far-apart'
    ? fill(t.farApart, {
        km: Math.round(warning.distanceKm),
        minutes: Math.round(warning.minutesApart),
      })
    : fill(t.manyScans, { count: warning.scanCount });

const coarse = (value: number) => Math.round(value * 10) / 10;

/** Where this browser is, to about 10 km, when its user agreed earlier; else nothing. */
const agreedLocation = (): Promise<{ latitude: number; longitude: number } | undefined> =>
  new Promise((resolve) => {
    if (localStorage.getItem(SHARE_KEY) !== 'yes' || !('geolocation' in navigator)) {
      resolve(undefined);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({ latitude: coarse(p.coords.latitude), longitude: coarse(p.coords.longitude) }),
      () => resolve(undefined),
      { timeout: 5000, maximumAge: 600_000, enableHighAccuracy: false },
    );
  });

/**
 * Counts this page view of a serialised item (counterfeit detection; once per browser and day) and
 * warns when the code has been scanned too often or in places too far apart. No IP address or cookie is sent or kept; a
 * coarse location only after the reader agreed.
 */
export function ScanCheck({ path, t }: { path: string; t: Messages['scans'] }) {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [shared, setShared] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setShared(localStorage.getItem(SHARE_KEY) === 'yes');
    const counted = localStorage.getItem(scannedKey(path)) === today();
    const request = counted
      ? fetch(`/api/scans?identifier=${encodeURIComponent(path)}`)
      : agreedLocation().then((location) => {
          localStorage.setItem(scannedKey(path), today());
          return fetch('/api/scans', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ identifier: path, ...(location ? { location } : {}) }),
          });
        });
    void request
      .then(async (response) => (response.ok ? ((await response.json()) as Answer) : null))
      .then((body) => {
        if (!cancelled && body) setAnswer(body);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [path]);

  return (
    <section className="scans" aria-live="polite">
      {answer?.warning ? (
        <p className="scan-warning" role="alert" data-reason={answer.warning.reason}>
          {warningText(answer.warning, t)}
        </p>
      ) : null}
      {answer ? (
        <p className="muted">
          {answer.scanCount === 1 ? t.countOne : fill(t.count, { count: answer.scanCount })}
        </p>
      ) : null}
      {shared ? (
        <p className="muted">{t.shared}</p>
      ) : (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            localStorage.setItem(SHARE_KEY, 'yes');
            setShared(true);
          }}
        >
          {t.share}
        </button>
      )}
    </section>
  );
}
