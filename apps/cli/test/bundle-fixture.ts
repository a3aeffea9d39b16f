import {
  bytesToBase64,
  commitEvent,
  computeEventHashId,
  generateNoteKeys,
  MemoryTree,
  signCheckpoint,
  type TraceBundle,
} from '@traceroot/trace';

export const ORIGIN = 'cli.traceroot.dev/log';

/** A 5-event log built through the public API only, and a bundle for leaf 3. */
export const buildFixture = (): { bundle: TraceBundle; verifierKey: string } => {
  let n = 0;
  const random = (length: number) =>
    Uint8Array.from({ length }, () => (n = (n * 1103515245 + 12345) % 2 ** 31) & 255);
  const { signerKey, verifierKey } = generateNoteKeys(ORIGIN, random(32));
  const committed = [0, 1, 2, 3, 4].map((i) => {
    const event = {
      type: 'ObjectEvent',
      eventTime: `2026-05-0${i + 1}T10:00:00.000Z`,
      eventTimeZoneOffset: '+00:00',
      epcList: [`urn:epc:id:sgtin:4012345.011111.${i}`],
      action: 'OBSERVE',
      bizStep: 'shipping',
    };
    return commitEvent(event, computeEventHashId(event), random);
  });
  const tree = new MemoryTree();
  tree.appendLeaves(committed.map((c) => c.leafData));
  const checkpoint = signCheckpoint(
    { origin: ORIGIN, treeSize: 5, rootHash: tree.rootHash(), extensions: [] },
    signerKey,
  );
  const leaf = committed[3]!;
  return {
    verifierKey,
    bundle: {
      checkpoint,
      entries: [
        {
          leafIndex: 3,
          eventHashId: leaf.leaf.eventHashId,
          digests: leaf.leaf.digests,
          disclosures: Object.values(leaf.disclosures),
          inclusionPath: tree.inclusionProof(3).path.map(bytesToBase64),
        },
      ],
    },
  };
};
