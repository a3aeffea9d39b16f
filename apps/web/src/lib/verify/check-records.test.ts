import { describe, expect, it } from '@jest/globals';
import {
  formatDisclosure,
  type TraceBundle,
  type Verdict,
  verifyTraceBundle,
} from '@traceroot/trace';

import { buildPrivateTrace, FIXTURES } from '../../../test/support/private-trace';
import type { ApiTrace } from '../story/api-types';
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
              event: { eventID: `e${e.leafIndex}` },
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

describe('checkRecords on a real log, with fields withheld and erased (issue 6)', () => {
  const fixture = buildPrivateTrace();
  const verify = (b: TraceBundle) => verifyTraceBundle(b, [fixture.verifierKey]);
  /** The records as page.tsx makes them from the API's events. */
  const shown = (trace: ApiTrace): ShownRecord[] =>
    trace.events.map(({ ledger, ...fields }, i) => ({
      eventID: String(fields.eventID),
      leafIndex: ledger.leafIndex,
      position: i + 1,
      step: 'step',
      date: 'date',
      fields,
    }));

  it.each([
    ['as committed (ilmd/<member> fields, pseudo-fields)', fixture.trace],
    ['assembled (ILMD merged)', fixture.assembled],
  ])('verifies every record with private fields hidden, the API sending them %s', (_, trace) => {
    const check = checkRecords(trace.bundle, shown(trace), verify);
    expect(check.records.map((r) => [r.eventID, r.ok, r.code, r.hidden])).toEqual(
      FIXTURES.map((f) => [f.event.eventID, true, undefined, f.private.length]),
    );
    expect(check.checkpoint).toMatchObject({ treeSize: 3 });
  });

  it('fails a record that shows a private field the proof does not disclose', () => {
    const records = shown(fixture.assembled);
    const harvest = records[0]!;
    const leaked = {
      ...harvest,
      fields: {
        ...harvest.fields,
        ilmd: { ...(harvest.fields.ilmd as object), 'tr:pickerPhone': '+86 138 0000 0000' },
      },
    };
    const check = checkRecords(fixture.trace.bundle, [leaked, ...records.slice(1)], verify);
    expect(check.records.map((r) => r.code ?? 'ok')).toEqual(['SHOWN_MISMATCH', 'ok', 'ok']);
  });

  it('fails a record whose shown ILMD member differs, or that mixes ilmd with ilmd/… fields', () => {
    const records = shown(fixture.trace);
    const harvest = records[0]!;
    const changed = { ...harvest, fields: { ...harvest.fields, 'ilmd/cbvmda:lotNumber': 'FAKE' } };
    const mixed = { ...harvest, fields: { ...harvest.fields, ilmd: {} } };
    for (const record of [changed, mixed]) {
      const check = checkRecords(fixture.trace.bundle, [record], verify);
      expect(check.records[0]).toMatchObject({ ok: false, code: 'SHOWN_MISMATCH' });
    }
  });

  it('names the record whose service disclosed an invented value for a withheld field', () => {
    const invented = formatDisclosure(new Uint8Array(16).fill(9), 'tr:price', { amount: 1 });
    const entries = fixture.trace.bundle.entries.map((e, i) =>
      i === 1 ? { ...e, disclosures: [...e.disclosures, invented] } : e,
    );
    const check = checkRecords({ ...fixture.trace.bundle, entries }, shown(fixture.trace), verify);
    expect(check.records.map((r) => r.code ?? 'ok')).toEqual(['ok', 'LEAF_MISMATCH', 'ok']);
  });
});
