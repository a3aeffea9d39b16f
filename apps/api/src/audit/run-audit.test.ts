import { describe, expect, it } from '@jest/globals';
import { generateNoteKeys } from '@traceroot/trace';

import { AUDIT_USAGE, runAuditScript } from './run-audit.js';

const KEY = generateNoteKeys('audit.test/log', new Uint8Array(32).fill(1)).verifierKey;

const run = async (argv: string[], url?: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAuditScript(argv, () => url, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    now: () => 0,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
};

describe('the audit script (node apps/api/dist/audit/main.js)', () => {
  it('prints its usage', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: AUDIT_USAGE, stderr: '' });
  });

  it.each([
    [[], 'postgresql://x/db', '--key VERIFIER-KEY is required'],
    [['--key', 'nope'], 'postgresql://x/db', '--key nope is not a verifier key'],
    [['--key', KEY], undefined, 'no database: set DATABASE_URL'],
    [
      ['--key', KEY, 'postgresql://a/b', 'postgresql://c/d'],
      undefined,
      'unexpected argument "postgresql://c/d"',
    ],
    [['--nope'], 'postgresql://x/db', "Unknown option '--nope'"],
  ])('refuses %j with exit 2', async (argv, url, message) => {
    const result = await run(argv, url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage:');
  });

  it('exits 3, in one line, when the database cannot be reached', async () => {
    const result = await run(['--key', KEY, 'postgresql://postgres@127.0.0.1:1/none']);
    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toMatch(/^audit: cannot read the database: [^\n]+$/);
  });
});
