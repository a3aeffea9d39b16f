import { bytesToBase64 } from '../../src/bytes.js';
import { generateNoteKeys, signCheckpoint } from '../../src/checkpoint/index.js';
import { computeEventHashId } from '../../src/event-hash/index.js';
import { commitEvent, type CommittedEvent } from '../../src/leaf/index.js';
import { MemoryTree } from '../../src/merkle/index.js';
import type { TraceBundle } from '../../src/verify-bundle-with.js';
import { seededRandom } from './random.js';

export const ORIGIN = 'test.traceroot.dev/log';

/** A plausible EPCIS 2.0 ObjectEvent, different for each i. */
export const buildEvent = (i: number): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventTime: new Date(Date.UTC(2026, 2, 1, 8, 0, i)).toISOString(),
  eventTimeZoneOffset: '+08:00',
  epcList: [`urn:epc:id:sgtin:9520123.045678.${1000 + i}`],
  action: 'OBSERVE',
  bizStep: i % 2 === 0 ? 'shipping' : 'receiving',
  readPoint: { id: 'urn:epc:id:sgln:9520123.00001.0' },
});

export type TestLog = {
  tree: MemoryTree;
  events: CommittedEvent[];
  signerKey: string;
  verifierKey: string;
  /** A signed checkpoint of the whole log. */
  checkpoint: string;
  /** A bundle for the given leaves; `hide` lists field names to keep hidden. */
  bundle(leafIndices: readonly number[], hide?: readonly string[]): TraceBundle;
};

/** A small log of `size` committed events with a signed checkpoint; deterministic from `seed`. */
export const buildTestLog = (size: number, seed = 'test-log'): TestLog => {
  const random = seededRandom(seed);
  const { signerKey, verifierKey } = generateNoteKeys(ORIGIN, random(32));
  const events = Array.from({ length: size }, (_, i) => {
    const event = buildEvent(i);
    return commitEvent(event, computeEventHashId(event), random);
  });
  return logOf(events, signerKey, verifierKey);
};

/** A log of already committed events (any leaves, right or wrong), signed by `signerKey`. */
export const logOf = (
  events: CommittedEvent[],
  signerKey: string,
  verifierKey: string,
): TestLog => {
  const tree = new MemoryTree();
  tree.appendLeaves(events.map((e) => e.leafData));
  const checkpoint = signCheckpoint(
    { origin: ORIGIN, treeSize: events.length, rootHash: tree.rootHash(), extensions: [] },
    signerKey,
  );
  return {
    tree,
    events,
    signerKey,
    verifierKey,
    checkpoint,
    bundle: (leafIndices, hide = []) => ({
      checkpoint,
      entries: leafIndices.map((leafIndex) => {
        const committed = events[leafIndex]!;
        return {
          leafIndex,
          eventHashId: committed.leaf.eventHashId,
          digests: committed.leaf.digests,
          disclosures: Object.entries(committed.disclosures)
            .filter(([name]) => !hide.includes(name))
            .map(([, disclosure]) => disclosure),
          inclusionPath: tree.inclusionProof(leafIndex).path.map(bytesToBase64),
        };
      }),
    }),
  };
};
