import { describe, expect, it } from '@jest/globals';

import { publicBaseUrl } from './config';

describe('publicBaseUrl', () => {
  it('defaults to localhost on WEB_PORT, itself 3001 by default', () => {
    expect(publicBaseUrl({})).toBe('http://localhost:3001');
    expect(publicBaseUrl({ WEB_PORT: '8080' })).toBe('http://localhost:8080');
    expect(publicBaseUrl({ PUBLIC_BASE_URL: '', WEB_PORT: '' })).toBe('http://localhost:3001');
  });

  it('takes PUBLIC_BASE_URL without its trailing slashes, path prefix kept', () => {
    expect(publicBaseUrl({ PUBLIC_BASE_URL: 'https://trace.example.com/', WEB_PORT: '9' })).toBe(
      'https://trace.example.com',
    );
    expect(publicBaseUrl({ PUBLIC_BASE_URL: 'https://example.com/trace//' })).toBe(
      'https://example.com/trace',
    );
  });

  it.each([
    'trace.example.com',
    'ftp://example.com',
    'https://example.com/?a=1',
    'https://example.com/#x',
    'https://a b',
    'http://a_b.example', // a host the GS1 Syntax Engine refuses, so the library does
  ])('refuses PUBLIC_BASE_URL=%s, naming the variable but not its value', (value) => {
    expect(() => publicBaseUrl({ PUBLIC_BASE_URL: value })).toThrow(
      /^Invalid environment: PUBLIC_BASE_URL/,
    );
    expect(() => publicBaseUrl({ PUBLIC_BASE_URL: value })).not.toThrow(value);
  });

  it.each(['0', '65536', 'abc', '3001.5'])('refuses WEB_PORT=%s', (port) => {
    expect(() => publicBaseUrl({ WEB_PORT: port })).toThrow(/WEB_PORT/);
  });
});
