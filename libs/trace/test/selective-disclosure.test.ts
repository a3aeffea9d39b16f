import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { generateNoteKeys } from '../src/checkpoint/index.js';
import { computeEventHashId, eventsOfDocument } from '../src/event-hash/index.js';
import {
  assembleEvent,
  type CommittedEvent,
  commitEvent,
  formatDisclosure,
  formatLeaf,
  hashDisclosure,
  SALT_BYTES,
} from '../src/leaf/index.js';
import { verifyTraceBundle } from '../src/verify-bundle.js';
import type { TraceBundle } from '../src/verify-bundle-with.js';
import { logOf, ORIGIN, type TestLog } from './support/build-bundle.js';
import { seededRandom } from './support/random.js';

// Selective disclosure end to end (docs/specs/leaf-format.md): events committed field by field,
// ILMD member by member, with pseudo-fields; any subset hidden still verifies, and with nothing
// hidden the assembled event reproduces its event hash ID. The events are those of the published
// conformance vectors (test/vectors/README.md) and generated ones.

const random = seededRandom('selective-disclosure');
const KEYS = generateNoteKeys(ORIGIN, random(32));
const RULE_SET = '1.0.0';

type Source = { label: string; event: Record<string, unknown>; context: unknown; hash?: string };

const read = (url: URL): string => readFileSync(url, 'utf8');
const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

