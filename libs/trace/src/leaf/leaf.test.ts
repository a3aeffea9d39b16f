import { describe, expect, it } from '@jest/globals';

import { seededRandom } from '../../test/support/random.js';
import { codeOf } from '../../test/support/trace-error.js';
import { base64UrlToBytes, bytesToBase64Url, bytesToUtf8, utf8ToBytes } from '../bytes.js';
import type { TraceErrorCode } from '../errors.js';
import { sha256 } from '../hash.js';
import { formatDisclosure, hashDisclosure, parseDisclosure } from './disclosure.js';
import { commitEvent, formatLeaf, LEAF_VERSION, parseLeaf } from './event-leaf.js';
import { openDisclosures } from './open-disclosures.js';

const ID = `ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`;
const EVENT = {
  type: 'ObjectEvent',
  eventTime: '2026-03-01T08:00:00.000Z',
  eventTimeZoneOffset: '+08:00',
  epcList: ['https://id.gs1.org/01/09520123456788/21/1001'],
  action: 'OBSERVE',
  bizStep: 'shipping',
  'example:price': { amount: 12.5, currency: 'CNY' },
};

describe('disclosures (SD-JWT encoding)', () => {
  it('reproduces the SD-JWT specification example digest', () => {
    // RFC 9901 example: the disclosure of ["_26bc4LT-ac6q2KI6cBW5es", "family_name", "Möbius"]
    // as printed in the RFC, and its SHA-256 digest as printed there.
    const disclosure = 'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0';
    expect(hashDisclosure(disclosure)).toBe('X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0');
    expect(parseDisclosure(disclosure)).toEqual({
      salt: '_26bc4LT-ac6q2KI6cBW5es',
      name: 'family_name',
      value: 'Möbius',
    });
  });

  it('round-trips any JSON value', () => {
    const salt = new Uint8Array(16).fill(9);
    const disclosure = formatDisclosure(salt, 'x', { a: [1, null, 'ü'] });
    expect(parseDisclosure(disclosure)).toEqual({
      salt: bytesToBase64Url(salt),
      name: 'x',
      value: { a: [1, null, 'ü'] },
    });
  });

  it.each<[string, () => unknown, TraceErrorCode]>([
    ['short salt on format', () => formatDisclosure(new Uint8Array(15), 'x', 1), 'MALFORMED_INPUT'],
    [
      'undefined value',
      () => formatDisclosure(new Uint8Array(16), 'x', undefined),
      'INVALID_EVENT',
    ],
    ['not base64url', () => parseDisclosure('***'), 'MALFORMED_INPUT'],
    ['not JSON', () => parseDisclosure(bytesToBase64Url(utf8ToBytes('{'))), 'MALFORMED_INPUT'],
    [
      'not an array',
      () => parseDisclosure(bytesToBase64Url(utf8ToBytes('{"a":1}'))),
      'MALFORMED_INPUT',
    ],
    [
      'two elements',
      () => parseDisclosure(bytesToBase64Url(utf8ToBytes('["c2FsdA","x"]'))),
      'MALFORMED_INPUT',
    ],
    [
      'numeric name',
      () => parseDisclosure(bytesToBase64Url(utf8ToBytes('["AAAAAAAAAAAAAAAAAAAAAA",1,2]'))),
      'MALFORMED_INPUT',
    ],
    [
      'short salt on parse',
      () => parseDisclosure(bytesToBase64Url(utf8ToBytes('["AAAA","x",2]'))),
      'MALFORMED_INPUT',
    ],
  ])('refuses %s', (_name, run, code) => {
    expect(codeOf(run)).toBe(code);
  });
});

