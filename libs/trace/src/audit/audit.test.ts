import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { seededRandom } from '../../test/support/random.js';
import { base64ToBytes, bytesToBase64 } from '../bytes.js';
import {
  type Checkpoint,
  checkpointBodyHash,
  formatPrevExtension,
  generateNoteKeys,
  parseVerifierKey,
  signCheckpoint,
} from '../checkpoint/index.js';
import { computeEventHashId } from '../event-hash/index.js';
import { commitEvent, formatDisclosure, formatLeaf, hashDisclosure } from '../leaf/index.js';
import { appendLeaves, EMPTY_RANGE, MemoryTree, rfc6962 } from '../merkle/index.js';
import {
  AUDIT_MISMATCH_CODES,
  type AuditCheckpoint,
  type AuditLeaf,
  type AuditMismatchCode,
  type AuditNode,
  type AuditNodeSource,
  type AuditOptions,
  type AuditResult,
  auditLog,
  formatAuditLocation,
  formatAuditMismatch,
  formatAuditProgress,
  formatAuditResult,
} from '../index.js';

const ORIGIN = 'audit.traceroot.dev/log';
const random = seededRandom('audit');
const KEYS = generateNoteKeys(ORIGIN, random(32));
const OTHER_KEYS = generateNoteKeys(ORIGIN, random(32));
const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { example: 'https://ns.example.com/epcis/' },
];

type Row = { note: string; treeSize: number; rootHash: Uint8Array; bodyHash: Uint8Array };
type Log = { leaves: AuditLeaf[]; checkpoints: Row[]; tree: MemoryTree };

/** The stored event as the service keeps it: as captured, plus eventID and recordTime. */
const documentOf = (i: number): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventTime: new Date(Date.UTC(2026, 4, 1, 8, 0, i)).toISOString(),
  eventTimeZoneOffset: '+02:00',
  epcList: [`urn:epc:id:sgtin:4012345.011111.${i}`],
  action: 'OBSERVE',
  bizStep: i % 2 === 0 ? 'shipping' : 'receiving',
  ...(i % 3 === 0 ? { 'example:temperature': { value: 4 + i / 10, unit: 'CEL' } } : {}),
  eventID: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  recordTime: '2026-05-02T00:00:00.000Z',
});

/** A committed leaf of `fields` (with `@context` when given) under `eventHashId`. */
const leafOf = (
  leafIndex: number,
  fields: Record<string, unknown>,
  eventHashId: string,
  context?: unknown,
): AuditLeaf => {
  const committed = commitEvent(
    context === undefined ? fields : { ...fields, '@context': context },
    eventHashId,
    random,
  );
  return {
    leafIndex,
    leafHash: bytesToBase64(rfc6962.hashLeaf(committed.leafData)),
    eventId: typeof fields.eventID === 'string' ? fields.eventID : eventHashId,
    eventHashId,
    disclosures: Object.values(committed.disclosures),
    document: fields,
  };
};

const eventLeaf = (i: number): AuditLeaf => {
  const document = documentOf(i);
  const context = i % 3 === 0 ? CONTEXT : undefined;
  return leafOf(i, document, computeEventHashId(document, { context }), context);
};

const leafHashOf = (leaf: AuditLeaf): Uint8Array =>
  typeof leaf.leafHash === 'string' ? base64ToBytes(leaf.leafHash) : leaf.leafHash;

/** Signs a chain of checkpoints at `sizes` over the leaves; `change` alters a body before signing. */
const signChain = (
  tree: MemoryTree,
  sizes: readonly number[],
  change: (body: Checkpoint, i: number) => Checkpoint = (body) => body,
  signerKey = KEYS.signerKey,
): Row[] => {
  let previous: Uint8Array | null = null;
  return sizes.map((treeSize, i) => {
    const rootHash = tree.rootHash(Math.min(treeSize, tree.size));
    const extensions = previous ? [formatPrevExtension(previous)] : [];
    const body = change({ origin: ORIGIN, treeSize, rootHash, extensions }, i);
    previous = checkpointBodyHash(body);
    return {
      note: signCheckpoint(body, signerKey),
      treeSize: body.treeSize,
      rootHash: body.rootHash,
      bodyHash: previous,
    };
  });
};

const buildLog = (size = 20, sizes: readonly number[] = [3, 7, 8, 12, 20]): Log => {
  const leaves = Array.from({ length: size }, (_, i) => eventLeaf(i));
  const tree = new MemoryTree();
  tree.appendLeafHashes(leaves.map(leafHashOf));
  return { leaves, tree, checkpoints: signChain(tree, sizes) };
};

const LOG = buildLog();
const OPTIONS: AuditOptions = { trustedKeys: [KEYS.verifierKey] };

/** Every finding code the tests below produced: each one must be. */
const seenCodes = new Set<AuditMismatchCode>();

const audit = async (
  leaves: readonly AuditLeaf[],
  checkpoints: readonly AuditCheckpoint[] = LOG.checkpoints,
  options: Partial<AuditOptions> = {},
): Promise<AuditResult> => {
  const result = await auditLog({ leaves, checkpoints }, { ...OPTIONS, ...options });
  if (result.mismatch) seenCodes.add(result.mismatch.code);
  return result;
};

const withLeaf = (i: number, change: Partial<AuditLeaf>): AuditLeaf[] =>
  LOG.leaves.map((leaf, j) => (j === i ? { ...leaf, ...change } : leaf));

const withCheckpoint = (i: number, row: AuditCheckpoint): AuditCheckpoint[] =>
  LOG.checkpoints.map((checkpoint, j) => (j === i ? row : checkpoint));

async function* streamOf<T>(items: readonly T[], onClose: () => void = () => undefined) {
  try {
    for (const item of items) {
      await Promise.resolve();
      yield item;
    }
  } finally {
    onClose();
  }
}

