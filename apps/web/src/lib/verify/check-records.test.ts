import { describe, expect, it } from '@jest/globals';
import type { TraceBundle, Verdict } from '@traceroot/trace';

import { canonicalJson, checkRecords, type ShownRecord } from './check-records';

// checkRecords' own rules (which record is pending, failed or verified) with a stand-in for
// verifyTraceBundleWith, whose verdicts libs/trace tests against real signatures and proofs.
const record = (
  leafIndex: number,
  fields: Record<string, unknown> = { eventID: `e${leafIndex}` },
): ShownRecord => ({
  eventID: `e${leafIndex}`,
  leafIndex,
  position: leafIndex + 1,
  step: 'Shipped',
  date: 'today',
  fields,
});
const entry = (leafIndex: number) => ({
  leafIndex,
  eventHashId: 'h',
  digests: [],
  disclosures: [],
  inclusionPath: [],
});
const bundle: TraceBundle = { checkpoint: 'note', entries: [entry(1), entry(2), entry(3)] };
const verify =
  (treeSize: number, bad: number[] = []) =>
  (b: TraceBundle): Verdict => {
    const e = b.entries[0];
    if (e && bad.includes(e.leafIndex)) {
      return { ok: false, code: 'LEAF_MISMATCH', message: 'changed', entryIndex: 0 };
    }
    return {
      ok: true,
      origin: 'log',
      treeSize,
      rootHash: 'root',
      verifiedBy: ['log'],
      entries: e
        ? [
            {
              leafIndex: e.leafIndex,
              eventHashId: 'h',
              fields: { eventID: `e${e.leafIndex}` },
              hiddenFieldCount: 0,
              eventHashIdChecked: false,
            },
          ]
        : [],
    };
  };

describe('checkRecords', () => {
  it('verifies each record on its own and names the one that fails', () => {
    const check = checkRecords(bundle, [record(1), record(2), record(3)], verify(4, [2]));
    expect(check.records.map((r) => [r.eventID, r.ok, r.code])).toEqual([
      ['e1', true, undefined],
      ['e2', false, 'LEAF_MISMATCH'],
      ['e3', true, undefined],
    ]);
    expect(check.checkpoint).toEqual({ origin: 'log', treeSize: 4, rootHash: 'root' });
  });

  it('a record beyond the verified checkpoint is pending; one inside it without a proof fails', () => {
    const check = checkRecords(bundle, [record(1), record(0), record(7)], verify(4));
    expect(check.records.map((r) => [r.eventID, r.ok, r.pending ?? false, r.code])).toEqual([
      ['e1', true, false, undefined],
      ['e0', false, false, 'ROOT_MISMATCH'],
      ['e7', false, true, undefined],
    ]);
  });

  it('fails a record whose shown fields differ from the verified ones', () => {
    const check = checkRecords(
      bundle,
      [record(1, { eventID: 'e1', bizStep: 'receiving' })],
      verify(4),
    );
    expect(check.records[0]).toMatchObject({ ok: false, code: 'SHOWN_MISMATCH' });
  });

  it('compares JSON regardless of member order', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: 'x' })).toBe(
      canonicalJson({ a: 'x', b: [1, { c: 3, d: 2 }] }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});