/** Every event of the event hash vectors (with their published hashes) and the GS1 examples. */
const loadSources = (): Source[] => {
  const sources: Source[] = [];
  const hashDir = new URL('./vectors/event-hash/', import.meta.url);
  for (const file of readdirSync(hashDir).filter((f) => f.endsWith('.jsonld'))) {
    const { events, context } = eventsOfDocument(JSON.parse(read(new URL(file, hashDir))));
    const hashes = lines(read(new URL(file.replace(/\.jsonld$/, '.hashes'), hashDir)));
    events.forEach((event, i) =>
      sources.push({ label: `${file} #${i}`, event, context, hash: hashes[i] }),
    );
  }
  const gs1Dir = new URL('./vectors/epcis/gs1-examples/', import.meta.url);
  for (const file of readdirSync(gs1Dir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.jsonld')) continue;
    const { events, context } = eventsOfDocument(JSON.parse(read(new URL(file, gs1Dir))));
    events.forEach((event, i) => sources.push({ label: `${file} #${i}`, event, context }));
  }
  return sources.sort((a, b) => (a.label < b.label ? -1 : 1));
};

const SOURCES = loadSources();

/** The leaf fields the service commits: the event, its document's context, the rule-set version. */
const commit = ({ event, context }: Source): CommittedEvent =>
  commitEvent(
    { ...event, ...(context === undefined ? {} : { '@context': context }), '@ruleSet': RULE_SET },
    computeEventHashId(event, { context }),
    random,
  );

const LOG: TestLog = logOf(SOURCES.map(commit), KEYS.signerKey, KEYS.verifierKey);

const verify = (bundle: TraceBundle) =>
  verifyTraceBundle(bundle, [KEYS.verifierKey], { origin: ORIGIN });

describe('the published conformance vectors, committed ILMD member by member', () => {
  it('holds the events the vectors promise, several with ILMD', () => {
    expect(SOURCES.length).toBeGreaterThanOrEqual(60);
    const withIlmd = SOURCES.filter((s) => s.event.ilmd !== undefined);
    expect(withIlmd.length).toBeGreaterThanOrEqual(6);
    for (const [i, s] of SOURCES.entries()) {
      const names = Object.keys(LOG.events[i]!.disclosures);
      expect(names).not.toContain('ilmd');
      if (s.event.ilmd !== undefined) {
        expect(names.filter((n) => n.startsWith('ilmd/'))).toHaveLength(
          Object.keys(s.event.ilmd as object).length,
        );
      }
    }
  });

  it('verifies every event fully disclosed: the assembled event reproduces the published hash', () => {
    const verdict = verify(LOG.bundle([...SOURCES.keys()]));
    if (!verdict.ok) throw new Error(`${verdict.code}: ${verdict.message}`);
    verdict.entries.forEach((entry, i) => {
      const source = SOURCES[i]!;
      expect([source.label, entry.eventHashIdChecked, entry.hiddenFieldCount]).toEqual([
        source.label,
        true,
        0,
      ]);
      if (source.hash !== undefined) expect(entry.eventHashId).toBe(source.hash);
      expect(entry.event).toEqual(source.event);
      expect(entry.fields['@ruleSet']).toBe(RULE_SET);
      expect(Object.keys(entry.fields)).toEqual(Object.keys(LOG.events[i]!.disclosures));
    });
  });

  it('verifies any subset of fields hidden, without the hash check, and shows only the rest', () => {
    fc.assert(
      fc.property(
        fc
          .nat(SOURCES.length - 1)
          .chain((i) =>
            fc.tuple(
              fc.constant(i),
              fc.subarray(Object.keys(LOG.events[i]!.disclosures), { minLength: 1 }),
            ),
          ),
        ([i, hidden]) => {
          const verdict = verify(LOG.bundle([i], hidden));
          if (!verdict.ok) throw new Error(`${verdict.code}: ${verdict.message}`);
          const [entry] = verdict.entries;
          expect(entry).toMatchObject({
            hiddenFieldCount: hidden.length,
            eventHashIdChecked: false,
          });
          const shown = Object.keys(LOG.events[i]!.disclosures).filter((n) => !hidden.includes(n));
          expect(Object.keys(entry!.fields)).toEqual(shown);
          expect(entry!.event).toEqual(assembleEvent(entry!.fields).event);
          for (const name of hidden) {
            if (name.startsWith('ilmd/')) {
              expect(Object.keys(entry!.event.ilmd ?? {})).not.toContain(name.slice(5));
            } else expect(Object.keys(entry!.event)).not.toContain(name);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

// Generated ObjectEvents with an ILMD of several members (some in the EPCIS context's cbvmda
// namespace, some in an own one), extensions, and pseudo-fields.
const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { tr: 'https://traceroot.dev/ns/' },
];
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -1e6, max: 1e6 }));
const ilmdValue = fc.oneof(scalar, fc.dictionary(fc.constantFrom('tr:a', 'tr:b'), scalar));
const eventArbitrary = fc.record(
  {
    type: fc.constant('ObjectEvent'),
    eventTime: fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    eventTimeZoneOffset: fc.constantFrom('+00:00', '+08:00', '-05:00'),
    epcList: fc.array(
      fc.nat(99_999).map((n) => `urn:epc:id:sgtin:9520123.045678.${n}`),
      { minLength: 1, maxLength: 3 },
    ),
    action: fc.constantFrom('ADD', 'OBSERVE'),
    bizStep: fc.constantFrom('commissioning', 'shipping', 'receiving'),
    ilmd: fc.dictionary(
      fc.constantFrom(
        'cbvmda:lotNumber',
        'cbvmda:bestBeforeDate',
        'cbvmda:countryOfOrigin',
        'tr:pickerPhone',
        'tr:pickerName',
        'tr:note',
      ),
      ilmdValue,
      { minKeys: 1 },
    ),
    'tr:temperature': fc.integer({ min: -30, max: 40 }),
  },
  { requiredKeys: ['type', 'eventTime', 'eventTimeZoneOffset', 'epcList', 'action', 'ilmd'] },
);

/** A one-leaf log of `fields` committed under `eventHashId`. */
const oneLeafLog = (fields: Record<string, unknown>, eventHashId: string): TestLog =>
  logOf([commitEvent(fields, eventHashId, random)], KEYS.signerKey, KEYS.verifierKey);

describe('generated events: commit, hide any subset, verify', () => {
  it('verifies with any subset hidden, and checks the hash exactly when nothing is', () => {
    fc.assert(
      fc.property(
        eventArbitrary,
        fc.func(fc.boolean()),
        (event: Record<string, unknown>, hide: (name: string) => boolean) => {
          const eventHashId = computeEventHashId(event, { context: CONTEXT });
          const log = oneLeafLog(
            { ...event, '@context': CONTEXT, '@ruleSet': RULE_SET },
            eventHashId,
          );
          const names = Object.keys(log.events[0]!.disclosures);
          const hidden = names.filter(hide);
          const verdict = verify(log.bundle([0], hidden));
          if (!verdict.ok) throw new Error(`${verdict.code}: ${verdict.message}`);
          const [entry] = verdict.entries;
          expect(entry).toMatchObject({
            hiddenFieldCount: hidden.length,
            eventHashIdChecked: hidden.length === 0,
          });
          if (hidden.length === 0) expect(entry!.event).toEqual(event);
          const shownIlmd = names.filter((n) => n.startsWith('ilmd/') && !hidden.includes(n));
          expect(Object.keys(entry!.event.ilmd ?? {}).sort()).toEqual(
            shownIlmd.map((n) => n.slice(5)).sort(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('catches an ILMD member added, dropped or changed by the committing side', () => {
    fc.assert(
      fc.property(eventArbitrary, fc.nat(2), (event: Record<string, unknown>, how) => {
        const ilmd = { ...(event.ilmd as Record<string, unknown>) };
        const first = Object.keys(ilmd)[0]!;
        if (how === 0) ilmd['tr:extra'] = 'x';
        else if (how === 1 && Object.keys(ilmd).length > 1) delete ilmd[first];
        else ilmd[first] = JSON.stringify(ilmd[first]) + '!';
        const eventHashId = computeEventHashId(event, { context: CONTEXT });
        const log = oneLeafLog({ ...event, ilmd, '@context': CONTEXT }, eventHashId);
        expect(verify(log.bundle([0]))).toMatchObject({ ok: false, code: 'LEAF_MISMATCH' });
      }),
      { numRuns: 100 },
    );
  });
});

/** A leaf that commits exactly `fields`, one disclosure each, as given (how old leaves were). */
const leafOfFields = (fields: [string, unknown][], eventHashId: string): CommittedEvent => {
  const disclosures = fields.map(([name, value]): [string, string] => [
    name,
    formatDisclosure(random(SALT_BYTES), name, value),
  ]);
  const digests: [string, string][] = disclosures.map(([name, d]) => [name, hashDisclosure(d)]);
  const leaf = { eventHashId, digests: digests.map(([, d]) => d).sort() };
  return {
    leaf,
    leafData: formatLeaf(leaf),
    disclosures: Object.fromEntries(disclosures),
    digestsByField: Object.fromEntries(digests),
  };
};

describe('leaves that committed the ILMD whole (before it was split)', () => {
  const source = SOURCES.find((s) => s.label.startsWith('Example_9.6.4-TransformationEvent'))!;
  const fields = Object.entries({ ...source.event, '@context': source.context });
  const old = leafOfFields(fields, computeEventHashId(source.event, { context: source.context }));
  const log = logOf([old], KEYS.signerKey, KEYS.verifierKey);

  it('still verify, fully disclosed with the hash check, and partly disclosed', () => {
    expect(Object.keys(old.disclosures)).toContain('ilmd');
    const full = verify(log.bundle([0]));
    expect(full).toMatchObject({ ok: true, entries: [{ eventHashIdChecked: true }] });
    if (full.ok) expect(full.entries[0]!.event).toEqual(source.event);
    const partial = verify(log.bundle([0], ['ilmd']));
    expect(partial).toMatchObject({ ok: true, entries: [{ hiddenFieldCount: 1 }] });
    if (partial.ok) expect(partial.entries[0]!.event).not.toHaveProperty('ilmd');
  });

  it('are refused when they hold the ILMD both whole and by member: MALFORMED_INPUT', () => {
    const mixed = leafOfFields([...fields, ['ilmd/cbvmda:lotNumber', 'L1']], old.leaf.eventHashId);
    const bad = logOf([...LOG.events.slice(0, 2), mixed], KEYS.signerKey, KEYS.verifierKey);
    expect(verify(bad.bundle([0, 1, 2]))).toMatchObject({
      ok: false,
      code: 'MALFORMED_INPUT',
      entryIndex: 2,
      message: expect.stringContaining('both whole'),
    });
    // Hiding one of the two is no way around it when the other is shown with a member.
    expect(verify(bad.bundle([2], ['type']))).toMatchObject({ code: 'MALFORMED_INPUT' });
    expect(verify(bad.bundle([2], ['ilmd']))).toMatchObject({ ok: true });
  });
});
