import { describe, expect, it } from '@jest/globals';

import { TraceError } from '../errors.js';
import { computeEventHashId, formatEventHashId } from './event-hash.js';
import { formatEventPreHash } from './pre-hash.js';

describe('formatEventHashId (CBV 2.0 event hash ID rules 22-24, RFC 6920)', () => {
  it('is ni:///sha-256;<lower-case hex>?ver=CBV2.0 of the UTF-8 bytes', () => {
    // printf 'abc' | sha256sum
    expect(formatEventHashId('abc')).toBe(
      'ni:///sha-256;ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad?ver=CBV2.0',
    );
    // printf 'é' | sha256sum (two UTF-8 bytes, c3 a9)
    expect(formatEventHashId('é')).toBe(
      'ni:///sha-256;4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c?ver=CBV2.0',
    );
  });

  it('uses the injected SHA-256', () => {
    const seen: number[][] = [];
    const id = formatEventHashId('ab', (data) => {
      seen.push([...data]);
      return new Uint8Array(32).fill(0xab);
    });
    expect(seen).toEqual([[0x61, 0x62]]);
    expect(id).toBe(`ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`);
  });
});

describe('computeEventHashId', () => {
  const event = {
    type: 'TransactionEvent',
    eventTime: '2020-01-01T00:00:00Z',
    eventTimeZoneOffset: '+00:00',
    parentID: 'urn:epc:id:sscc:4012345.0000000333',
    epcList: ['urn:epc:id:sgtin:4012345.011111.2'],
    action: 'ADD',
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:2' }],
    certificationInfo: ['https://cert.example.com/b', 'https://cert.example.com/a'],
  };

  it('hashes the pre-hash string (golden value of the reference implementation)', () => {
    // RalphTro/epcis-event-hash-generator at 5d2f1c3 on this event in an EPCISDocument, and
    // printf '%s' "$(the pre-hash string)" | sha256sum
    expect(computeEventHashId(event)).toBe(
      'ni:///sha-256;8d73b515288ad6c661fe146cc01e6913963f628b80a7b7eb39d35e2b33e0714e?ver=CBV2.0',
    );
    expect(computeEventHashId(event)).toBe(formatEventHashId(formatEventPreHash(event)));
  });

  it('is the same for another serialisation of the same event', () => {
    const same = {
      ...event,
      eventTime: '2019-12-31T18:00:00.0001-06:00',
      parentID: 'https://example.com/path/00/040123450000003338?linkType=all',
      epcList: ['https://id.gs1.org/01/04012345111118/21/2'],
      bizTransactionList: [
        {
          bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:2',
          type: 'urn:epcglobal:cbv:btt:po',
        },
      ],
      certificationInfo: ['https://cert.example.com/a', ' https://cert.example.com/b '],
      eventID: 'urn:uuid:6f1a2c9e-0d36-4e57-8a8c-3b2f4e5d6a7b',
      recordTime: '2020-01-02T00:00:00Z',
    };
    expect(computeEventHashId(same)).toBe(computeEventHashId(event));
  });

  it('changes with any value', () => {
    expect(computeEventHashId({ ...event, action: 'DELETE' })).not.toBe(computeEventHashId(event));
  });

  it('passes the context and reports errors as INVALID_EVENT', () => {
    const extended = { ...event, 'ex:a': '1' };
    expect(computeEventHashId(extended, { context: { ex: 'urn:a:' } })).not.toBe(
      computeEventHashId(extended, { context: { ex: 'urn:b:' } }),
    );
    expect(() => computeEventHashId({ ...event, type: 'Event' })).toThrow(TraceError);
  });
});
