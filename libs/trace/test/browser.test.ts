import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

import type { Verdict } from '../src/verify-bundle-with.js';
import { buildTestLog } from './support/build-bundle.js';

// Proves the library runs without Node: the public entry point is bundled for the browser
// platform (esbuild fails on any Node built-in), then run (1) in a fresh V8 context that has no
// Buffer, process or require, and (2) in Debian's Chromium through playwright-core.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const log = buildTestLog(6, 'browser');
const bundle = log.bundle([0, 3, 5], ['readPoint']);

let code = '';
beforeAll(async () => {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'TraceLib',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  code = result.outputFiles[0]!.text;
});

describe('the browser bundle', () => {
  it('builds for the browser platform, small', () => {
    const gzipped = gzipSync(code).length;
    expect(gzipped).toBeGreaterThan(1000);
    expect(gzipped).toBeLessThan(60_000); // noble + scure + our code; a regression guard, not a timing
  });

  it('verifies a bundle in a context without any Node global', () => {
    const context = { TextEncoder, TextDecoder, input: { bundle, key: log.verifierKey } } as Record<
      string,
      unknown
    >;
    const verdict = runInNewContext(
      `${code};
       if (typeof Buffer !== 'undefined' || typeof process !== 'undefined' || typeof require !== 'undefined') throw new Error('Node leaked');
       JSON.stringify(TraceLib.verifyTraceBundle(input.bundle, [input.key]))`,
      context,
    ) as string;
    expect(JSON.parse(verdict)).toMatchObject({
      ok: true,
      treeSize: 6,
      entries: [{ leafIndex: 0 }, { leafIndex: 3 }, { leafIndex: 5 }],
    });
  });
});

describe('in Chromium (Debian package, driven by playwright-core)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('verifies a good bundle and rejects a tampered one with a code', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>trace</title>');
    await page.addScriptTag({ content: code });
    const tampered = { ...bundle, entries: [{ ...bundle.entries[0]!, leafIndex: 1 }] };
    const [good, bad, hasNode] = await page.evaluate(
      ([b, t, key]) => {
        const lib = (
          globalThis as unknown as {
            TraceLib: { verifyTraceBundle: (b: unknown, k: string[]) => Verdict };
          }
        ).TraceLib;
        return [
          lib.verifyTraceBundle(b, [key]),
          lib.verifyTraceBundle(t, [key]),
          typeof (globalThis as { process?: unknown }).process,
        ];
      },
      [bundle, tampered, log.verifierKey] as const,
    );
    expect(hasNode).toBe('undefined');
    expect(good).toMatchObject({ ok: true, treeSize: 6 });
    expect(bad).toMatchObject({ ok: false, code: 'ROOT_MISMATCH' });
  }, 30_000);
});
