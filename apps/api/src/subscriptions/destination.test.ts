import { describe, expect, it } from '@jest/globals';

import { DestinationError, isNonPublicAddress, parseDestination } from './destination.js';

const refusal = (dest: string, allowPrivate = false): string => {
  try {
    parseDestination(dest, allowPrivate);
  } catch (error) {
    if (error instanceof DestinationError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${dest}`);
};

describe(isNonPublicAddress.name, () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    '[::1]',
    'fe80::1%eth0',
    'not-an-address',
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe(parseDestination.name, () => {
  it('accepts public http and https URLs', () => {
    expect(parseDestination('https://client.example.com/queryCallback', false).url.href).toBe(
      'https://client.example.com/queryCallback',
    );
    expect(parseDestination('http://8.8.8.8:8080/hook?x=1', false).url.port).toBe('8080');
  });

  it.each([
    ['ftp://example.com/x', /http or https URL, not ftp:/],
    ['file:///etc/passwd', /http or https URL, not file:/],
    ['javascript:alert(1)', /http or https URL/],
    ['/relative', /absolute/],
    ['https://user:pw@example.com/', /user name or password/],
    ['https://example.com/#x', /fragment/],
    [`https://example.com/${'a'.repeat(2048)}`, /2048/],
  ])('refuses %s', (dest, message) => {
    expect(refusal(dest)).toMatch(message);
    expect(refusal(dest, true)).toMatch(message);
  });

  it.each([
    'http://127.0.0.1:3000/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://localhost:8080/',
    'http://LOCALHOST./',
    'http://api.localhost/',
  ])('refuses %s unless private destinations are allowed', (dest) => {
    expect(refusal(dest)).toMatch(/SUBSCRIPTION_ALLOW_PRIVATE_DEST=1/);
    expect(parseDestination(dest, true).url.protocol).toBe('http:');
  });
});
