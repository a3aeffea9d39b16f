'use client';

import {
  base64ToBytes,
  type TraceBundle,
  verifyConsistency,
  verifyTraceBundle,
} from '@traceroot/trace';
import { useEffect, useState } from 'react';

import { fill, type Messages } from '@/lib/i18n/messages';
import {
  checkRecords,
  type RecordCheck,
  type RememberedCheckpoint,
  rememberKey,
  type ShownRecord,
} from '@/lib/verify/check-records';

type Props = {
  bundle: TraceBundle | null;
  unsealed: number;
  records: ShownRecord[];
  verifierKey: string;
  t: Messages['verify'];
};

type Consistency =
  { state: 'first' } | { state: 'ok'; old: number } | { state: 'bad'; old: number } | null;

/**
 * Verifies, in the reader's browser, every record the page shows: disclosed fields → leaf →
 * inclusion proof → signed checkpoint, against the key this site was configured with. Then checks
 * that the log extends the checkpoint this browser verified on its last visit.
 */
export function Verification({ bundle, unsealed, records, verifierKey, t }: Props) {
  const [result, setResult] = useState<RecordCheck | null>(null);
  const [consistency, setConsistency] = useState<Consistency>(null);

  useEffect(() => {
    if (!bundle) return;
    const check = checkRecords(bundle, records, verifierKey, (b, keys) =>
      verifyTraceBundle(b, keys),
    );
    setResult(check);
    if (check.checkpoint === undefined) return;
    const current = check.checkpoint;
    const storageKey = rememberKey(current.origin);
    let remembered: RememberedCheckpoint | null = null;
    try {
      remembered = JSON.parse(
        localStorage.getItem(storageKey) ?? 'null',
      ) as RememberedCheckpoint | null;
    } catch {
      remembered = null;
    }
    const remember = (c: RememberedCheckpoint) => {
      try {
        localStorage.setItem(storageKey, JSON.stringify(c));
      } catch {
        // private browsing: nothing remembered, nothing lost
      }
    };
    if (!remembered || typeof remembered.treeSize !== 'number') {
      remember(current);
      setConsistency({ state: 'first' });
      return;
    }
    const old = remembered;
    const [small, large] = old.treeSize <= current.treeSize ? [old, current] : [current, old];
    if (small.treeSize === large.treeSize) {
      setConsistency(
        small.rootHash === large.rootHash
          ? { state: 'ok', old: old.treeSize }
          : { state: 'bad', old: old.treeSize },
      );
      return;
    }
    fetch(`/api/log/consistency?from=${small.treeSize}&to=${large.treeSize}`)
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const proof = (await response.json()) as { path: string[] };
        verifyConsistency(
          { size1: small.treeSize, size2: large.treeSize, path: proof.path.map(base64ToBytes) },
          base64ToBytes(small.rootHash),
          base64ToBytes(large.rootHash),
        );
        if (current.treeSize >= old.treeSize) remember(current);
        setConsistency({ state: 'ok', old: old.treeSize });
      })
      .catch(() => setConsistency({ state: 'bad', old: old.treeSize }));
  }, [bundle, records, verifierKey]);

  if (!bundle) return <p className="verify verify-none">{t.noBundle}</p>;
  if (!result) {
    return (
      <p className="verify verify-checking" data-state="checking">
        {t.checking}
      </p>
    );
  }
  const failed = result.records.filter((r) => !r.ok);
  const ok = failed.length === 0;
  return (
    <div
      className={`verify ${ok ? 'verify-ok' : 'verify-bad'}`}
      data-state={ok ? 'verified' : 'failed'}
    >
      <p className="verify-headline">
        <span aria-hidden="true">{ok ? '✓ ' : '✗ '}</span>
        {fill(t.ok, { n: result.records.length - failed.length, total: result.records.length })}
        {result.checkpoint ? `, ${fill(t.sealed, { size: result.checkpoint.treeSize })}` : ''}
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
      {unsealed > 0 ? <p className="verify-note">{fill(t.unsealed, { n: unsealed })}</p> : null}
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