describe(auditLog.name, () => {
  it('passes a correct log: every leaf recomputed, every checkpoint root and chain link checked', async () => {
    const result = await audit(LOG.leaves);
    expect(result).toEqual({
      ok: true,
      leaves: 20,
      checkpoints: 5,
      eventHashIdsChecked: 20,
      treeSize: 20,
      rootHash: bytesToBase64(LOG.tree.rootHash()),
    });
    expect(formatAuditResult(result)).toBe('audited 20 leaves and 5 checkpoints: OK');
  });

  it('reads async streams, bare notes, and leaf hashes as bytes', async () => {
    const leaves = LOG.leaves.map((leaf) => ({ ...leaf, leafHash: leafHashOf(leaf) }));
    const notes = LOG.checkpoints.map((row) => row.note);
    const result = await auditLog(
      { leaves: streamOf(leaves), checkpoints: streamOf(notes) },
      OPTIONS,
    );
    expect(result).toMatchObject({ ok: true, leaves: 20, checkpoints: 5 });
  });

  it('audits the leaves after the last checkpoint (sequenced, not yet sealed)', async () => {
    const result = await audit(LOG.leaves, LOG.checkpoints.slice(0, 3));
    expect(result).toMatchObject({ ok: true, leaves: 20, checkpoints: 3, treeSize: 8 });
  });

  it('passes an empty log', async () => {
    const result = await audit([], []);
    expect(result).toEqual({
      ok: true,
      leaves: 0,
      checkpoints: 0,
      eventHashIdsChecked: 0,
      treeSize: 0,
      rootHash: null,
    });
    expect(formatAuditResult({ ...result, leaves: 1, checkpoints: 1 })).toBe(
      'audited 1 leaf and 1 checkpoint: OK',
    );
  });

  it('audits withheld fields by their digests, without the event hash ID', async () => {
    const leaves = LOG.leaves.map((leaf, i) => {
      if (i % 2 === 1) return leaf;
      const [hidden, ...shown] = leaf.disclosures!;
      const view: AuditLeaf = {
        ...leaf,
        disclosures: shown,
        hiddenDigests: [hashDisclosure(hidden!)],
      };
      delete view.document; // a party that withholds fields does not show the document either
      return view;
    });
    expect(await audit(leaves)).toMatchObject({ ok: true, leaves: 20, eventHashIdsChecked: 10 });
  });

  it('reports progress every progressEvery leaves and after each checkpoint', async () => {
    const seen: string[] = [];
    await audit(LOG.leaves, LOG.checkpoints.slice(0, 2), {
      progressEvery: 5,
      onProgress: (progress) => seen.push(formatAuditProgress(progress)),
    });
    expect(seen).toEqual([
      'audit: 3 leaves and 1 checkpoint checked so far…',
      'audit: 5 leaves and 1 checkpoint checked so far…',
      'audit: 7 leaves and 2 checkpoints checked so far…',
      'audit: 10 leaves and 2 checkpoints checked so far…',
      'audit: 15 leaves and 2 checkpoints checked so far…',
      'audit: 20 leaves and 2 checkpoints checked so far…',
    ]);
  });

  it('refuses a malformed trusted key, and lets a failing stream fail', async () => {
    await expect(audit(LOG.leaves, [], { trustedKeys: ['nope'] })).rejects.toMatchObject({
      code: 'MALFORMED_INPUT',
    });
    // eslint-disable-next-line require-yield
    async function* broken(): AsyncGenerator<AuditLeaf> {
      await Promise.resolve();
      throw new Error('connection lost');
    }
    await expect(auditLog({ leaves: broken(), checkpoints: [] }, OPTIONS)).rejects.toThrow(
      'connection lost',
    );
  });
});

describe('auditLog: a flipped bit anywhere is the first mismatch, named precisely', () => {
  const flipChar = (text: string, at: number, bit: number): string => {
    const i = at % text.length;
    const flipped = String.fromCharCode(text.charCodeAt(i) ^ (1 << bit));
    return text.slice(0, i) + flipped + text.slice(i + 1);
  };

  it('in a stored leaf hash, a disclosure or an event hash ID: LEAF_HASH_MISMATCH at that leaf', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(19),
        fc.constantFrom('leafHash', 'disclosure', 'eventHashId'),
        fc.nat(),
        fc.nat(255),
        async (i, part, at, bit) => {
          const leaf = LOG.leaves[i]!;
          let change: Partial<AuditLeaf>;
          if (part === 'leafHash') {
            const bytes = leafHashOf(leaf).slice();
            bytes[at % 32]! ^= 1 << (bit % 8);
            change = { leafHash: bytes };
          } else if (part === 'disclosure') {
            const disclosures = [...leaf.disclosures!];
            const d = at % disclosures.length;
            disclosures[d] = flipChar(disclosures[d]!, bit, at % 7);
            change = { disclosures };
          } else {
            // One hex digit of the hash changes to another hex digit: still a well-formed ID.
            const hex = leaf.eventHashId!.slice(14, 78).split('');
            const pos = at % 64;
            hex[pos] = ((parseInt(hex[pos]!, 16) + 1 + (bit % 15)) % 16).toString(16);
            change = { eventHashId: `ni:///sha-256;${hex.join('')}?ver=CBV2.0` };
          }
          const result = await audit(withLeaf(i, change));
          expect(result.mismatch).toMatchObject({
            code: 'LEAF_HASH_MISMATCH',
            leafIndex: i,
            eventId: leaf.eventId,
          });
          expect(result).toMatchObject({ ok: false, leaves: i });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('in a signed checkpoint (note or signature): CHECKPOINT_INVALID at that checkpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(4), fc.nat(), fc.nat(6), fc.boolean(), async (c, at, bit, asRow) => {
        const row = LOG.checkpoints[c]!;
        const note = flipChar(row.note, at, bit);
        const checkpoints = LOG.checkpoints.map((r, j) =>
          j === c ? (asRow ? { ...r, note } : note) : asRow ? r : r.note,
        );
        const result = await audit(LOG.leaves, checkpoints);
        expect(result.mismatch).toMatchObject({ code: 'CHECKPOINT_INVALID', checkpointIndex: c });
        expect(result.checkpoints).toBe(c);
      }),
      { numRuns: 60 },
    );
  });

  it('reports the first finding in log order', async () => {
    const leaves = withLeaf(10, { leafHash: bytesToBase64(new Uint8Array(32)) });
    const tampered = { ...LOG.checkpoints[3]!, note: LOG.checkpoints[3]!.note.replace('12', '13') };
    expect((await audit(leaves, withCheckpoint(3, tampered))).mismatch).toMatchObject({
      code: 'LEAF_HASH_MISMATCH',
      leafIndex: 10,
    });
    const early = { ...LOG.checkpoints[1]!, note: LOG.checkpoints[1]!.note.replace('7', '6') };
    expect((await audit(leaves, withCheckpoint(1, early))).mismatch).toMatchObject({
      code: 'CHECKPOINT_INVALID',
      reason: 'SIGNATURE_INVALID',
      treeSize: 7,
    });
  });

  it('stops at the first finding and closes both streams', async () => {
    const closed: string[] = [];
    const leaves = withLeaf(4, { leafHash: bytesToBase64(new Uint8Array(32)) });
    const result = await auditLog(
      {
        leaves: streamOf(leaves, () => closed.push('leaves')),
        checkpoints: streamOf(LOG.checkpoints, () => closed.push('checkpoints')),
      },
      OPTIONS,
    );
    expect(result).toMatchObject({ ok: false, leaves: 4, checkpoints: 1, treeSize: 3 });
    expect(closed.sort()).toEqual(['checkpoints', 'leaves']);
  });
});

