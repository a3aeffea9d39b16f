import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import {
  commitEvent,
  hashDisclosure,
  parseDisclosure,
  portableDisclosureCodec,
} from '../leaf/index.js';
import { computeEventHashId } from '../event-hash/index.js';
import { nodeDisclosureCodec } from './node-disclosure-codec.js';
import { nodeSha256 } from './node-sha256.js';

const portable = portableDisclosureCodec();

describe('nodeDisclosureCodec', () => {
  // Text mixes any code points with lone surrogates, which both codecs encode as U+FFFD.
  it('gives the portable codec’s strings for any text and bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF'),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
          ),
        }),
        fc.uint8Array({ maxLength: 64 }),
        (text, binary, bytes) => {
          for (const t of [text, binary]) {
            expect(nodeDisclosureCodec.encodeText(t)).toBe(portable.encodeText(t));
            expect(nodeDisclosureCodec.digest(t)).toBe(portable.digest(t));
          }
          expect(nodeDisclosureCodec.encodeBytes(bytes)).toBe(portable.encodeBytes(bytes));
          // A view into a larger buffer encodes only its own bytes.
          const padded = new Uint8Array(bytes.length + 8);
          padded.set(bytes, 4);
          expect(nodeDisclosureCodec.encodeBytes(padded.subarray(4, 4 + bytes.length))).toBe(
            portable.encodeBytes(bytes),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('commits an event to the same disclosures and leaf as the portable codec, given the same salts', () => {
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-06-01T10:00:00.000+02:00',
      eventTimeZoneOffset: '+02:00',
      epcList: ['urn:epc:id:sgtin:4012345.011111.987'],
      action: 'OBSERVE',
      'ex:note': 'Grüße, 茶 🍵',
    };
    const eventHashId = computeEventHashId(event);
    const salts = () => {
      let n = 0;
      return (length: number) => new Uint8Array(length).fill((n += 1));
    };
    const withNode = commitEvent(event, eventHashId, salts(), nodeDisclosureCodec);
    const withPortable = commitEvent(event, eventHashId, salts(), nodeSha256);
    expect(withNode.disclosures).toEqual(withPortable.disclosures);
    expect(withNode.leafData).toEqual(withPortable.leafData);
    for (const disclosure of Object.values(withNode.disclosures)) {
      expect(withNode.leaf.digests).toContain(hashDisclosure(disclosure));
      expect(parseDisclosure(disclosure).name in event).toBe(true);
    }
  });
});
