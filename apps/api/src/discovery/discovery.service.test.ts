import { describe, expect, it } from '@jest/globals';

import { DiscoveryService, compareVersions } from './discovery.service.js';

describe(compareVersions.name, () => {
  it.each([
    ['2.0.0', '2.0.0', 0],
    ['2.0', '2.0.0', 0],
    ['2', '2.0.0', 0],
    ['1.2.0', '2.0.0', -1],
    ['2.0.1', '2.0.0', 1],
    ['10.0.0', '9.9.9', 1],
  ])('compares %s with %s as %i', (a, b, order) => {
    expect(compareVersions(a, b)).toBe(order);
  });
});

describe(DiscoveryService.name, () => {
  const service = new DiscoveryService();

  it('answers the index when no range is asked for', () => {
    expect(service.getIndex({}).member).toEqual(['capture', 'events']);
  });

  it('accepts a range that includes 2.0.0', () => {
    expect(() =>
      service.getIndex({ 'gs1-epcis-min': '1.2', 'gs1-epcis-max': '2.0' }),
    ).not.toThrow();
  });

  it('refuses a range that excludes 2.0.0 with NOT_ACCEPTABLE', () => {
    expect(() => service.getIndex({ 'gs1-cbv-min': '2.0.1' })).toThrow(
      expect.objectContaining({ code: 'NOT_ACCEPTABLE' }),
    );
  });

  it.each(['', 'v2', '2.0.0-rc1', '1.2.3.4.5', '9999999999'])('refuses the version %j', (value) => {
    expect(() => service.getIndex({ 'gs1-epcis-max': value })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