describe('auditLog: leaf findings', () => {
  it('names the stored and recomputed leaf hashes', async () => {
    const zero = bytesToBase64(new Uint8Array(32));
    const result = await audit(withLeaf(5, { leafHash: zero }));
    const recomputed = bytesToBase64(leafHashOf(LOG.leaves[5]!));
    expect(result.mismatch).toEqual({
      code: 'LEAF_HASH_MISMATCH',
      leafIndex: 5,
      eventId: LOG.leaves[5]!.eventId,
      stored: zero,
      recomputed,
      message: `stored leaf hash ${zero} ≠ recomputed ${recomputed} (from the stored event hash ID and disclosures)`,
    });
    expect(formatAuditResult(result)).toBe(
      `MISMATCH at leaf 5 (eventID ${LOG.leaves[5]!.eventId}): stored leaf hash ${zero} ≠ recomputed ${recomputed} (from the stored event hash ID and disclosures) [LEAF_HASH_MISMATCH]`,
    );
  });

  it('finds a missing, repeated or unnumbered leaf', async () => {
    const missing = LOG.leaves.filter((_, i) => i !== 5);
    expect((await audit(missing)).mismatch).toMatchObject({
      code: 'LEAF_INDEX_GAP',
      leafIndex: 5,
      eventId: null,
      message: 'leaf 5 is missing: the next stored leaf is 6',
    });
    const repeated = [...LOG.leaves.slice(0, 5), LOG.leaves[4]!, ...LOG.leaves.slice(5)];
    expect((await audit(repeated)).mismatch).toMatchObject({
      code: 'LEAF_INDEX_GAP',
      leafIndex: 5,
      message: expect.stringContaining('leaf 4 is stored again'),
    });
    const unnumbered = [...LOG.leaves.slice(0, 2), null as unknown as AuditLeaf];
    expect((await audit(unnumbered, [])).mismatch).toMatchObject({
      code: 'LEAF_MALFORMED',
      leafIndex: 2,
      eventId: null,
    });
  });

  it.each<[string, Partial<AuditLeaf>, RegExp]>([
    ['no stored event', { eventId: null, eventHashId: null, disclosures: null }, /no event/],
    ['a short leaf hash', { leafHash: 'AAAA' }, /leaf hash is not 32 bytes/],
    ['a leaf hash that is not base64', { leafHash: '***' }, /leaf hash is not 32 bytes/],
    ['a leaf hash of another type', { leafHash: 7 as unknown as string }, /not 32 bytes/],
    ['disclosures that are not strings', { disclosures: [1] as unknown as string[] }, /list/],
    ['withheld digests that are not strings', { hiddenDigests: 'x' as unknown as [] }, /list/],
    ['a malformed event hash ID', { eventHashId: 'ni:///sha-256;00' }, /event hash ID/],
    ['a malformed withheld digest', { hiddenDigests: ['short'] }, /digest/],
  ])('finds %s: LEAF_MALFORMED', async (_, change, message) => {
    const result = await audit(withLeaf(6, change));
    expect(result.mismatch).toMatchObject({
      code: 'LEAF_MALFORMED',
      leafIndex: 6,
      message: expect.stringMatching(message),
    });
  });

  it('finds a committed disclosure that does not decode, or a field committed twice', async () => {
    const document = documentOf(4);
    const id = computeEventHashId(document);
    const garbage = 'not-a-disclosure';
    const base = leafOf(4, document, id);
    const withGarbage = [...base.disclosures!, garbage];
    const leafHash = (disclosures: string[]) =>
      rfc6962.hashLeaf(
        formatLeaf({ eventHashId: id, digests: disclosures.map((d) => hashDisclosure(d)) }),
      );
    const bad = { ...base, disclosures: withGarbage, leafHash: leafHash(withGarbage) };
    expect((await audit([...LOG.leaves.slice(0, 4), bad], [])).mismatch).toMatchObject({
      code: 'LEAF_MALFORMED',
      reason: 'MALFORMED_INPUT',
      leafIndex: 4,
    });
    const twice = [...base.disclosures!, formatDisclosure(random(16), 'bizStep', 'receiving')];
    const doubled = { ...base, disclosures: twice, leafHash: leafHash(twice) };
    expect((await audit([...LOG.leaves.slice(0, 4), doubled], [])).mismatch).toMatchObject({
      code: 'LEAF_MALFORMED',
      message: 'field bizStep is disclosed twice',
    });
  });

  it('finds fields committed under another event hash ID: EVENT_HASH_MISMATCH', async () => {
    const document = documentOf(3);
    const wrong = computeEventHashId(documentOf(2));
    const leaf = leafOf(3, document, wrong);
    const result = await audit([...LOG.leaves.slice(0, 3), leaf], []);
    expect(result.mismatch).toMatchObject({
      code: 'EVENT_HASH_MISMATCH',
      leafIndex: 3,
      stored: wrong,
      recomputed: computeEventHashId(document),
    });
  });

  it('finds committed fields that are no EPCIS event: EVENT_HASH_MISMATCH (INVALID_EVENT)', async () => {
    const leaf = leafOf(0, { type: 'ObjectEvent' }, computeEventHashId(documentOf(0)));
    expect((await audit([leaf], [])).mismatch).toMatchObject({
      code: 'EVENT_HASH_MISMATCH',
      reason: 'INVALID_EVENT',
    });
  });

  it('finds a stored eventID that is not the committed one: EVENT_ID_MISMATCH', async () => {
    const result = await audit(withLeaf(2, { eventId: 'urn:uuid:tampered' }));
    expect(result.mismatch).toMatchObject({
      code: 'EVENT_ID_MISMATCH',
      leafIndex: 2,
      eventId: 'urn:uuid:tampered',
      stored: 'urn:uuid:tampered',
      recomputed: JSON.stringify(LOG.leaves[2]!.eventId),
    });
  });

  it('compares the stored document with the committed fields, members in any order', async () => {
    const document = { ...LOG.leaves[3]!.document! };
    const reordered = Object.fromEntries(Object.entries(document).reverse());
    expect(await audit(withLeaf(3, { document: reordered }))).toMatchObject({ ok: true });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...document, bizStep: 'packing' }, `the stored document's "bizStep" differs`],
      [{ ...document, epcList: ['urn:epc:id:sgtin:4012345.011111.99'] }, `"epcList" differs`],
      [{ ...document, epcList: 'x' }, `"epcList" differs`],
      [{ ...document, 'example:temperature': { value: 4.3 } }, `"example:temperature" differs`],
      [{ ...document, extra: 1 }, 'has a member "extra" that is not committed'],
      [
        Object.fromEntries(Object.entries(document).filter(([k]) => k !== 'action')),
        '"action" is missing',
      ],
    ];
    for (const [changed, message] of cases) {
      expect([message, (await audit(withLeaf(3, { document: changed }))).mismatch]).toMatchObject([
        message,
        {
          code: 'DOCUMENT_MISMATCH',
          leafIndex: 3,
          message: expect.stringContaining(message),
        },
      ]);
    }
    const notAnObject = await audit(
      withLeaf(3, { document: [] as unknown as Record<string, unknown> }),
    );
    expect(notAnObject.mismatch).toMatchObject({
      message: 'the stored document is not a JSON object',
    });
  });
});

