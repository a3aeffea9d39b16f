'use client';

import {
  base64ToBytes,
  prepareNoteVerifier,
  type TraceBundle,
  verifyConsistency,
  verifyTraceBundleWith,
} from '@traceroot/trace';
import { useEffect, useState } from 'react';

import { fill, type Messages } from '@/lib/i18n/messages';
import { browserEd25519, browserHasEd25519 } from '@/lib/verify/ed25519';
import {
  checkRecords,
  type RecordCheck,
  type RememberedCheckpoint,
  rememberKey,
  type ShownRecord,
} from '@/lib/verify/check-records';

type Props = {
  bundle: TraceBundle | null;
  /** When the service says it signed the bundle's checkpoint (ISO), shown in the reader's time zone. */
  signedAt: string | null;
  locale: string;
  records: ShownRecord[];
  /** The log key this site was configured with; null: none, so nothing can be verified. */
  verifierKey: string | null;
  t: Messages['verify'];
};

type Consistency =
  | { state: 'first' }
  | { state: 'ok'; old: number }
  | { state: 'bad'; old: number }
  | { state: 'unknown' }
  | null;

const readRemembered = (key: string): RememberedCheckpoint | null => {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? 'null') as RememberedCheckpoint | null;
    return value && typeof value.treeSize === 'number' ? value : null;
  } catch {
    return null;
  }
};

const remember = (key: string, checkpoint: RememberedCheckpoint): void => {
  try {
    localStorage.setItem(key, JSON.stringify(checkpoint));
  } catch {
    // private browsing: nothing remembered, nothing lost
  }
};

/**
 * Whether the log extends the checkpoint this browser verified on its last visit (a consistency
 * proof between the two, fetched through the web app); remembers the newer of the two.
 */
const checkConsistency = async (current: RememberedCheckpoint): Promise<Consistency> => {
  const key = rememberKey(current.origin);
  const old = readRemembered(key);
  if (!old) {
    remember(key, current);
    return { state: 'first' };
  }
  const [small, large] = old.treeSize <= current.treeSize ? [old, current] : [current, old];
  if (small.treeSize === large.treeSize) {
    if (small.rootHash !== large.rootHash) return { state: 'bad', old: old.treeSize };
  } else {
    let path: Uint8Array[];
    try {
      const response = await fetch(
        `/api/log/consistency?from=${small.treeSize}&to=${large.treeSize}`,
      );
      if (!response.ok) return { state: 'unknown' };
      path = ((await response.json()) as { path: string[] }).path.map(base64ToBytes);
    } catch {
      return { state: 'unknown' }; // offline or the service is down: not checked, not failed
    }
    try {
      verifyConsistency(
        { size1: small.treeSize, size2: large.treeSize, path },
        base64ToBytes(small.rootHash),
        base64ToBytes(large.rootHash),
      );
    } catch {
      return { state: 'bad', old: old.treeSize };
    }
  }
  if (current.treeSize >= old.treeSize) remember(key, current);
  return { state: 'ok', old: old.treeSize };
};

/**
 * Verifies, in the reader's browser, every record the page shows: disclosed fields → leaf →
 * inclusion proof → signed checkpoint, against the key this site was configured with. Then checks
 * that the log extends the checkpoint this browser verified on its last visit.
 */
