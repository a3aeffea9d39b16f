// Issue 3 §6: `npm start` with no DATABASE_URL runs the service on the embedded PGlite under
// DATA_DIR. The built service (dist/main.js, as `npm start` runs it) starts on an empty data
// directory, prints the first API key and the verifier key, captures a document, seals it and
// serves a bundle that verifies; after a restart the data and the key are still there and no
// second organization is created.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';
import { verifyTraceBundle, type TraceBundle } from '@traceroot/trace';

import { MAIN_JS, waitUntil } from './support/service.js';

const EXAMPLE = new URL(
  '../../../../conformance/epcis/gs1-examples/Example-TransactionEvents-2020_07_03y.jsonld',
  import.meta.url,
);

type Embedded = { child: ChildProcess; output: () => string; baseUrl: string };

const children: ChildProcess[] = [];

const start = async (dataDir: string): Promise<Embedded> => {
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const output = () => text;
  // The banner comes after the first organization is made, on a first run.
  await waitUntil(
    () => Promise.resolve(/running at http:\/\/\S+/.test(text) && text.includes('verifier key:')),
    90_000,
    `the embedded service to start:\n${text}`,
  );
  const baseUrl = /running at (http:\/\/\S+)/.exec(text)![1]!.replace('localhost', '127.0.0.1');
  return { child, output, baseUrl };
};

const stop = async ({ child }: Embedded): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
};

describe('the embedded default (process test)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'traceroot-embedded-'));

  afterAll(() => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('captures, seals and proves on PGlite, and keeps everything across a restart', async () => {
    const first = await start(dataDir);
    const apiKey = /(trk_[A-Za-z0-9_-]+)/.exec(first.output())?.[1];
    const verifierKey = /verifier key:\s+(\S+)/.exec(first.output())?.[1];
    expect(apiKey).toBeDefined();
    expect(verifierKey).toBeDefined();

    const response = await fetch(`${first.baseUrl}/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/ld+json' },
      body: readFileSync(EXAMPLE),
    });
    expect(response.status).toBe(202);
    const events = (await (await fetch(`${first.baseUrl}/events?perPage=10`)).json()) as {
      epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
    };
    const eventIds = events.epcisBody.queryResults.resultsBody.eventList.map(
      (event) => event.eventID,
    );
    expect(eventIds.length).toBeGreaterThan(0);
    const bundleUrl = `${first.baseUrl}/events/${encodeURIComponent(eventIds.at(-1)!)}/bundle`;
    await waitUntil(async () => (await fetch(bundleUrl)).ok, 20_000, 'a seal');
    const bundle = (await (await fetch(bundleUrl)).json()) as TraceBundle;
    const origin = verifierKey!.split('+')[0]!;
    expect(verifyTraceBundle(bundle, [verifierKey!], { origin })).toMatchObject({ ok: true });

    // Concurrent readers on PGlite's one backend (a product page proves many events at once):
    // every answer is whole. With a pool of several connections, pglite-socket's multiplexer
    // interleaved their wire protocol ("unnamed prepared statement does not exist", 500s).
    const named = JSON.stringify(events).match(/urn:epc:(?:id|class|idpat):[^"]+/g) ?? [];
    expect(named.length).toBeGreaterThan(0);
    const statuses = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        fetch(
          `${first.baseUrl}/trace/${encodeURIComponent(named[i % named.length]!)}?bundle=true`,
        ).then(async (r) => (await r.text(), r.status)),
      ),
    );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    await stop(first);

    const second = await start(dataDir);
    expect(second.output()).not.toContain('First run');
    expect(/verifier key:\s+(\S+)/.exec(second.output())?.[1]).toBe(verifierKey);
    const again = await fetch(bundleUrl.replace(first.baseUrl, second.baseUrl));
    expect(again.status).toBe(200);
    expect(
      verifyTraceBundle((await again.json()) as TraceBundle, [verifierKey!], { origin }),
    ).toMatchObject({ ok: true });
    // The same API key still captures.
    const more = await fetch(`${second.baseUrl}/capture`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/ld+json' },
      body: JSON.stringify({
        ...JSON.parse(readFileSync(EXAMPLE, 'utf8')),
        epcisBody: {
          eventList: [
            {
              type: 'ObjectEvent',
              eventTime: '2026-06-01T10:00:00.000+02:00',
              eventTimeZoneOffset: '+02:00',
              epcList: ['urn:epc:id:sgtin:4012345.011111.424242'],
              action: 'OBSERVE',
            },
          ],
        },
      }),
    });
    expect(more.status).toBe(202);
    await stop(second);
  }, 180_000);
});