describe('auditLog: ILMD members, pseudo-fields and a public document', () => {
  // An event as the service commits it: ILMD member by member, the document's @context and the
  // rule-set version as pseudo-fields. Its public document leaves out the private fields.
  const stored = {
    ...documentOf(0),
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:77' }],
    ilmd: { 'cbvmda:lotNumber': 'L7', 'example:pickerPhone': '+86 138 0000 0000', 'example:x': 1 },
  };
  const id = computeEventHashId(stored, { context: CONTEXT });
  const committed = commitEvent(
    { ...stored, '@context': CONTEXT, '@ruleSet': '1.0.0' },
    id,
    random,
  );
  const PRIVATE = ['bizTransactionList', 'ilmd/example:pickerPhone', 'ilmd/example:x'];
  const publicDocument = {
    ...documentOf(0),
    ilmd: { 'cbvmda:lotNumber': 'L7' },
  };
  const leaf: AuditLeaf = {
    leafIndex: 0,
    leafHash: rfc6962.hashLeaf(committed.leafData),
    eventId: documentOf(0).eventID as string,
    eventHashId: id,
    disclosures: Object.values(committed.disclosures),
    document: stored,
  };
  const withoutIlmd = (document: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(document).filter(([name]) => name !== 'ilmd'));
  const check = async (change: Partial<AuditLeaf>) => {
    const result = await audit([{ ...leaf, ...change }], []);
    return result.mismatch ?? result;
  };

  it('audits the whole document against the assembled event, hash included', async () => {
    expect(Object.keys(committed.disclosures)).toContain('ilmd/cbvmda:lotNumber');
    expect(await check({})).toMatchObject({ ok: true, eventHashIdsChecked: 1 });
  });

  it('audits a public document: members it omits must be named, and not shown', async () => {
    const publicLeaf = { document: publicDocument, documentOmits: PRIVATE };
    expect(await check(publicLeaf)).toMatchObject({ ok: true, eventHashIdsChecked: 1 });
    // All of the ILMD private: the document may hold `ilmd: {}` or no ILMD at all.
    const allPrivate = [...PRIVATE, 'ilmd/cbvmda:lotNumber'];
    const noIlmd = withoutIlmd(publicDocument);
    for (const document of [noIlmd, { ...noIlmd, ilmd: {} }]) {
      expect(await check({ document, documentOmits: allPrivate })).toMatchObject({ ok: true });
      const both = await check({ document, documentOmits: [...allPrivate, 'ilmd'] });
      expect(both).toMatchObject(
        document === noIlmd ? { ok: true } : { code: 'DOCUMENT_MISMATCH' },
      );
    }
    const cases: [Partial<AuditLeaf>, string][] = [
      [
        { document: publicDocument, documentOmits: PRIVATE.slice(1) },
        'the committed field "bizTransactionList" is missing',
      ],
      [
        { document: publicDocument, documentOmits: ['bizTransactionList'] },
        'the committed ILMD member "example:pickerPhone" is missing',
      ],
      [
        { document: { ...publicDocument, ilmd: {} }, documentOmits: PRIVATE },
        'the committed ILMD member "cbvmda:lotNumber" is missing',
      ],
      [
        { document: noIlmd, documentOmits: PRIVATE },
        'the committed ILMD member "cbvmda:lotNumber" is missing',
      ],
      [
        { document: stored, documentOmits: PRIVATE },
        'the stored document shows "bizTransactionList", which it says it omits',
      ],
      [
        { document: { ...publicDocument, ilmd: stored.ilmd }, documentOmits: PRIVATE },
        'the stored document shows "ilmd/example:pickerPhone", which it says it omits',
      ],
      [
        {
          document: { ...publicDocument, ilmd: { 'cbvmda:lotNumber': 'L8' } },
          documentOmits: PRIVATE,
        },
        `the stored document's ILMD member "cbvmda:lotNumber" differs`,
      ],
      [
        { document: { ...publicDocument, ilmd: { 'cbvmda:lotNumber': 'L7', y: 1 } } },
        'the stored document has an ILMD member "y" that is not committed',
      ],
      [
        { document: { ...publicDocument, ilmd: 'L7' }, documentOmits: PRIVATE },
        `the stored document's "ilmd" differs`,
      ],
      [
        { document: { ...stored, '@ruleSet': '2.0.0' } },
        `the stored document's "@ruleSet" differs`,
      ],
    ];
    for (const [change, message] of cases) {
      expect([message, await check(change)]).toMatchObject([
        message,
        { code: 'DOCUMENT_MISMATCH', message: expect.stringContaining(message) },
      ]);
    }
    expect(await check({ document: { ...stored, '@ruleSet': '1.0.0' } })).toMatchObject({
      ok: true,
    });
    expect(await check({ documentOmits: 'x' as unknown as [] })).toMatchObject({
      code: 'LEAF_MALFORMED',
      message: 'documentOmits is not a list of strings',
    });
  });

  it('audits erased fields by their digests, the public document beside them', async () => {
    const erased = ['ilmd/example:pickerPhone', 'ilmd/example:x'];
    const view = {
      disclosures: Object.entries(committed.disclosures)
        .filter(([name]) => !erased.includes(name))
        .map(([, d]) => d),
      hiddenDigests: erased.map((name) => hashDisclosure(committed.disclosures[name]!)),
      document: publicDocument,
    };
    expect(await check({ ...view, documentOmits: PRIVATE })).toMatchObject({
      ok: true,
      eventHashIdsChecked: 0,
    });
    // The document cannot show a value the auditor is not given.
    expect(await check({ ...view, document: stored, documentOmits: [] })).toMatchObject({
      code: 'DOCUMENT_MISMATCH',
      message: expect.stringContaining('"example:pickerPhone" that is not disclosed'),
    });
    // Every ILMD member withheld: an empty `ilmd` may stand for them.
    const lot = committed.disclosures['ilmd/cbvmda:lotNumber']!;
    const noIlmd = {
      disclosures: view.disclosures.filter((d) => d !== lot),
      hiddenDigests: [...view.hiddenDigests, hashDisclosure(lot)],
      document: { ...publicDocument, ilmd: {} },
      documentOmits: ['bizTransactionList'],
    };
    expect(await check(noIlmd)).toMatchObject({ ok: true });
  });

  it('finds an ILMD, or a withheld member, in a document that cannot hold it', async () => {
    const plain = LOG.leaves[3]!;
    const cases: [Partial<AuditLeaf>, string][] = [
      [
        { document: { ...plain.document, ilmd: {} } },
        'the stored document has a member "ilmd" that is not committed',
      ],
      [
        { document: { ...plain.document, ilmd: { a: 1 } }, documentOmits: ['ilmd/b'] },
        'the stored document has an ILMD member "a" that is not committed',
      ],
      [
        {
          disclosures: plain.disclosures!.slice(1),
          hiddenDigests: [hashDisclosure(plain.disclosures![0]!)],
        },
        'that is not disclosed',
      ],
    ];
    for (const [change, message] of cases) {
      expect([message, (await audit(withLeaf(3, change))).mismatch]).toMatchObject([
        message,
        { code: 'DOCUMENT_MISMATCH', message: expect.stringContaining(message) },
      ]);
    }
  });

  it('audits leaves that committed the ILMD whole, and refuses one that mixes both', async () => {
    const fields = Object.entries({ ...stored, '@context': CONTEXT });
    const disclosures = fields.map(([name, value]) => formatDisclosure(random(16), name, value));
    const oldLeaf = (list: string[]): Partial<AuditLeaf> => ({
      disclosures: list,
      leafHash: rfc6962.hashLeaf(
        formatLeaf({ eventHashId: id, digests: list.map((d) => hashDisclosure(d)) }),
      ),
    });
    expect(await check(oldLeaf(disclosures))).toMatchObject({ ok: true, eventHashIdsChecked: 1 });
    const noIlmd = withoutIlmd(stored);
    expect(
      await check({ ...oldLeaf(disclosures), document: noIlmd, documentOmits: ['ilmd'] }),
    ).toMatchObject({ ok: true });
    const mixed = [...disclosures, formatDisclosure(random(16), 'ilmd/cbvmda:lotNumber', 'L7')];
    expect(await check(oldLeaf(mixed))).toMatchObject({
      code: 'LEAF_MALFORMED',
      reason: 'MALFORMED_INPUT',
      message: expect.stringContaining('both whole'),
    });
  });
});

