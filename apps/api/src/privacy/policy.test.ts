import { describe, expect, it } from '@jest/globals';

import {
  compilePolicy,
  DEFAULT_POLICY,
  fieldVisibility,
  parseTightening,
  type Policy,
  policySchema,
  stricter,
  structuralFields,
  TighteningError,
} from './policy.js';

const policy = (fields: Policy['fields'], rest: Partial<Policy> = {}): Policy => ({
  sharing: 'restricted',
  default: 'public',
  fields,
  ...rest,
});

describe('the default policy', () => {
  const of = compilePolicy(DEFAULT_POLICY).visibilityOf;

  it('keeps product, lot, place, time and the parties of a hand-off public', () => {
    for (const field of [
      'type',
      'eventTime',
      'epcList',
      'quantityList',
      'bizStep',
      'readPoint',
      'bizLocation',
      'sourceList',
      'destinationList',
      'sensorElementList',
      'ilmd/cbvmda:lotNumber',
      'ilmd/cbvmda:harvestStartDate',
      'ilmd/cbvmda:countryOfOrigin',
      'ilmd/tr:cultivar',
    ]) {
      expect([field, of(field)]).toEqual([field, 'public']);
    }
  });

  it('makes business transactions, prices and people’s names and contact data private', () => {
    for (const field of [
      'bizTransactionList',
      'example:unitPrice',
      'example:totalCost',
      'example:invoiceNo',
      'tr:pickerName',
      'example:contactPerson',
      'ilmd/tr:pickerPhone',
      'ilmd/example:email',
      'example:shipToAddress',
    ]) {
      expect([field, of(field)]).toEqual([field, 'private']);
    }
  });
});

describe(compilePolicy.name, () => {
  it('prefers an exact name, then the pattern with most literal characters, then the stricter', () => {
    const of = compilePolicy(
      policy(
        {
          'example:*': 'partner',
          'example:price*': 'private',
          'example:priceList': 'public',
          '*a*': 'partner',
          '*b*': 'private',
        },
        { default: 'private' },
      ),
    ).visibilityOf;
    expect(of('example:priceList')).toBe('public');
    expect(of('example:priceTier')).toBe('private');
    expect(of('example:other')).toBe('partner');
    expect(of('ab')).toBe('private'); // two one-letter patterns tie: the stricter wins
    expect(of('zzz')).toBe('private'); // the default
  });

  it('matches case-insensitively and treats regex characters in names literally', () => {
    const of = compilePolicy(policy({ '*PRICE*': 'private', 'a.b': 'partner' })).visibilityOf;
    expect(of('example:unitprice')).toBe('private');
    expect(of('a.b')).toBe('partner');
    expect(of('axb')).toBe('public');
  });

  it('never hides what the log needs, whatever the policy says', () => {
    const of = compilePolicy(policy({ '*': 'private' }, { default: 'private' })).visibilityOf;
    for (const field of [
      'type',
      'eventID',
      'eventTime',
      'eventTimeZoneOffset',
      'recordTime',
      '@context',
      '@ruleSet',
    ]) {
      expect(of(field)).toBe('public');
    }
    expect(of('bizStep')).toBe('private');
  });
});

describe('tightening per capture', () => {
  it('parses the header and only ever makes a field stricter', () => {
    const tightening = parseTightening(' bizLocation=private , ilmd/tr:grower=partner ,');
    expect(tightening).toEqual({ bizLocation: 'private', 'ilmd/tr:grower': 'partner' });
    const compiled = compilePolicy(policy({ 'ilmd/tr:grower': 'private' }));
    expect(fieldVisibility(compiled, tightening, 'bizLocation')).toBe('private');
    expect(fieldVisibility(compiled, tightening, 'ilmd/tr:grower')).toBe('private');
    expect(fieldVisibility(compiled, { bizStep: 'public' }, 'bizStep')).toBe('public');
    expect(stricter('partner', 'public')).toBe('partner');
    expect(parseTightening(undefined)).toBeNull();
    expect(parseTightening('  ')).toBeNull();
  });

  it('refuses malformed items and fields that must stay public', () => {
    for (const header of [
      'bizStep',
      'bizStep=secret',
      '=private',
      'eventTime=private',
      'a b=private',
    ]) {
      expect(() => parseTightening(header)).toThrow(TighteningError);
    }
  });
});

describe('the PUT policy body', () => {
  it('accepts a policy and names the field at fault otherwise', () => {
    expect(policySchema.safeParse(DEFAULT_POLICY).success).toBe(true);
    const bad = policySchema.safeParse({ ...DEFAULT_POLICY, fields: { eventTime: 'private' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['fields', 'eventTime']);
    const unknown = policySchema.safeParse({ ...DEFAULT_POLICY, fields: { bizStep: 'secret' } });
    expect(unknown.error?.issues[0]?.path).toEqual(['fields', 'bizStep']);
    expect(policySchema.safeParse({ ...DEFAULT_POLICY, extra: 1 }).success).toBe(false);
    expect(policySchema.safeParse({ ...DEFAULT_POLICY, sharing: 'everyone' }).success).toBe(false);
  });
});

describe(structuralFields.name, () => {
  const hideAll = () => false;

  it('keeps what the EPCIS schema requires of the event type public', () => {
    expect(
      [
        ...structuralFields(
          { type: 'TransactionEvent', action: 'ADD', bizTransactionList: [], epcList: [] },
          hideAll,
        ),
      ].sort(),
    ).toEqual(['action', 'bizTransactionList', 'epcList']);
    expect(
      [
        ...structuralFields(
          { type: 'AssociationEvent', action: 'ADD', parentID: 'x', childEPCs: [] },
          hideAll,
        ),
      ].sort(),
    ).toEqual(['action', 'childEPCs', 'parentID']);
  });

  it('keeps one member of an anyOf group public only when none is', () => {
    const event = {
      type: 'ObjectEvent',
      action: 'OBSERVE',
      quantityList: [],
      readPoint: { id: 'x' },
    };
    expect([...structuralFields(event, (f) => f === 'readPoint')]).toEqual(['action']);
    expect([...structuralFields(event, hideAll)].sort()).toEqual(['action', 'quantityList']);
    expect([...structuralFields({ type: 'Unknown' }, hideAll)]).toEqual([]);
  });
});