export function Verification({ bundle, signedAt, locale, records, verifierKey, t }: Props) {
  const [result, setResult] = useState<RecordCheck | 'unsupported' | 'no-key' | null>(null);
  const [consistency, setConsistency] = useState<Consistency>(null);

  useEffect(() => {
    if (!bundle || verifierKey === null) return;
    let cancelled = false;
    void (async () => {
      if (!(await browserHasEd25519())) {
        if (!cancelled) setResult('unsupported');
        return;
      }
      // The checkpoint's signature, checked once with the browser's Ed25519; then every record.
      let verifier: Awaited<ReturnType<typeof prepareNoteVerifier>>;
      try {
        verifier = await prepareNoteVerifier(verifierKey, bundle.checkpoint, browserEd25519);
      } catch {
        if (!cancelled) setResult('no-key'); // the configured key does not parse
        return;
      }
      const check = checkRecords(bundle, records, (b) => verifyTraceBundleWith(b, [verifier]));
      if (cancelled) return;
      setResult(check);
      if (check.checkpoint === undefined) return;
      const consistency = await checkConsistency(check.checkpoint);
      if (!cancelled) setConsistency(consistency);
    })();
    return () => {
      cancelled = true;
    };
  }, [bundle, records, verifierKey]);

  if (!bundle) return <p className="verify verify-none">{t.noBundle}</p>;
  if (verifierKey === null || result === 'no-key') {
    return (
      <p className="verify verify-none" data-state="no-key">
        {t.noKey}
      </p>
    );
  }
  if (!result) {
    return (
      <p className="verify verify-checking" data-state="checking">
        {t.checking}
      </p>
    );
  }
  if (result === 'unsupported') {
    return (
      <p className="verify verify-none" data-state="unsupported">
        {t.unsupported}
      </p>
    );
  }
  const failed = result.records.filter((r) => !r.ok && !r.pending);
  const pending = result.records.filter((r) => r.pending).length;
  const sealed = result.records.length - pending;
  const ok = failed.length === 0;
  // Fields the reader may not see (private, erased) are expected: covered by their digests.
  const hidden = result.records.reduce((sum, r) => sum + (r.ok ? (r.hidden ?? 0) : 0), 0);
  return (
    <div
      className={`verify ${ok ? 'verify-ok' : 'verify-bad'}`}
      data-state={ok ? 'verified' : 'failed'}
    >
      <p className="verify-headline">
        <span aria-hidden="true">{ok ? '✓ ' : '✗ '}</span>
        {fill(t.ok, { n: sealed - failed.length, total: sealed })}
        {result.checkpoint
          ? `, ${fill(signedAt ? t.sealedAt : t.sealed, {
              size: result.checkpoint.treeSize,
              time: signedAt
                ? new Intl.DateTimeFormat(locale, {
                    dateStyle: 'medium',
                    timeStyle: 'short',
                  }).format(new Date(signedAt))
                : '',
            })}`
          : ''}
      </p>
      {failed.map((r) => (
        <p key={r.eventID} className="verify-failure" role="alert" data-event-id={r.eventID}>
          {fill(t.failed, {
            index: r.position,
            step: r.step,
            date: r.date,
            reason: t.reasons[r.code ?? 'MALFORMED_INPUT'] ?? r.code ?? '',
          })}
        </p>
      ))}
      {hidden > 0 ? (
        <p className="verify-note" data-hidden={hidden}>
          {fill(t.hidden, { n: hidden })}
        </p>
      ) : null}
      {pending > 0 ? <p className="verify-note">{fill(t.unsealed, { n: pending })}</p> : null}
      {consistency?.state === 'first' ? <p className="verify-note">{t.firstVisit}</p> : null}
      {consistency?.state === 'ok' && result.checkpoint ? (
        <p className="verify-note" data-consistency="ok">
          {fill(t.consistent, { old: consistency.old, new: result.checkpoint.treeSize })}
        </p>
      ) : null}
      {consistency?.state === 'bad' ? (
        <p className="verify-failure" role="alert" data-consistency="bad">
          {fill(t.inconsistent, { old: consistency.old })}
        </p>
      ) : null}
      <details className="verify-details">
        <summary>{t.details}</summary>
        {result.checkpoint ? (
          <>
            <p>
              {t.root}: <code>{result.checkpoint.rootHash}</code>
            </p>
            <p>{t.checkpoint}:</p>
            <pre>{bundle.checkpoint}</pre>
          </>
        ) : null}
        <ol>
          {result.records.map((r) => (
            <li key={r.eventID}>
              {r.ok ? '✓' : '✗'} {r.step}, {r.date}: {t.leafIndex} {r.leafIndex}
              {r.ok ? '' : ` (${r.code}: ${r.message})`}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
