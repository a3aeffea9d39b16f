import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  bytesToHex,
  hexToBytes,
  utf8ToBytes,
} from '../src/bytes.js';
import { generateNoteKeys, parseVerifierKey, signCheckpoint } from '../src/checkpoint/index.js';
import { TRACE_ERROR_CODES } from '../src/errors.js';
import { computeEventHashId } from '../src/event-hash/index.js';
import { commitEvent, parseDisclosure } from '../src/leaf/index.js';
import { MemoryTree } from '../src/merkle/index.js';
import { verifyTraceBundle } from '../src/verify-bundle.js';
import { type TraceBundle, verifyTraceBundleWith } from '../src/verify-bundle-with.js';
import { buildEvent, buildTestLog, ORIGIN } from './support/build-bundle.js';
import { seededRandom } from './support/random.js';

const log = buildTestLog(13);
const KEYS = [log.verifierKey];

const flipBase64Bit = (text: string, bit: number): string => {
  const bytes = base64ToBytes(text);
  bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << (bit % 8);
  return bytesToBase64(bytes);
};

const withEntry = (
  bundle: TraceBundle,
  change: Partial<TraceBundle['entries'][number]>,
): TraceBundle => ({
  ...bundle,
  entries: [{ ...bundle.entries[0]!, ...change }],
});

describe(verifyTraceBundle.name, () => {
  it('verifies every event of the log with every field disclosed, recomputing event hash IDs', () => {
    const verdict = verifyTraceBundle(log.bundle([...Array(13).keys()]), KEYS, { origin: ORIGIN });
    expect(verdict).toMatchObject({ ok: true, origin: ORIGIN, treeSize: 13, verifiedBy: [ORIGIN] });
    if (!verdict.ok) throw new Error('unreachable');
    expect(verdict.rootHash).toBe(bytesToBase64(log.tree.rootHash()));
    expect(verdict.entries.every((e) => e.eventHashIdChecked && e.hiddenFieldCount === 0)).toBe(
      true,
    );
    expect(verdict.entries[4]!.fields).toMatchObject({ type: 'ObjectEvent', bizStep: 'shipping' });
    expect(verdict.entries[4]!.event).toEqual(buildEvent(4));
  });

  it('verifies a partial view: hidden fields count, values stay hidden', () => {
    const verdict = verifyTraceBundle(log.bundle([5], ['bizStep', 'readPoint']), KEYS);
    expect(verdict).toMatchObject({
      ok: true,
      entries: [{ leafIndex: 5, hiddenFieldCount: 2, eventHashIdChecked: false }],
    });
    if (verdict.ok) expect(Object.keys(verdict.entries[0]!.fields)).not.toContain('bizStep');
  });

  it('verifies an empty selection (the checkpoint alone)', () => {
    expect(verifyTraceBundle(log.bundle([]), KEYS)).toMatchObject({ ok: true, entries: [] });
  });

  it('refuses a checkpoint from an unknown key and from another origin', () => {
    const other = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(1));
    expect(verifyTraceBundle(log.bundle([0]), [other.verifierKey])).toMatchObject({
      ok: false,
      code: 'UNKNOWN_KEY',
    });
    expect(
      verifyTraceBundle(log.bundle([0]), KEYS, { origin: 'elsewhere.example/log' }),
    ).toMatchObject({
      ok: false,
      code: 'ORIGIN_MISMATCH',
    });
  });

  it('refuses a consistent-looking checkpoint signed by another key with the trusted name', () => {
    const impostor = generateNoteKeys(ORIGIN, new Uint8Array(32).fill(2));
    const forged = signCheckpoint(
      { origin: ORIGIN, treeSize: 13, rootHash: log.tree.rootHash(), extensions: [] },
      impostor.signerKey,
    );
    expect(verifyTraceBundle({ ...log.bundle([0]), checkpoint: forged }, KEYS)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_KEY',
    });
  });

  it('names the entry that failed', () => {
    const bundle = log.bundle([1, 2, 3]);
    const entries = bundle.entries.map((e, i) => (i === 2 ? { ...e, leafIndex: 99 } : e));
    expect(verifyTraceBundle({ ...bundle, entries }, KEYS)).toMatchObject({
      ok: false,
      code: 'INDEX_OUT_OF_RANGE',
      entryIndex: 2,
    });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', []],
    ['no entries', { checkpoint: log.checkpoint }],
    ['a numeric checkpoint', { checkpoint: 1, entries: [] }],
    ['an entry that is not an object', { checkpoint: log.checkpoint, entries: [7] }],
    [
      'an entry without a path',
      {
        checkpoint: log.checkpoint,
        entries: [{ ...log.bundle([0]).entries[0], inclusionPath: undefined }],
      },
    ],
    ['a path hash that is not base64', withEntry(log.bundle([0]), { inclusionPath: ['***'] })],
  ])('answers MALFORMED_INPUT, never throws, for %s', (_name, bundle) => {
    expect(verifyTraceBundle(bundle as TraceBundle, KEYS)).toMatchObject({
      ok: false,
      code: 'MALFORMED_INPUT',
    });
  });

  it('refuses a forged disclosure and an event whose fields do not give its hash ID', () => {
    const bundle = log.bundle([2]);
    const entry = bundle.entries[0]!;
    const { salt } = parseDisclosure(entry.disclosures[0]!);
    const forged = bytesToBase64Url(
      utf8ToBytes(JSON.stringify([salt, 'type', 'AggregationEvent'])),
    );
    expect(
      verifyTraceBundle(
        withEntry(bundle, { disclosures: [forged, ...entry.disclosures.slice(1)] }),
        KEYS,
      ),
    ).toMatchObject({
      ok: false,
      code: 'LEAF_MISMATCH',
    });
  });

  it('refuses a leaf whose fully disclosed fields do not reproduce its event hash ID', () => {
    // An operator that commits event A under event B's ID: the inclusion proof is valid, only
    // the recomputation of the ID catches it.
    const random = seededRandom('liar');
    const keys = generateNoteKeys(ORIGIN, random(32));
    const lie = commitEvent(buildEvent(0), computeEventHashId(buildEvent(1)), random);
    const tree = new MemoryTree();
    tree.appendLeaves([lie.leafData]);
    const checkpoint = signCheckpoint(
      { origin: ORIGIN, treeSize: 1, rootHash: tree.rootHash(), extensions: [] },
      keys.signerKey,
    );
    const bundle = {
      checkpoint,
      entries: [
        {
          leafIndex: 0,
          ...lie.leaf,
          disclosures: Object.values(lie.disclosures),
          inclusionPath: [],
        },
      ],
    };
    expect(verifyTraceBundle(bundle, [keys.verifierKey])).toMatchObject({
      ok: false,
      code: 'LEAF_MISMATCH',
    });
    const unhashable = commitEvent({ type: 'NoSuchEvent' }, lie.leaf.eventHashId, random);
    const tree2 = new MemoryTree();
    tree2.appendLeaves([unhashable.leafData]);
    const checkpoint2 = signCheckpoint(
      { origin: ORIGIN, treeSize: 1, rootHash: tree2.rootHash(), extensions: [] },
      keys.signerKey,
    );
    const bundle2 = {
      checkpoint: checkpoint2,
      entries: [
        {
          leafIndex: 0,
          ...unhashable.leaf,
          disclosures: Object.values(unhashable.disclosures),
          inclusionPath: [],
        },
      ],
    };
    expect(verifyTraceBundle(bundle2, [keys.verifierKey])).toMatchObject({
      ok: false,
      code: 'LEAF_MISMATCH',
    });
  });
});

