import { describe, expect, it } from '@jest/globals';

import { InvalidEnvError, loadEnv } from './env.js';

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
  it('defaults PORT to 3000 and leaves DATABASE_URL unset', () => {
    expect(loadEnv({})).toEqual({ PORT: 3000 });
  });

  it('parses PORT and a postgres DATABASE_URL', () => {
    const url = 'postgresql://app:secret@127.0.0.1:5432/traceroot';
    expect(loadEnv({ PORT: '8080', DATABASE_URL: url })).toEqual({ PORT: 8080, DATABASE_URL: url });
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ PORT: '', DATABASE_URL: '' })).toEqual({ PORT: 3000 });
  });

  it('ignores variables it does not know', () => {
    expect(loadEnv({ HOME: '/root', PORT: '1' })).toEqual({ PORT: 1 });
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

  it('names every bad variable at once and never prints a DATABASE_URL', () => {
    const secretUrl = 'mysql://admin:hunter2@db.internal/prod';
    const error = catchEnvError({ PORT: 'nope', DATABASE_URL: secretUrl });
    expect([...error.variables].sort()).toEqual(['DATABASE_URL', 'PORT']);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('db.internal');
    expect(error.message).not.toContain('nope');
  });
});
