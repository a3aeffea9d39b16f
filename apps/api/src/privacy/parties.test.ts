import { describe, expect, it } from '@jest/globals';

import { partiesOf } from './parties.js';

describe(partiesOf.name, () => {
  it('names every party and location GLN of the hand-off and every business transaction issuer', () => {
    expect(
      partiesOf({
        sourceList: [
          { type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00001' },
          { type: 'location', source: 'urn:epc:id:sgln:0614141.00002.0' },
        ],
        destinationList: [
          { type: 'owning_party', destination: 'https://example.com/417/0614141000036' },
          { type: 'location', destination: 'https://id.gs1.org/414/4012345000009/254/7' },
          { type: 'owning_party', destination: 'urn:example:not-a-gln' },
        ],
        bizTransactionList: [
          { type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000043:PO-1' },
          { type: 'po', bizTransaction: 'urn:example:po:1' },
        ],
      }),
    ).toEqual([
      '0614141000012',
      '0614141000029',
      '0614141000036',
      '0614141000043',
      '4012345000009',
    ]);
  });

  it('names nobody for an event without lists, or with malformed entries', () => {
    expect(partiesOf({ type: 'ObjectEvent' })).toEqual([]);
    expect(partiesOf({ sourceList: 'x', destinationList: [null, 3, { destination: 7 }] })).toEqual(
      [],
    );
  });
});
