import { describe, expect, it } from '@jest/globals';

import { loadEnv } from '../config/env.js';
import { apiBaseUrl, publicBaseUrl, runtimeSettings } from './settings.js';

describe('settings', () => {
  it('takes the web app’s public base from PUBLIC_BASE_URL, else localhost on WEB_PORT', () => {
    expect(publicBaseUrl(loadEnv({}))).toBe('http://localhost:3001');
    expect(publicBaseUrl(loadEnv({ PORT: '3000', WEB_PORT: '8081' }))).toBe(
      'http://localhost:8081',
    );
    expect(publicBaseUrl(loadEnv({ PUBLIC_BASE_URL: 'https://trace.example.com/' }))).toBe(
      'https://trace.example.com',
    );
  });

  it('names the API by its own port, whatever the public base', () => {
    expect(apiBaseUrl(41234)).toBe('http://localhost:41234');
  });

  it('names a generated development log key after the public base’s host', () => {
    expect(runtimeSettings(loadEnv({})).devOrigin).toBe('localhost:3001/log');
    expect(
      runtimeSettings(loadEnv({ PUBLIC_BASE_URL: 'https://trace.example.com/x' })).devOrigin,
    ).toBe('trace.example.com/log');
  });
});
