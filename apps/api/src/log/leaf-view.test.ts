import { describe, expect, it } from '@jest/globals';
import {
  auditLog,
  commitEvent,
  computeEventHashId,
  hashDisclosure,
  rfc6962,
} from '@traceroot/trace';
import { nodeSha256 } from '@traceroot/trace/node';

import type { StoredLeaf } from '../ledger/ledger.repository.js';
import { DISCLOSE_ALL, leafView } from './leaf-view.js';

const event = {
  type: 'ObjectEvent',
  eventTime: '2026-06-01T10:00:00.000Z',
  eventTimeZoneOffset: '+00:00',
  epcList: ['urn:epc:id:sgtin:4012345.011111.1'],
  action: 'OBSERVE',
  bizStep: 'shipping',
};
const eventHashId = computeEventHashId(event);
const committed = commitEvent(event, eventHashId, (n) => new Uint8Array(n).fill(7));
const stored: StoredLeaf = {
  leafIndex: 0,
  leafHash: rfc6962.hashLeaf(committed.leafData),
  eventId: eventHashId,
  eventHashId,
  disclosures: committed.disclosures,
};

describe(leafView.name, () => {
  it('shows every disclosure today', () => {
    const view = leafView(stored, DISCLOSE_ALL, nodeSha256);
    expect(view).toEqual({
      leafIndex: 0,
      leafHash: Buffer.from(stored.leafHash).toString('base64'),
      eventID: eventHashId,
      eventHashId,
      disclosures: Object.values(committed.disclosures),
      hiddenDigests: [],
    });
  });

  it('withholds fields by their digests, and the leaf still audits', async () => {
    const view = leafView(
      stored,
      (field) => field !== 'bizStep' && field !== 'epcList',
      nodeSha256,
    );
    expect(view.disclosures).toHaveLength(4);
    expect(view.hiddenDigests).toEqual(
      [committed.disclosures.bizStep!, committed.disclosures.epcList!]
        .map((d) => hashDisclosure(d))
        .sort(),
    );
    const leaves = [{ ...view, eventId: view.eventID }];
    expect(await auditLog({ leaves, checkpoints: [] }, { trustedKeys: [] })).toMatchObject({
      ok: true,
      leaves: 1,
      eventHashIdsChecked: 0,
    });
  });

  it('reads a damaged disclosures column without failing: what is not a disclosure is left out', () => {
    expect(
      leafView({ ...stored, disclosures: null }, DISCLOSE_ALL, nodeSha256).disclosures,
    ).toEqual([]);
    expect(
      leafView({ ...stored, disclosures: { a: 1, b: 'x' } }, DISCLOSE_ALL, nodeSha256).disclosures,
    ).toEqual(['x']);
  });
});