describe('never throws on bad input', () => {
  const good = log.bundle([4]);
  it('answers a coded verdict for arbitrary JSON values in place of the bundle or any part of it', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom(
          'bundle',
          'checkpoint',
          'entries',
          'entry',
          'leafIndex',
          'eventHashId',
          'digests',
          'disclosures',
          'inclusionPath',
        ),
        (junk, where) => {
          const entry = good.entries[0]!;
          const bundle =
            where === 'bundle'
              ? junk
              : where === 'checkpoint'
                ? { ...good, checkpoint: junk }
                : where === 'entries'
                  ? { ...good, entries: junk }
                  : where === 'entry'
                    ? { ...good, entries: [junk] }
                    : { ...good, entries: [{ ...entry, [where]: junk }] };
          const verdict = verifyTraceBundle(bundle as TraceBundle, KEYS);
          if (!verdict.ok) expect(TRACE_ERROR_CODES).toContain(verdict.code);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('any flipped bit fails with the right coded reason', () => {
  const bundle = log.bundle([9]);
  const entry = bundle.entries[0]!;
  const [text, signatures] = bundle.checkpoint.split('\n\n') as [string, string];

  it('in the checkpoint text (origin, tree size, root) → SIGNATURE_INVALID', () => {
    fc.assert(
      fc.property(fc.nat(text.length * 8 - 1), (bit) => {
        const chars = [...text];
        const i = Math.floor(bit / 8);
        const flipped = String.fromCharCode(chars[i]!.charCodeAt(0) ^ (1 << (bit % 8)));
        fc.pre(flipped !== '\n' && flipped >= ' ' && flipped <= '~');
        chars[i] = flipped;
        const checkpoint = `${chars.join('')}\n\n${signatures}`;
        expect(verifyTraceBundle({ ...bundle, checkpoint }, KEYS)).toMatchObject({
          ok: false,
          code: 'SIGNATURE_INVALID',
        });
      }),
    );
  });

  it('in the signature → SIGNATURE_INVALID', () => {
    const [dash, name, sig] = signatures.trimEnd().split(' ') as [string, string, string];
    fc.assert(
      fc.property(fc.integer({ min: 32, max: 68 * 8 - 1 }), (bit) => {
        const checkpoint = `${text}\n\n${dash} ${name} ${flipBase64Bit(sig, bit)}\n`;
        expect(verifyTraceBundle({ ...bundle, checkpoint }, KEYS)).toMatchObject({
          ok: false,
          code: 'SIGNATURE_INVALID',
        });
      }),
    );
  });

  it('in a leaf digest, the event hash ID or a path hash → ROOT_MISMATCH', () => {
    fc.assert(
      fc.property(fc.nat(255), fc.nat(), fc.nat(2), (bit, seed, where) => {
        let changed;
        if (where === 0) {
          const at = seed % entry.digests.length;
          const digests = entry.digests.map((d, i) =>
            i === at ? bytesToBase64Url(flipBit(base64UrlToBytesStrict(d), bit)) : d,
          );
          changed = withEntry(bundle, { digests });
        } else if (where === 1) {
          const hex = entry.eventHashId.slice(14, 78);
          const eventHashId = entry.eventHashId.replace(
            hex,
            bytesToHex(flipBit(hexToBytes(hex), bit)),
          );
          changed = withEntry(bundle, { eventHashId });
        } else {
          const at = seed % entry.inclusionPath.length;
          changed = withEntry(bundle, {
            inclusionPath: entry.inclusionPath.map((h, i) =>
              i === at ? flipBase64Bit(h, bit) : h,
            ),
          });
        }
        expect(verifyTraceBundle(changed, KEYS)).toMatchObject({
          ok: false,
          code: 'ROOT_MISMATCH',
        });
      }),
    );
  });

  it('in the leaf index → INDEX_OUT_OF_RANGE or ROOT_MISMATCH', () => {
    fc.assert(
      fc.property(fc.nat(52), (bit) => {
        const leafIndex = Math.floor(9 / 2 ** bit) % 2 === 1 ? 9 - 2 ** bit : 9 + 2 ** bit;
        const verdict = verifyTraceBundle(withEntry(bundle, { leafIndex }), KEYS);
        expect(verdict).toMatchObject({
          ok: false,
          code: leafIndex >= 13 ? 'INDEX_OUT_OF_RANGE' : 'ROOT_MISMATCH',
        });
      }),
    );
  });

  it('in a disclosed value → LEAF_MISMATCH', () => {
    fc.assert(
      fc.property(fc.nat(entry.disclosures.length - 1), fc.string({ minLength: 1 }), (at, junk) => {
        const { salt, name, value } = parseDisclosure(entry.disclosures[at]!);
        const altered = JSON.stringify(value) + junk;
        const forged = bytesToBase64Url(utf8ToBytes(JSON.stringify([salt, name, altered])));
        const disclosures = entry.disclosures.map((d, i) => (i === at ? forged : d));
        expect(verifyTraceBundle(withEntry(bundle, { disclosures }), KEYS)).toMatchObject({
          ok: false,
          code: 'LEAF_MISMATCH',
        });
      }),
    );
  });
});

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8);
  return copy;
}

function base64UrlToBytesStrict(text: string): Uint8Array {
  return base64ToBytes(text.replace(/-/g, '+').replace(/_/g, '/') + '=');
}

describe('verifyTraceBundleWith (parsed keys, injected event hash ID check)', () => {
  const bundle = log.bundle([...Array(13).keys()]);

  it('gives verifyTraceBundle’s verdict; without the hash check it says which step it skipped', () => {
    const verifier = parseVerifierKey(log.verifierKey);
    const full = verifyTraceBundle(bundle, KEYS, { origin: ORIGIN });
    const lean = verifyTraceBundleWith(bundle, [verifier], { origin: ORIGIN });
    expect(full.ok && lean.ok).toBe(true);
    if (!full.ok || !lean.ok) return;
    expect(lean.entries.map((e) => e.fields)).toEqual(full.entries.map((e) => e.fields));
    expect(lean.entries.map((e) => e.event)).toEqual(full.entries.map((e) => e.event));
    expect(full.entries.every((e) => e.eventHashIdChecked)).toBe(true);
    expect(lean.entries.every((e) => !e.eventHashIdChecked)).toBe(true);
  });

  it('still catches a disclosure its leaf does not commit to, and names the entry', () => {
    const entries = bundle.entries.map((e, i) =>
      i === 4
        ? { ...e, disclosures: [bundle.entries[5]!.disclosures[0]!, ...e.disclosures.slice(1)] }
        : e,
    );
    const verdict = verifyTraceBundleWith({ ...bundle, entries }, [
      parseVerifierKey(log.verifierKey),
    ]);
    expect(verdict).toMatchObject({ ok: false, code: 'LEAF_MISMATCH', entryIndex: 4 });
  });

  it('turns a bad trusted key into a verdict, never a throw', () => {
    expect(verifyTraceBundle(bundle, ['not a key'])).toMatchObject({
      ok: false,
      code: 'MALFORMED_INPUT',
    });
  });
});