describe('event leaves', () => {
  const committed = commitEvent(EVENT, ID, seededRandom('leaf-test'));

  it('commits every field once, with sorted digests, in a text leaf', () => {
    expect(Object.keys(committed.disclosures)).toEqual(Object.keys(EVENT));
    const text = bytesToUtf8(committed.leafData);
    const lines = text.split('\n');
    expect(lines[0]).toBe(LEAF_VERSION);
    expect(lines[1]).toBe(ID);
    expect(lines.slice(2, -1)).toEqual([...committed.leaf.digests].sort());
    expect(lines.slice(2, -1)).toHaveLength(7);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('names the digest of each field', () => {
    expect(Object.keys(committed.digestsByField)).toEqual(Object.keys(EVENT));
    for (const [name, disclosure] of Object.entries(committed.disclosures)) {
      expect(committed.digestsByField[name]).toBe(hashDisclosure(disclosure));
    }
    expect(Object.values(committed.digestsByField).sort()).toEqual(committed.leaf.digests);
  });

  it('skips undefined members, as JSON would', () => {
    expect(
      Object.keys(commitEvent({ a: 1, b: undefined }, ID, seededRandom('u')).disclosures),
    ).toEqual(['a']);
  });

  it('salts every field: the same event commits to different digests each time', () => {
    const again = commitEvent(EVENT, ID, seededRandom('another seed'));
    expect(again.leaf.digests.some((d) => committed.leaf.digests.includes(d))).toBe(false);
  });

  it('rebuilds the same bytes from the digests in any order', () => {
    const shuffled = { eventHashId: ID, digests: [...committed.leaf.digests].reverse() };
    expect(formatLeaf(shuffled)).toEqual(committed.leafData);
    expect(parseLeaf(committed.leafData)).toEqual({
      eventHashId: ID,
      digests: [...committed.leaf.digests].sort(),
    });
  });

  it('opens disclosed fields and only those', () => {
    const { bizStep, 'example:price': price } = committed.disclosures;
    expect(openDisclosures(committed.leaf, [bizStep!, price!])).toEqual({
      bizStep: 'shipping',
      'example:price': { amount: 12.5, currency: 'CNY' },
    });
  });

  it('detects an altered disclosed value (LEAF_MISMATCH)', () => {
    const original = parseDisclosure(committed.disclosures.bizStep!);
    const forged = bytesToBase64Url(
      utf8ToBytes(JSON.stringify([original.salt, 'bizStep', 'receiving'])),
    );
    expect(codeOf(() => openDisclosures(committed.leaf, [forged]))).toBe('LEAF_MISMATCH');
  });

  it.each<[string, () => unknown, TraceErrorCode]>([
    [
      'a bad event hash ID',
      () => commitEvent(EVENT, 'urn:uuid:1', seededRandom('x')),
      'MALFORMED_INPUT',
    ],
    [
      'digests not an array',
      () => formatLeaf({ eventHashId: ID, digests: 'x' as never }),
      'MALFORMED_INPUT',
    ],
    [
      'a malformed digest',
      () => formatLeaf({ eventHashId: ID, digests: ['abc'] }),
      'MALFORMED_INPUT',
    ],
    [
      'a repeated digest',
      () => formatLeaf({ eventHashId: ID, digests: ['A'.repeat(43), 'A'.repeat(43)] }),
      'MALFORMED_INPUT',
    ],
    ['leaf without the version line', () => parseLeaf(utf8ToBytes(`${ID}\n`)), 'MALFORMED_INPUT'],
    [
      'leaf without the final newline',
      () => parseLeaf(utf8ToBytes(`${LEAF_VERSION}\n${ID}`)),
      'MALFORMED_INPUT',
    ],
    [
      'leaf with unsorted digests',
      () =>
        parseLeaf(utf8ToBytes(`${LEAF_VERSION}\n${ID}\n${'B'.repeat(43)}\n${'A'.repeat(43)}\n`)),
      'MALFORMED_INPUT',
    ],
    ['leaf that is not UTF-8', () => parseLeaf(Uint8Array.of(0xff)), 'MALFORMED_INPUT'],
    [
      'disclosures not an array',
      () => openDisclosures(committed.leaf, 'x' as never),
      'MALFORMED_INPUT',
    ],
    [
      'a disclosure that is not a string',
      () => openDisclosures(committed.leaf, [1 as never]),
      'MALFORMED_INPUT',
    ],
    [
      'a field disclosed twice',
      () =>
        openDisclosures(committed.leaf, [committed.disclosures.type!, committed.disclosures.type!]),
      'MALFORMED_INPUT',
    ],
  ])('refuses %s', (_name, run, code) => {
    expect(codeOf(run)).toBe(code);
  });

  it('hashes disclosures with the injected SHA-256', () => {
    const calls: number[] = [];
    const sha = (data: Uint8Array) => {
      calls.push(data.length);
      return sha256(data);
    };
    const c = commitEvent({ a: 1 }, ID, seededRandom('s'), sha);
    expect(calls).toHaveLength(1);
    expect(base64UrlToBytes(c.leaf.digests[0]!)).toHaveLength(32);
  });
});
