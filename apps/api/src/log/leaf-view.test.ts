import { describe, expect, it } from '@jest/globals';
import {
  auditLog,
  commitEvent,
  computeEventHashId,
  hashDisclosure,
  rfc6962,
} from '@traceroot/trace';

import type { StoredLeaf } from '../ledger/ledger.repository.js';
import type { Revealed } from '../privacy/privacy.service.js';
import { leafView, stringMembers } from './leaf-view.js';

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
  seq: 1,
  protection: {
    organizationId: '7c0e9f8e-0000-4000-8000-000000000001',
    sealed: null,
    parties: [],
    ruleSet: '1.0.0',
    ruleViolations: [{ rule: 'custody.current-custodian', message: 'x' }],
  },
  organizationGln: '4012345000009',
};
const digestOf = (d: string): string => hashDisclosure(d);

/** What PrivacyService.reveal gives a viewer who sees every field except `hidden`. */
const revealedWithout = (...hidden: string[]): Revealed => {
  const shown = Object.entries(committed.disclosures).filter(([name]) => !hidden.includes(name));
  return {
    disclosures: Object.fromEntries(shown),
    digests: Object.values(committed.disclosures).map(digestOf).sort(),
    withheld: hidden.length,
    erased: [],
    hiddenDigests: hidden.map((name) => digestOf(committed.disclosures[name]!)).sort(),
  };
};

describe(leafView.name, () => {
  it('shows what the viewer may see, who recorded the event and the rules it broke', () => {
    const view = leafView(stored, revealedWithout());
    expect(view).toEqual({
      leafIndex: 0,
      leafHash: Buffer.from(stored.leafHash).toString('base64'),
      eventID: eventHashId,
      eventHashId,
      disclosures: Object.values(committed.disclosures),
      hiddenDigests: [],
      erased: [],
      recordedBy: { organizationId: stored.protection!.organizationId, gln: '4012345000009' },
      rules: { version: '1.0.0', violations: ['custody.current-custodian'] },
    });
  });

  it('withholds fields by their digests, and the leaf still audits', async () => {
    const view = leafView(stored, revealedWithout('bizStep', 'epcList'));
    expect(view.disclosures).toHaveLength(4);
    expect(view.hiddenDigests).toEqual(
      [committed.disclosures.bizStep!, committed.disclosures.epcList!].map(digestOf).sort(),
    );
    const leaves = [{ ...view, eventId: view.eventID }];
    expect(await auditLog({ leaves, checkpoints: [] }, { trustedKeys: [] })).toMatchObject({
      ok: true,
      leaves: 1,
      eventHashIdsChecked: 0,
    });
  });

  it('reads a damaged disclosures column without failing: what is not a disclosure is left out', () => {
    expect(leafView({ ...stored, disclosures: null }, null).disclosures).toEqual([]);
    expect(leafView({ ...stored, disclosures: { a: 1, b: 'x' } }, null).disclosures).toEqual(['x']);
    expect(stringMembers({ a: 1, b: 'x' })).toEqual({ b: 'x' });
  });
});
