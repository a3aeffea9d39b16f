// The consumer page end to end (issue 4 §4): the built API on real PostgreSQL, the built web app,
// and Debian's Chromium through playwright-core. A realistic chain is captured by five
// organizations with their master data; the page for one serialised cake must show the origin and
// every hop and say "Verified" — computed in the browser. Then a recall, a second visit (the log
// only grew), Chinese, the QR code decoded by zbarimg, the resolver's answers, and finally one
// event tampered with in the database, which the page must name.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseDisclosure } from '@traceroot/trace';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { launchChromium } from '../../src/test-support/chromium';
import { decodeQrImage } from '../../src/test-support/zbar';

import {
  CAKE_GTIN,
  CAKE_LOT_NUMBER,
  cakePath,
  CHAIN,
  epcisDocument,
  eventIdOf,
  gln,
  MASTER_DATA,
  type Org,
  PARTIES,
  PICKER,
  PLACES,
  PRIVATE_CAKE_CHAIN,
  PRIVATE_CAKE_PATH,
  PRIVATE_CAKE_SHIPMENT,
  RECALL_EVENT,
} from '../support/chain';
import { ADMIN_KEY, REPO_ROOT, type Stack, startStack } from '../support/stack';

const SCREENSHOTS = join(REPO_ROOT, 'apps/web/test-results/screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
// Cake 1's journey, oldest first: harvests 1–3, pressing 4, serialising 5, packing 6, shipping 7,
// receiving 8, shipping 9, receiving 10, unpacking 11, sale 12.
const CAKE_1_EVENTS = Array.from({ length: 12 }, (_, i) => eventIdOf(i + 1));

describe('the consumer page of a serialised tea cake', () => {
  let stack: Stack;
  let browser: Browser;
  const keys = new Map<Org, string>();

  const api = async (
    path: string,
    init: { key?: string; method?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return response;
  };
  /**
   * Waits until a signed checkpoint covers every event of the page's trace (the log also holds
   * other leaves, such as the records of administrative actions) and returns its tree size.
   */
  const sealed = async (page = cakePath(1)): Promise<number> => {
    const path = `/trace/${encodeURIComponent(page)}?direction=backward&bundle=true`;
    for (let i = 0; i < 200; i += 1) {
      const response = await api(path);
      if (response.ok) {
        const trace = (await response.json()) as {
          unsealed?: string[];
          checkpoint?: { treeSize: number };
        };
        if (trace.unsealed?.length === 0 && trace.checkpoint) return trace.checkpoint.treeSize;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no checkpoint covers the events of ${page}:\n${stack.output()}`);
  };
  /** The tree size of cake 1's checkpoint once its 12 events are sealed. */
  let firstSize = 0;
  const capture = async (org: Org, events: unknown[]) => {
    const response = await api('/capture', { key: keys.get(org)!, body: epcisDocument(events) });
    expect([response.status, response.status === 202 ? '' : await response.text()]).toEqual([
      202,
      '',
    ]);
    const job = response.headers.get('location')!;
    for (let i = 0; i < 100; i += 1) {
      const state = (await (await api(job, { key: keys.get(org)! })).json()) as {
        running?: boolean;
        success?: boolean;
        errors?: unknown;
      };
      if (state.running === false) {
        expect([job, state.success, state.errors]).toEqual([job, true, state.errors]);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`capture ${job} did not finish`);
  };
  const open = async (context: BrowserContext, path: string): Promise<Page> => {
    const page = await context.newPage();
    const response = await page.goto(`${stack.webUrl}${path}`);
    expect(response?.status()).toBe(200);
    await page
      .locator('[data-state="verified"], [data-state="failed"]')
      .waitFor({ timeout: 30_000 });
    return page;
  };
  const newContext = (viewport = PHONE, locale = 'en-US') =>
    browser.newContext({ viewport, locale, extraHTTPHeaders: { 'accept-language': locale } });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack();
    for (const [org, party] of Object.entries(PARTIES) as [Org, { name: string; n: number }][]) {
      // Its GLN: the published rules know a receiver and a custodian by it.
      const response = await api('/admin/organizations', {
        key: ADMIN_KEY,
        body: { name: party.name, gln: gln(party.n) },
      });
      expect(response.status).toBe(201);
      keys.set(org, ((await response.json()) as { apiKey: string }).apiKey);
    }
    for (const { org, path, body } of MASTER_DATA) {
      const response = await api(path, { key: keys.get(org)!, method: 'PUT', body });
      expect([path, response.status < 300 ? 'ok' : await response.text()]).toEqual([path, 'ok']);
    }
    for (const { org, events } of CHAIN) await capture(org, events);
    firstSize = await sealed();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the origin and every hop, and the browser verifies every record (phone)', async () => {
    const context = await newContext();
    // The JavaScript the page ships, gzipped as a server would send it (budget: 150 KB).
    const scripts: Promise<[string, number]>[] = [];
    context.on('response', (response) => {
      if (response.request().resourceType() === 'script') {
        scripts.push(
          response
            .body()
            .then((body) => [
              new URL(response.url()).pathname,
              gzipSync(body, { level: 9 }).length,
            ]),
        );
      }
    });
    const page = await open(context, cakePath(1));
    const sizes = await Promise.all(scripts);
    const gzipped = sizes.reduce((sum, [, size]) => sum + size, 0);
    writeFileSync(
      join(SCREENSHOTS, 'page-weight.txt'),
      `${sizes.map(([path, size]) => `${(size / 1024).toFixed(1)} KiB ${path}`).join('\n')}\n` +
        `${sizes.length} scripts, ${(gzipped / 1024).toFixed(1)} KiB gzipped\n`,
    );
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
    await expect(page.locator('h1').textContent()).resolves.toBe('Menghai Pu’er tea cake, 357 g');
    const origin = await page.locator('.origin').textContent();
    expect(origin).toContain(PARTIES.cooperative.name);
    expect(origin).toContain(PLACES.garden.name);
    const shown = await page
      .locator('.journey [data-event-id]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-event-id')));
    expect(shown).toEqual(CAKE_1_EVENTS);
    const journey = (await page.locator('.journey').textContent())!;
    for (const place of [PLACES.factory, PLACES.kunming, PLACES.shanghai]) {
      expect(journey).toContain(place.name);
    }
    expect(journey).toContain('Shipped');
    expect(journey).toContain(PARTIES.carrier.name);
    await expect(page.locator('.certificates').textContent()).resolves.toContain(
      'CN-ORG-2026-0042',
    );
    const headline = await page.locator('[data-state="verified"] .verify-headline').textContent();
    expect(headline).toContain('Verified: 12 of 12 records');
    expect(headline).toMatch(
      new RegExp(`sealed in checkpoint #${firstSize} on \\w{3} \\d{1,2}, 20\\d\\d`),
    );
    await expect(page.locator('.recall').count()).resolves.toBe(0);
    // The chain keeps every published rule, and its shipments' purchase orders are private.
    await expect(page.locator('.rule-flag').allTextContents()).resolves.toEqual([]);
    await expect(page.locator('[data-warning="rule-flags"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-notice="withheld"]').count()).resolves.toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'product-page-phone-en.png'), fullPage: true });
    await context.close();
  });

  it('a recall shows the banner, and the second visit checks that the log only grew (desktop)', async () => {
    const context = await newContext(DESKTOP);
    // First visit: the browser remembers the checkpoint of the 12 events.
    const before = await sealed();
    await (await open(context, cakePath(1))).close();
    await capture('cooperative', [RECALL_EVENT]);
    const recalledSize = await sealed();
    const page = await open(context, cakePath(1));
    await expect(page.locator('#recall').textContent()).resolves.toContain('Recalled');
    await expect(
      page.locator('[data-state="verified"] .verify-headline').textContent(),
    ).resolves.toContain('Verified: 13 of 13 records');
    await page.locator('[data-consistency="ok"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-consistency="ok"]').textContent()).resolves.toContain(
      `#${before} → #${recalledSize}`,
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'product-page-desktop-recalled.png'),
      fullPage: true,
    });
    await context.close();
  });

  it('speaks Chinese to a zh-CN browser, and English when switched', async () => {
    const context = await newContext(PHONE, 'zh-CN');
    const page = await open(context, cakePath(2));
    await expect(page.locator('h1').textContent()).resolves.toBe('勐海普洱茶饼 357克');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await expect(page.locator('[data-state="verified"]').textContent()).resolves.toContain(
      '已验证',
    );
    await expect(page.locator('.origin').textContent()).resolves.toContain(PARTIES.cooperative.zh);
    await page.screenshot({
      path: join(SCREENSHOTS, 'product-page-phone-zh-CN.png'),
      fullPage: true,
    });
    await page.getByRole('link', { name: 'English' }).click();
    await page.locator('[data-state="verified"]').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('Menghai Pu’er tea cake, 357 g');
    await context.close();
  });

  it('counts scans of a serialised item once per browser and day, and warns from the Nth (SCAN_WARN_COUNT=3 here)', async () => {
    for (let view = 1; view <= 3; view += 1) {
      const context = await newContext(); // another shopper's browser
      const page = await open(context, cakePath(3));
      await page.locator('.scans .muted').first().waitFor();
      await expect(page.locator('.scans').textContent()).resolves.toContain(
        view === 1 ? 'first scan of this code' : `scanned ${view} times`,
      );
      const warnings = await page.locator('.scan-warning').count();
      expect([view, warnings]).toEqual([view, view >= 3 ? 1 : 0]);
      if (view === 3) {
        await expect(page.locator('.scan-warning').getAttribute('data-reason')).resolves.toBe(
          'many-scans',
        );
        await expect(page.locator('.scan-warning').textContent()).resolves.toContain(
          'may have been copied. It has been scanned 3 times',
        );
        await page.screenshot({ path: join(SCREENSHOTS, 'product-page-phone-copied-code.png') });
      }
      if (view === 1) {
        // The same browser again (a reload, a language switch): not another scan.
        await page.reload();
        await page.locator('.scans .muted').first().waitFor();
        await expect(page.locator('.scans').textContent()).resolves.toContain(
          'first scan of this code',
        );
      }
      await context.close();
    }
  });

  it('the served QR code decodes to the canonical Digital Link, which opens the page', async () => {
    const response = await fetch(`${stack.webUrl}/qr${cakePath(1)}.png?size=400`);
    expect(response.status).toBe(200);
    const decoded = await decodeQrImage(new Uint8Array(await response.arrayBuffer()));
    expect(decoded).toEqual([`${stack.webUrl}${cakePath(1)}`]);
    const uri = decoded[0]!;
    const context = await newContext();
    const page = await context.newPage();
    expect((await page.goto(uri))?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Menghai Pu’er tea cake, 357 g');
    await context.close();
  });

  it.each([
    [
      'a bad check digit',
      `/01/${CAKE_GTIN.slice(0, 13)}${(Number(CAKE_GTIN[13]) + 1) % 10}/21/1`,
      'check digit',
    ],
    ['the wrong qualifier order', `/01/${CAKE_GTIN}/21/1/10/${CAKE_LOT_NUMBER}`, '10'],
    ['an unknown AI', `/01/${CAKE_GTIN}/99999/1`, '99999'],
  ])('an invalid Digital Link (%s) gets a 400 page saying why', async (_, path, named) => {
    const response = await fetch(`${stack.webUrl}${path}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('not a valid product link');
    expect(html.match(/<span id="reason">([^<]*)<\/span>/)?.[1]).toContain(named);
  });

  it('resolves like a GS1 resolver: 301 to GTIN-14, linkset, link types; 404 for an unknown product', async () => {
    const gtin13 = CAKE_GTIN.slice(1);
    const moved = await fetch(`${stack.webUrl}/01/${gtin13}/21/1`, { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(new URL(moved.headers.get('location')!, stack.webUrl).pathname).toBe(
      `/01/${CAKE_GTIN}/21/1`,
    );

    const linkset = await fetch(`${stack.webUrl}${cakePath(1)}`, {
      headers: { accept: 'application/linkset+json' },
    });
    expect(linkset.status).toBe(200);
    expect(linkset.headers.get('content-type')).toContain('application/linkset+json');
    const body = (await linkset.json()) as { linkset: Record<string, { href: string }[]>[] };
    const links = body.linkset[0]!;
    expect(links['https://gs1.org/voc/pip']![0]!.href).toBe(`${stack.webUrl}${cakePath(1)}`);
    expect(links['https://gs1.org/voc/epcis']![0]!.href).toContain(
      `${stack.apiUrl}/events?MATCH_anyEPC=`,
    );
    expect(links['https://gs1.org/voc/traceability']![0]!.href).toContain(`${stack.apiUrl}/trace/`);
    expect(links['https://gs1.org/voc/recallStatus']![0]!.href).toBe(
      `${stack.webUrl}${cakePath(1)}#recall`,
    );

    // The EPCIS link queries exactly this item's events (serialised, packed, unpacked, sold).
    const query = await fetch(links['https://gs1.org/voc/epcis']![0]!.href);
    const events = (
      (await query.json()) as {
        epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
      }
    ).epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID);
    expect(events.sort()).toEqual([5, 6, 11, 12].map(eventIdOf).sort());

    const all = await fetch(`${stack.webUrl}${cakePath(1)}?linkType=all`);
    expect(all.headers.get('content-type')).toContain('application/linkset+json');

    const recall = await fetch(`${stack.webUrl}${cakePath(1)}?linkType=gs1:recallStatus`, {
      redirect: 'manual',
    });
    expect(recall.status).toBe(307);
    expect(new URL(recall.headers.get('location')!, stack.webUrl).href).toBe(
      `${stack.webUrl}${cakePath(1)}#recall`,
    );

    const epcis = await fetch(`${stack.webUrl}${cakePath(1)}?linkType=gs1:epcis`, {
      redirect: 'manual',
    });
    expect(epcis.status).toBe(307);
    expect(epcis.headers.get('location')).toBe(links['https://gs1.org/voc/epcis']![0]!.href);

    const browserView = await fetch(`${stack.webUrl}${cakePath(1)}`, {
      headers: { accept: 'text/html,*/*' },
    });
    expect(browserView.headers.get('content-type')).toContain('text/html');

    const unknown = await fetch(`${stack.webUrl}/01/${CAKE_GTIN}/21/99999`);
    expect(unknown.status).toBe(404);
    const unknownLot = await fetch(`${stack.webUrl}/01/${CAKE_GTIN}/10/NO-SUCH-LOT`);
    expect(unknownLot.status).toBe(404);
    // A real serial under another lot: shown, with a warning naming the item's real lot.
    const wrongLot = await fetch(`${stack.webUrl}/01/${CAKE_GTIN}/10/OTHER-LOT/21/1`);
    expect(wrongLot.status).toBe(200);
    const warning = /data-warning="lot-mismatch"[^>]*>([^<]*)</.exec(await wrongLot.text())?.[1];
    expect(warning).toContain(
      `lot OTHER-LOT, but the records put this item in lot ${CAKE_LOT_NUMBER}`,
    );
    const rightLot = await (await fetch(`${stack.webUrl}${cakePath(1)}`)).text();
    expect(rightLot).not.toContain('lot-mismatch');
    const lotPage = await fetch(`${stack.webUrl}/01/${CAKE_GTIN}/10/${CAKE_LOT_NUMBER}`);
    expect(lotPage.status).toBe(200);
    const direct = await fetch(`${stack.webUrl}/linkset/01/${CAKE_GTIN.slice(0, 13)}0/21/1`);
    expect(direct.status).toBe(400);
  });

  it('verifies a record with private and erased details, says so, and warns of a broken rule', async () => {
    for (const { org, events } of PRIVATE_CAKE_CHAIN) await capture(org, events);
    const erased = await api(`/events/${encodeURIComponent(PRIVATE_CAKE_SHIPMENT)}/erase`, {
      key: ADMIN_KEY,
      method: 'POST',
    });
    expect([erased.status, erased.ok ? '' : await erased.text()]).toEqual([200, '']);
    await sealed(PRIVATE_CAKE_PATH);
    const context = await newContext();
    const page = await open(context, PRIVATE_CAKE_PATH);
    // Hidden and erased fields are expected: every record still verifies.
    await expect(
      page.locator('[data-state="verified"] .verify-headline').textContent(),
    ).resolves.toContain('Verified: 3 of 3 records');
    await expect(page.locator('.verify-note[data-hidden]').textContent()).resolves.toContain(
      'private or erased details are sealed too',
    );
    const html = await page.content();
    expect(html).not.toContain(PICKER.name);
    expect(html).not.toContain(PICKER.phone);
    expect(html).not.toContain('PO-102');
    const produced = (await page.locator('#step-1').textContent())!;
    // ILMD is committed member by member: the public member shows, the private ones do not.
    expect(produced).toContain('best before date');
    // Two private ILMD members, and the salt an event with hidden fields is committed with
    // (docs/specs/privacy.md §4), itself a private field of the record.
    expect(produced).toContain('3 details are private');
    await expect(page.locator('#step-2 [data-notice="erased"]').textContent()).resolves.toBe(
      'Some details were erased at the owner’s request',
    );
    await expect(page.locator('#step-3 .rule-flag').getAttribute('data-rule')).resolves.toBe(
      'custody.receipt-matches-shipment',
    );
    const warning = page.locator('[data-warning="rule-flags"]');
    await expect(warning.textContent()).resolves.toContain(
      'a record of this product broke a published rule',
    );
    await expect(warning.locator('a').getAttribute('href')).resolves.toBe('#step-3');
    await page.screenshot({
      path: join(SCREENSHOTS, 'product-page-phone-private-flagged.png'),
      fullPage: true,
    });
    await context.close();

    const zh = await newContext(PHONE, 'zh-CN');
    const zhPage = await open(zh, PRIVATE_CAKE_PATH);
    const text = (await zhPage.locator('main').textContent())!;
    expect(text).toContain('3 项信息不公开');
    expect(text).toContain('部分信息已应所有者要求删除');
    expect(text).toContain('违反了公开的规则：收货没有对应的发货记录');
    await zh.close();
  });

  it('names the record that was edited in the database after it was sealed', async () => {
    // Someone with database access moves the Kunming receiving (event 8) by a day: the served
    // event changes, its sealed leaf does not.
    const client = new pg.Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ disclosures: Record<string, string> }>(
        'SELECT disclosures FROM events WHERE event_id = $1',
        [eventIdOf(8)],
      );
      const disclosures = rows[0]!.disclosures;
      const [salt] = JSON.parse(
        Buffer.from(disclosures.eventTime!, 'base64url').toString('utf8'),
      ) as [string];
      expect(parseDisclosure(disclosures.eventTime!).value).toBe('2026-04-06T17:00:00.000+08:00');
      disclosures.eventTime = Buffer.from(
        JSON.stringify([salt, 'eventTime', '2026-04-05T17:00:00.000+08:00']),
      ).toString('base64url');
      await client.query('UPDATE events SET disclosures = $1 WHERE event_id = $2', [
        disclosures,
        eventIdOf(8),
      ]);
    } finally {
      await client.end();
    }
    const context = await newContext();
    const page = await open(context, cakePath(1));
    await page.locator('[data-state="failed"]').waitFor();
    const failures = page.locator('.verify-failure[data-event-id]');
    await expect(failures.count()).resolves.toBe(1);
    await expect(failures.first().getAttribute('data-event-id')).resolves.toBe(eventIdOf(8));
    const text = (await failures.first().textContent())!;
    expect(text).toContain('Received');
    expect(text).toContain('differs from what was sealed');
    await expect(page.locator('.verify-headline').textContent()).resolves.toContain(
      '12 of 13 records',
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'product-page-phone-tampered.png'),
      fullPage: true,
    });
    await context.close();
  });
});