describe('auditLog: checkpoint findings', () => {
  const resign = (change: (body: Checkpoint, i: number) => Checkpoint): Row[] =>
    signChain(LOG.tree, [3, 7, 8, 12, 20], change);

  it('finds a checkpoint signed by another key, of another origin, or without a note', async () => {
    const foreign = signChain(LOG.tree, [3, 7], undefined, OTHER_KEYS.signerKey)[1]!;
    expect((await audit(LOG.leaves, withCheckpoint(1, foreign))).mismatch).toMatchObject({
      code: 'CHECKPOINT_INVALID',
      reason: 'UNKNOWN_KEY',
      checkpointIndex: 1,
      treeSize: 7,
    });
    const result = await audit(LOG.leaves, LOG.checkpoints, { origin: 'other.example/log' });
    expect(result.mismatch).toMatchObject({ reason: 'ORIGIN_MISMATCH', checkpointIndex: 0 });
    const empty = await audit(LOG.leaves, withCheckpoint(2, null as unknown as string));
    expect(empty.mismatch).toMatchObject({
      code: 'CHECKPOINT_INVALID',
      reason: 'CHECKPOINT_MALFORMED',
    });
    expect(formatAuditMismatch(empty.mismatch!)).toBe(
      'MISMATCH at checkpoint #3: CHECKPOINT_MALFORMED: no signed note is stored [CHECKPOINT_INVALID]',
    );
  });

  it('finds stored columns that disagree with the signed note: CHECKPOINT_ROW_MISMATCH', async () => {
    const row = LOG.checkpoints[2]!;
    const cases: [Partial<Row>, RegExp][] = [
      [{ treeSize: 9 }, /stored under tree size 9, but its note signs tree size 8/],
      [{ rootHash: new Uint8Array(32) }, /stored root hash AAAA.* ≠ the signed root/],
      [{ bodyHash: new Uint8Array(32) }, /stored body hash AAAA.* ≠ the note's body hash/],
    ];
    for (const [change, message] of cases) {
      const result = await audit(LOG.leaves, withCheckpoint(2, { ...row, ...change }));
      expect(result.mismatch).toMatchObject({
        code: 'CHECKPOINT_ROW_MISMATCH',
        checkpointIndex: 2,
        treeSize: 8,
        message: expect.stringMatching(message),
      });
    }
  });

  it('finds sizes that do not strictly increase: CHECKPOINT_ORDER', async () => {
    const again = [
      ...LOG.checkpoints.slice(0, 3),
      LOG.checkpoints[2]!,
      ...LOG.checkpoints.slice(3),
    ];
    expect((await audit(LOG.leaves, again)).mismatch).toMatchObject({
      code: 'CHECKPOINT_ORDER',
      checkpointIndex: 3,
      treeSize: 8,
      message: 'tree size 8 follows tree size 8: sizes must strictly increase',
    });
    const back = [LOG.checkpoints[0]!, LOG.checkpoints[1]!, LOG.checkpoints[0]!];
    expect(
      (
        await audit(
          LOG.leaves,
          back.map((r) => r.note),
        )
      ).mismatch,
    ).toMatchObject({
      code: 'CHECKPOINT_ORDER',
      checkpointIndex: 2,
      treeSize: 3,
      message: 'tree size 3 follows tree size 7: sizes must strictly increase',
    });
  });

  it('finds a checkpoint of more leaves than the log holds: CHECKPOINT_BEYOND_LOG', async () => {
    const chain = signChain(LOG.tree, [3, 7, 8, 12, 20, 25]);
    const result = await audit(LOG.leaves, chain);
    expect(result.mismatch).toMatchObject({
      code: 'CHECKPOINT_BEYOND_LOG',
      checkpointIndex: 5,
      treeSize: 25,
      message: 'it signs 25 leaves, but the log holds only 20',
    });
    expect(result).toMatchObject({ leaves: 20, checkpoints: 5, treeSize: 20 });
  });

  it('finds a signed root that is not the root of the recomputed leaves: ROOT_MISMATCH', async () => {
    const chain = resign((body, i) => (i === 3 ? { ...body, rootHash: new Uint8Array(32) } : body));
    const result = await audit(LOG.leaves, chain);
    const recomputed = bytesToBase64(LOG.tree.rootHash(12));
    expect(result.mismatch).toEqual({
      code: 'ROOT_MISMATCH',
      checkpointIndex: 3,
      treeSize: 12,
      stored: bytesToBase64(new Uint8Array(32)),
      recomputed,
      message: `signed root ${bytesToBase64(new Uint8Array(32))} ≠ recomputed root ${recomputed} of the first 12 leaves`,
    });
    expect(formatAuditLocation(result.mismatch!)).toBe('checkpoint of tree size 12');
  });

  it('finds a broken chain: CHAIN_MISMATCH', async () => {
    const unlinked = resign((body, i) => (i === 2 ? { ...body, extensions: [] } : body));
    expect((await audit(LOG.leaves, unlinked)).mismatch).toMatchObject({
      code: 'CHAIN_MISMATCH',
      reason: 'CHAIN_MISMATCH',
      checkpointIndex: 2,
      message: 'checkpoint at size 8 names no previous checkpoint',
    });
    const wrong = resign((body, i) =>
      i === 4 ? { ...body, extensions: [formatPrevExtension(new Uint8Array(32).fill(1))] } : body,
    );
    expect((await audit(LOG.leaves, wrong)).mismatch).toMatchObject({
      code: 'CHAIN_MISMATCH',
      treeSize: 20,
      message: expect.stringContaining('not the checkpoint at size 12'),
    });
    const first = resign((body, i) =>
      i === 0 ? { ...body, extensions: [formatPrevExtension(new Uint8Array(32).fill(2))] } : body,
    );
    expect((await audit(LOG.leaves, first)).mismatch).toMatchObject({
      code: 'CHAIN_MISMATCH',
      checkpointIndex: 0,
      message: expect.stringContaining('but it is the first one stored'),
    });
    // A chain that skips a checkpoint names the wrong body.
    const skipped = [LOG.checkpoints[0]!, LOG.checkpoints[2]!];
    expect((await audit(LOG.leaves, skipped)).mismatch).toMatchObject({
      code: 'CHAIN_MISMATCH',
      treeSize: 8,
    });
  });
});

describe('auditLog: stored tree nodes (a database source)', () => {
  /** The interior nodes a log of the first `size` leaves stores, in completion order. */
  const nodesOf = (size: number): AuditNode[] => {
    const nodes: AuditNode[] = [];
    appendLeaves(EMPTY_RANGE, LOG.leaves.slice(0, size).map(leafHashOf), rfc6962, (l, i, h) => {
      if (l > 0) nodes.push({ level: l, index: i, hash: h });
    });
    return nodes;
  };
  const NODES = nodesOf(20);
  /** A source over `nodes`, each level in index order, answering `beyond` like the database. */
  const sourceOf = (
    nodes: readonly AuditNode[],
    opened: number[] = [],
  ): AuditNodeSource & { beyond: (size: number) => Promise<AuditNode | null> } => ({
    level: (level) => {
      opened.push(level);
      return nodes.filter((node) => node.level === level);
    },
    beyond: (size) =>
      Promise.resolve(nodes.find((node) => (node.index + 1) * 2 ** node.level > size) ?? null),
  });
  const auditNodes = async (
    nodes: AuditNodeSource,
    checkpoints: readonly AuditCheckpoint[] = LOG.checkpoints,
    leaves: readonly AuditLeaf[] = LOG.leaves,
  ): Promise<AuditResult> => {
    const result = await auditLog({ leaves, checkpoints, nodes }, OPTIONS);
    if (result.mismatch) seenCodes.add(result.mismatch.code);
    return result;
  };
  const without = (level: number, index: number) =>
    NODES.filter((node) => node.level !== level || node.index !== index);
  const replaced = (level: number, index: number, change: Partial<AuditNode>) =>
    NODES.map((node) =>
      node.level === level && node.index === index ? { ...node, ...change } : node,
    );

  it('passes when every complete subtree is stored and equal: 18 nodes for 20 leaves', async () => {
    const opened: number[] = [];
    const result = await auditNodes(sourceOf(NODES, opened));
    expect(result).toMatchObject({ ok: true, leaves: 20, checkpoints: 5, nodes: 18 });
    expect(NODES.map((n) => `${n.level}/${n.index}`).slice(0, 4)).toEqual([
      '1/0',
      '1/1',
      '2/0',
      '1/2',
    ]);
    expect(opened.sort()).toEqual([1, 2, 3, 4]);
    expect(formatAuditResult(result)).toBe(
      'audited 20 leaves, 5 checkpoints and 18 tree nodes: OK',
    );
    expect(formatAuditResult({ ...result, nodes: 1 })).toContain('and 1 tree node: OK');
  });

  it('reads hashes as base64 too, and levels from async streams', async () => {
    const base64 = NODES.map((node) => ({ ...node, hash: bytesToBase64(node.hash as Uint8Array) }));
    const result = await auditNodes({
      level: (level) => streamOf(base64.filter((node) => node.level === level)),
    });
    expect(result).toMatchObject({ ok: true, nodes: 18 });
  });

  it('needs no node of the leaves after the last checkpoint, but compares those stored', async () => {
    const upTo8 = LOG.checkpoints.slice(0, 3);
    expect(await auditNodes(sourceOf(nodesOf(8)), upTo8)).toMatchObject({
      ok: true,
      leaves: 20,
      treeSize: 8,
      nodes: 7,
    });
    const wrong = nodesOf(12).map((node) =>
      node.level === 1 && node.index === 5 ? { ...node, hash: new Uint8Array(32) } : node,
    );
    expect(
      (await auditNodes({ level: (l) => sourceOf(wrong).level(l) }, upTo8)).mismatch,
    ).toMatchObject({
      code: 'NODE_MISMATCH',
      node: { level: 1, index: 5 },
    });
  });

  it('finds a flipped bit in any stored node: NODE_MISMATCH naming its level and index', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(NODES.length - 1), fc.nat(255), async (n, bit) => {
        const { level, index } = NODES[n]!;
        const hash = (NODES[n]!.hash as Uint8Array).slice();
        hash[bit % 32]! ^= 1 << (bit % 8);
        const result = await auditNodes(sourceOf(replaced(level, index, { hash })));
        expect(result.mismatch).toEqual({
          code: 'NODE_MISMATCH',
          node: { level, index },
          stored: bytesToBase64(hash),
          recomputed: bytesToBase64(NODES[n]!.hash as Uint8Array),
          message: expect.stringContaining(
            `the RFC 6962 root of leaves [${index * 2 ** level}, ${(index + 1) * 2 ** level})`,
          ),
        });
        // Found as soon as the leaves complete it.
        expect(result).toMatchObject({ ok: false, leaves: (index + 1) * 2 ** level });
      }),
      { numRuns: 40 },
    );
  });

  it('names a node precisely', async () => {
    const zero = new Uint8Array(32);
    const result = await auditNodes(sourceOf(replaced(2, 1, { hash: zero })));
    const recomputed = bytesToBase64(
      NODES.find((n) => n.level === 2 && n.index === 1)!.hash as Uint8Array,
    );
    expect(formatAuditResult(result)).toBe(
      `MISMATCH at node level 2 index 1 (leaves [4, 8)): stored hash ${bytesToBase64(zero)} ≠ recomputed ${recomputed} (the RFC 6962 root of leaves [4, 8), recomputed from the leaves) [NODE_MISMATCH]`,
    );
  });

  it('finds a stored hash that is not 32 bytes: NODE_MISMATCH', async () => {
    for (const hash of [new Uint8Array(31), 'AAAA', '***']) {
      expect((await auditNodes(sourceOf(replaced(3, 0, { hash })))).mismatch).toMatchObject({
        code: 'NODE_MISMATCH',
        node: { level: 3, index: 0 },
        message: 'the stored hash is not 32 bytes (the RFC 6962 root of leaves [0, 8))',
      });
    }
  });

  it('finds a node missing under a checkpoint, once that checkpoint checks out: NODE_MISSING', async () => {
    const result = await auditNodes(sourceOf(without(2, 1)));
    expect(result.mismatch).toEqual({
      code: 'NODE_MISSING',
      node: { level: 2, index: 1 },
      checkpointIndex: 2,
      treeSize: 8,
      recomputed: bytesToBase64(
        NODES.find((n) => n.level === 2 && n.index === 1)!.hash as Uint8Array,
      ),
      message: expect.stringContaining(
        'it is not stored, but the checkpoint of tree size 8 covers leaves [4, 8)',
      ),
    });
    expect(result).toMatchObject({ ok: false, leaves: 8, checkpoints: 3 });
    // The last node of a level, and a whole level.
    expect((await auditNodes(sourceOf(without(4, 0)))).mismatch).toMatchObject({
      code: 'NODE_MISSING',
      node: { level: 4, index: 0 },
      treeSize: 20,
    });
    expect((await auditNodes(sourceOf(NODES.filter((n) => n.level !== 3)))).mismatch).toMatchObject(
      {
        code: 'NODE_MISSING',
        node: { level: 3, index: 0 },
        treeSize: 8,
      },
    );
    // A wrong checkpoint is its own finding, before the nodes it would require.
    const early = { ...LOG.checkpoints[2]!, note: LOG.checkpoints[2]!.note.replace('8', '9') };
    expect(
      (await auditNodes(sourceOf(without(2, 1)), withCheckpoint(2, early))).mismatch,
    ).toMatchObject({
      code: 'CHECKPOINT_INVALID',
    });
  });

  it('finds a stored node beyond the last checkpoint: NODE_UNEXPECTED', async () => {
    const result = await auditNodes(sourceOf(nodesOf(12)), LOG.checkpoints.slice(0, 3));
    expect(result.mismatch).toEqual({
      code: 'NODE_UNEXPECTED',
      node: { level: 1, index: 4 },
      treeSize: 8,
      message:
        'it is stored, but leaves [8, 10) are no complete subtree of the 8 leaves the latest checkpoint signs: a log stores a node only with a checkpoint that covers it',
    });
    expect(formatAuditMismatch(result.mismatch!)).toMatch(
      /^MISMATCH at node level 1 index 4 \(leaves \[8, 10\)\): /,
    );
    // Before any checkpoint, no node may be stored.
    expect((await auditNodes(sourceOf(nodesOf(2)), [])).mismatch).toMatchObject({
      code: 'NODE_UNEXPECTED',
      node: { level: 1, index: 0 },
      treeSize: 0,
    });
    const far = { level: 40, index: 3, hash: new Uint8Array(32) };
    expect((await auditNodes(sourceOf([...NODES, far]))).mismatch).toMatchObject({
      code: 'NODE_UNEXPECTED',
      node: { level: 40, index: 3 },
      treeSize: 20,
    });
  });

  it('finds stored entries that are no interior node, or out of order: NODE_UNEXPECTED', async () => {
    const level1 = NODES.filter((n) => n.level === 1);
    const cases: [AuditNodeSource, Record<string, unknown>][] = [
      [
        {
          level: (l) =>
            l === 1 ? [level1[0]!, level1[0]!, ...level1.slice(1)] : sourceOf(NODES).level(l),
        },
        {
          node: { level: 1, index: 0 },
          message: 'it is stored again (or out of order) where node 1 of level 1 belongs',
        },
      ],
      [
        { level: (l) => (l === 2 ? [{ ...NODES[2]!, level: 3 }] : sourceOf(NODES).level(l)) },
        { node: { level: 3, index: 0 }, message: 'it is stored among the nodes of level 2' },
      ],
      [
        { level: (l) => (l === 1 ? [{ level: 0, index: 0, hash: new Uint8Array(32) }] : []) },
        { node: { level: 0, index: 0 }, message: expect.stringContaining('level 0 is the leaves') },
      ],
      [
        { level: () => [null as unknown as AuditNode] },
        { message: expect.stringContaining('a stored node must have a level') },
      ],
      [
        { ...sourceOf(NODES), beyond: () => Promise.resolve({ level: 64, index: -1, hash: '' }) },
        { node: { level: 64, index: -1 }, message: expect.stringContaining('a stored node must') },
      ],
    ];
    for (const [source, expected] of cases) {
      expect((await auditNodes(source)).mismatch).toEqual({ code: 'NODE_UNEXPECTED', ...expected });
    }
  });

  it('reports the first finding in log order, and closes every level it opened', async () => {
    const closed: number[] = [];
    const source: AuditNodeSource = {
      level: (level) =>
        streamOf(
          replaced(1, 3, { hash: new Uint8Array(32) }).filter((n) => n.level === level),
          () => closed.push(level),
        ),
    };
    const leaves = withLeaf(9, { leafHash: bytesToBase64(new Uint8Array(32)) });
    expect((await auditNodes(source, LOG.checkpoints, leaves)).mismatch).toMatchObject({
      code: 'NODE_MISMATCH',
      node: { level: 1, index: 3 },
    });
    expect(closed.sort()).toEqual([1, 2]); // level 3 completes only after (1, 3)
    const early = withLeaf(6, { leafHash: bytesToBase64(new Uint8Array(32)) });
    expect((await auditNodes(source, LOG.checkpoints, early)).mismatch).toMatchObject({
      code: 'LEAF_HASH_MISMATCH',
      leafIndex: 6,
    });
  });

  it('formats the leaves of a node whose range is past exact numbers', () => {
    expect(
      formatAuditLocation({ code: 'NODE_UNEXPECTED', node: { level: 63, index: 5 }, message: 'm' }),
    ).toBe(`node level 63 index 5 (leaves from ${5 * 2 ** 63})`);
  });
});

describe('auditLog: inputs and formats', () => {
  it('takes parsed keys and checkpoint rows with or without their columns', async () => {
    const rows = LOG.checkpoints.map(({ note }, i) => (i % 2 === 0 ? { note } : note));
    const keys = [parseVerifierKey(KEYS.verifierKey)];
    expect(await audit(LOG.leaves, rows, { trustedKeys: keys })).toMatchObject({ ok: true });
    const noNote = await audit(LOG.leaves, [{ note: 5 } as unknown as AuditCheckpoint]);
    expect(noNote.mismatch).toMatchObject({ code: 'CHECKPOINT_INVALID', checkpointIndex: 0 });
  });

  it('formats locations without an eventID or a position', () => {
    const base = { code: 'LEAF_INDEX_GAP' as const, message: 'm' };
    expect(formatAuditLocation({ ...base, leafIndex: 3, eventId: null })).toBe('leaf 3');
    expect(formatAuditLocation(base)).toBe('checkpoint #1');
  });
});

describe('auditLog: coverage of the findings', () => {
  it('produced every finding code above', () => {
    expect([...seenCodes].sort()).toEqual([...AUDIT_MISMATCH_CODES].sort());
  });
});
