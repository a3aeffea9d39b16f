import { describe, expect, it } from '@jest/globals';

import { InvalidEnvError, loadEnv } from './env.js';

const DEFAULTS = {
  PORT: 3000,
  QUERY_TIMEOUT_MS: 5000,
  CAPTURE_MAX_BYTES: 10 * 1024 * 1024,
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'json',
  DATA_DIR: '.data',
  WEB_PORT: 3001,
  TRACEROOT_DEMO: false,
  TRACEROOT_RULES: 'on',
  SEAL_INTERVAL_MS: 1000,
  SEAL_BATCH_SIZE: 10_000,
  CAPTURE_LIMIT: 10_000,
  SCAN_WARN_COUNT: 5,
  SCAN_MAX_SPEED_KMH: 900,
  SCAN_RETENTION_DAYS: 365,
  SUBSCRIPTION_POLL_MS: 100,
  SUBSCRIPTION_BATCH_SIZE: 100,
  SUBSCRIPTION_TIMEOUT_MS: 10_000,
  SUBSCRIPTION_RETRY_BASE_MS: 1000,
  SUBSCRIPTION_RETRY_MAX_MS: 300_000,
  SUBSCRIPTION_ALLOW_PRIVATE_DEST: false,
} as const;

const catchEnvError = (source: Record<string, string>): InvalidEnvError => {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof InvalidEnvError) return error;
    throw error;
  }
  throw new Error('loadEnv accepted a bad environment');
};

describe(loadEnv.name, () => {
  it('reads WEB_PORT and TRACEROOT_DEMO (0 or 1), naming a bad one', () => {
    expect(loadEnv({ WEB_PORT: '8080', TRACEROOT_DEMO: '1' })).toMatchObject({
      WEB_PORT: 8080,
      TRACEROOT_DEMO: true,
    });
    expect(loadEnv({ TRACEROOT_DEMO: '0' }).TRACEROOT_DEMO).toBe(false);
    expect(catchEnvError({ TRACEROOT_DEMO: 'yes' }).variables).toEqual(['TRACEROOT_DEMO']);
    expect(catchEnvError({ WEB_PORT: '70000' }).variables).toEqual(['WEB_PORT']);
  });

  it('reads the scan telemetry settings, and names a bad one', () => {
    expect(
      loadEnv({ SCAN_WARN_COUNT: '3', SCAN_MAX_SPEED_KMH: '1000.5', SCAN_RETENTION_DAYS: '30' }),
    ).toMatchObject({ SCAN_WARN_COUNT: 3, SCAN_MAX_SPEED_KMH: 1000.5, SCAN_RETENTION_DAYS: 30 });
    expect(catchEnvError({ SCAN_WARN_COUNT: '0' }).variables).toEqual(['SCAN_WARN_COUNT']);
    expect(catchEnvError({ SCAN_MAX_SPEED_KMH: 'fast' }).variables).toEqual(['SCAN_MAX_SPEED_KMH']);
    expect(catchEnvError({ SCAN_RETENTION_DAYS: '1.5' }).variables).toEqual([
      'SCAN_RETENTION_DAYS',
    ]);
  });

  it('defaults PORT to 3000, the body limit to 10 MiB, JSON logs at info, and no DATABASE_URL', () => {
    expect(loadEnv({})).toEqual(DEFAULTS);
  });

  it('parses PORT and a postgres DATABASE_URL', () => {
    const url = 'postgresql://app:secret@127.0.0.1:5432/traceroot';
    expect(loadEnv({ PORT: '8080', DATABASE_URL: url })).toEqual({
      ...DEFAULTS,
      PORT: 8080,
      DATABASE_URL: url,
    });
  });

  it('parses the ledger settings and refuses a key that is not a signer key', () => {
    expect(
      loadEnv({
        SEAL_INTERVAL_MS: '250',
        SEAL_BATCH_SIZE: '500',
        CAPTURE_LIMIT: '50',
        LOG_ORIGIN: 'trace.example.com/log',
      }),
    ).toEqual({
      ...DEFAULTS,
      SEAL_INTERVAL_MS: 250,
      SEAL_BATCH_SIZE: 500,
      CAPTURE_LIMIT: 50,
      LOG_ORIGIN: 'trace.example.com/log',
    });
    expect(() => loadEnv({ LOG_SIGNING_KEY: 'secret-value' })).toThrow(/LOG_SIGNING_KEY/);
    expect(() => loadEnv({ LOG_SIGNING_KEY: 'secret-value' })).not.toThrow(/secret-value/);
  });

  it('parses CAPTURE_MAX_BYTES, LOG_LEVEL and LOG_FORMAT, the last two case-insensitively', () => {
    expect(
      loadEnv({ CAPTURE_MAX_BYTES: '1048576', LOG_LEVEL: 'DEBUG', LOG_FORMAT: ' Pretty ' }),
    ).toEqual({
      ...DEFAULTS,
      CAPTURE_MAX_BYTES: 1048576,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(
      loadEnv({ PORT: '', DATABASE_URL: '', CAPTURE_MAX_BYTES: '', LOG_LEVEL: '', LOG_FORMAT: '' }),
    ).toEqual(DEFAULTS);
  });

  it('parses TRACEROOT_RULES and the key-encryption key settings', () => {
    expect(loadEnv({ TRACEROOT_RULES: 'off' }).TRACEROOT_RULES).toBe('off');
    expect(() => loadEnv({ TRACEROOT_RULES: 'maybe' })).toThrow(/TRACEROOT_RULES/);
    expect(loadEnv({ TRACEROOT_KEK_FILE: '/etc/traceroot/kek' }).TRACEROOT_KEK_FILE).toBe(
      '/etc/traceroot/kek',
    );
  });

  it('ignores variables it does not know', () => {
    expect(loadEnv({ HOME: '/root', PORT: '1' })).toEqual({ ...DEFAULTS, PORT: 1 });
  });

  it.each(['http', '-1', '3000abc', '65536', '1e3', '99999999'])(
    'rejects PORT=%s naming the variable without echoing the value',
    (bad) => {
      const error = catchEnvError({ PORT: bad });
      expect(error.variables).toEqual(['PORT']);
      expect(error.message).toContain('PORT');
      expect(error.message).not.toContain(bad);
    },
  );

  it.each(['0', '-5', '10mb', '1.5', '012', '99999999999999999'])(
    'rejects CAPTURE_MAX_BYTES=%s naming the variable without echoing the value',
    (bad) => {
      const error = catchEnvError({ CAPTURE_MAX_BYTES: bad });
      expect(error.variables).toEqual(['CAPTURE_MAX_BYTES']);
      expect(error.message).not.toContain(bad);
    },
  );

  it('rejects an unknown LOG_LEVEL and LOG_FORMAT, naming both', () => {
    const error = catchEnvError({ LOG_LEVEL: 'chatty', LOG_FORMAT: 'xml' });
    expect([...error.variables].sort()).toEqual(['LOG_FORMAT', 'LOG_LEVEL']);
    expect(error.message).not.toContain('chatty');
    expect(error.message).not.toContain('xml');
  });

  it('names every bad variable at once and never prints a DATABASE_URL', () => {
    const secretUrl = 'mysql://admin:hunter2@db.internal/prod';
    const error = catchEnvError({ PORT: 'nope', DATABASE_URL: secretUrl });
    expect([...error.variables].sort()).toEqual(['DATABASE_URL', 'PORT']);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('db.internal');
    expect(error.message).not.toContain('nope');
  });
});
