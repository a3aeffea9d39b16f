import { randomBytes } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { seal } from './aead.js';
import { fieldAad } from './sealed.js';
import { openFields, sealFields } from './sealed-fields.js';

const key = () => new Uint8Array(randomBytes(32));
const EVENT = 'ni:///sha-256;' + 'ab'.repeat(32) + '?ver=CBV2.0';
const DISCLOSURES = {
  bizTransactionList: 'WyJzYWx0IiwiYml6VHJhbnNhY3Rpb25MaXN0IixbXV0',
  'ilmd/example:pickerName': 'WyJzYWx0IiwiaWxtZC9leGFtcGxlOnBpY2tlck5hbWUiLCJBbm5hIl0',
};
const field = { v: 'private' as const, d: 'digest' };

describe('sealed fields, format v2: one AES-256-GCM message per event', () => {
  it('opens every field it sealed, under the same key and event only', () => {
    const k = key();
    const c = sealFields(k, EVENT, DISCLOSURES);
    expect(Buffer.from(c, 'base64').toString('utf8')).not.toContain('pickerName');
    const opened = openFields(k, EVENT, c);
    for (const [name, disclosure] of Object.entries(DISCLOSURES)) {
      expect(opened(name, field)).toBe(disclosure);
    }
    expect(() => opened('price', field)).toThrow('not in the sealed fields');
    expect(() => opened('__proto__', field)).toThrow('not in the sealed fields');
    expect(() => openFields(key(), EVENT, c)).toThrow();
    expect(() => openFields(k, EVENT.replace('ab', 'cd'), c)).toThrow();
  });
});

describe('sealed fields, format v1 (rows sealed before v2): one message per field', () => {
  it('opens each field under its own associated data', () => {
    const k = key();
    const [name, disclosure] = Object.entries(DISCLOSURES)[1]!;
    const c = seal(k, Buffer.from(disclosure), fieldAad(EVENT, name)).toString('base64');
    const opened = openFields(k, EVENT, undefined);
    expect(opened(name, { ...field, c })).toBe(disclosure);
    // A field's ciphertext moved under another name does not open.
    expect(() => opened('bizTransactionList', { ...field, c })).toThrow();
    expect(() => opened(name, field)).toThrow();
  });
});
