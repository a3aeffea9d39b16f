// GET /capture of the full service on real PostgreSQL: the organization's capture jobs, newest
// first, paged like GET /events (perPage, an opaque nextPageToken, Link rel="next"), each job
// served exactly once even when jobs arrive while a client pages, and never another
// organization's jobs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  call,
  epcisDocument,
  type LedgerApp,
  objectEvent,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

type CaptureJob = {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: string;
  eventCount: number;
  errors: unknown[];
};

type Page = { ids: string[]; link: string | null };

describe('GET /capture: paged capture jobs', () => {
  let ledger: LedgerApp;
  let organizationId: string;
  let otherKey: string;
  let otherJobs: string[];
  let serial = 9000;

  /** POST /capture of one fresh event: the new job's captureID. */
  const captureOne = async (key = ledger.apiKey): Promise<string> => {
    const response = await call(ledger.baseUrl, '/capture', {
      key,
      body: epcisDocument([objectEvent(serial++)]),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as CaptureJob).captureID;
  };

  /** The organization's jobs in the order GET /capture must serve them. */
  const newestFirst = async (organization = organizationId): Promise<string[]> =>
    (
      await ledger.sql<{ id: string }>(
        'SELECT id FROM capture_jobs WHERE organization_id = $1 ORDER BY created_at DESC, id DESC',
        [organization],
      )
    ).map((row) => row.id);

  /** Follows Link rel="next" from `path` to the last page. */
  const walk = async (path: string, key = ledger.apiKey): Promise<Page[]> => {
    const pages: Page[] = [];
    for (let next: string | null = path; next !== null;) {
      const response = await call(ledger.baseUrl, next, { key });
      expect(response.status).toBe(200);
      const jobs = (await response.json()) as CaptureJob[];
      const link = response.headers.get('link');
      pages.push({ ids: jobs.map((job) => job.captureID), link });
      if (link === null) break;
      const match = /^<([^>]+)>; rel="next"$/.exec(link);
      expect(match).not.toBeNull();
      next = match![1]!;
      expect(pages.length).toBeLessThan(1000);
    }
    return pages;
  };

  beforeAll(async () => {
    ledger = await startLedgerApp();
    // One after another, so that their createdAt differ (newest first = reverse of this order).
    const first = await captureOne();
    for (let i = 0; i < 4; i++) await captureOne();
    const [row] = await ledger.sql<{ organization_id: string }>(
      'SELECT organization_id FROM capture_jobs WHERE id = $1',
      [first],
    );
    organizationId = row!.organization_id;
    const created = await call(ledger.baseUrl, '/admin/organizations', {
      key: ledger.adminKey,
      body: { name: 'Other packer' },
    });
    expect(created.status).toBe(201);
    ({ apiKey: otherKey } = (await created.json()) as { apiKey: string });
    otherJobs = [await captureOne(otherKey), await captureOne(otherKey)];
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('walks every job exactly once, newest first, with perPage=1', async () => {
    const all = await newestFirst();
    expect(all).toHaveLength(5);
    const pages = await walk('/capture?perPage=1');
    expect(pages.flatMap((page) => page.ids)).toEqual(all);
    expect(pages.map((page) => page.ids.length)).toEqual([1, 1, 1, 1, 1]);
    expect(pages.at(-1)!.link).toBeNull();
    for (const page of pages.slice(0, -1)) {
      expect(page.link).toMatch(/^<\/capture\?[^>]*perPage=1\b[^>]*>; rel="next"$/);
      expect(page.link).toMatch(/nextPageToken=[A-Za-z0-9_-]+/);
    }
  });

  it('serves the capture job documents of the binding, newest first', async () => {
    const response = await call(ledger.baseUrl, '/capture?perPage=2', { key: ledger.apiKey });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    const jobs = (await response.json()) as CaptureJob[];
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      const one = await call(ledger.baseUrl, `/capture/${job.captureID}`, { key: ledger.apiKey });
      expect(await one.json()).toEqual(job);
      expect(job).toMatchObject({
        running: false,
        success: true,
        captureErrorBehaviour: 'rollback',
        eventCount: 1,
        errors: [],
      });
    }
    expect(Date.parse(jobs[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(jobs[1]!.createdAt));
  });

  it('walks the same jobs with any page size; without perPage, 30 a page', async () => {
    const all = await newestFirst();
    for (const perPage of [2, 3, 5, 1000, 5000]) {
      const pages = await walk(`/capture?perPage=${perPage}`);
      expect(pages.flatMap((page) => page.ids)).toEqual(all);
      expect(pages).toHaveLength(Math.ceil(all.length / Math.min(perPage, 1000)));
    }
    const single = await walk('/capture');
    expect(single).toEqual([{ ids: all, link: null }]);
  });

  it('serves jobs created in the same millisecond once each, 30 a page by default', async () => {
    // 40 jobs with one createdAt: only the id orders them, and pages must cut between them.
    await ledger.sql(
      `INSERT INTO capture_jobs (organization_id, status, error_behaviour, event_count, created_at, finished_at)
       SELECT $1, 'SUCCESS', 'rollback', 0, t, t
       FROM (SELECT date_trunc('milliseconds', now()) AS t) AS at, generate_series(1, 40)`,
      [organizationId],
    );
    const all = await newestFirst();
    expect(all).toHaveLength(45);
    const pages = await walk('/capture');
    expect(pages.map((page) => page.ids.length)).toEqual([30, 15]);
    expect(pages[0]!.link).toMatch(/perPage=30\b/);
    expect(pages.flatMap((page) => page.ids)).toEqual(all);
    for (const perPage of [1, 7]) {
      expect((await walk(`/capture?perPage=${perPage}`)).flatMap((page) => page.ids)).toEqual(all);
    }
  });

  it('serves each job once while new jobs arrive; the new ones head the next listing', async () => {
    const before = await newestFirst();
    const first = await walk('/capture?perPage=4').then((pages) => pages[0]!);
    const late = await captureOne();
    const next = /^<([^>]+)>/.exec(first.link!)![1]!;
    const rest = (await walk(next)).flatMap((page) => page.ids);
    expect([...first.ids, ...rest]).toEqual(before);
    expect((await walk('/capture?perPage=1000'))[0]!.ids[0]).toBe(late);
  });

  it("never shows another organization's jobs, nor lets a token reach them", async () => {
    const ours = (await walk('/capture?perPage=7')).flatMap((page) => page.ids);
    expect(ours).toEqual(await newestFirst());
    for (const id of otherJobs) expect(ours).not.toContain(id);

    const theirs = (await walk('/capture?perPage=1', otherKey)).flatMap((page) => page.ids);
    expect(theirs).toEqual([...otherJobs].reverse());

    // Our token, presented by the other organization, pages through its own jobs only.
    const link = (await call(ledger.baseUrl, '/capture?perPage=1', { key: ledger.apiKey })).headers
      .get('link')!
      .replace(/^<([^>]+)>.*$/, '$1');
    const crossed = await call(ledger.baseUrl, link, { key: otherKey });
    expect(crossed.status).toBe(200);
    for (const job of (await crossed.json()) as CaptureJob[]) {
      expect(otherJobs).toContain(job.captureID);
    }
  });

  it('answers an admin key of no organization with 403 and no key with 401', async () => {
    const admin = await call(ledger.baseUrl, '/capture', { key: ledger.adminKey });
    expect(admin.status).toBe(403);
    expect((await call(ledger.baseUrl, '/capture')).status).toBe(401);
  });

  it.each(['0', '-1', 'abc', '1.5', '', '1e3', '9'.repeat(30)])(
    'answers perPage=%p with 400 QueryParameterException naming perPage',
    async (perPage) => {
      const response = await call(
        ledger.baseUrl,
        `/capture?perPage=${encodeURIComponent(perPage)}`,
        {
          key: ledger.apiKey,
        },
      );
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({
        type: 'epcisException:QueryParameterException',
        code: 'QUERY_PARAMETER_INVALID',
        detail: expect.stringContaining('perPage'),
      });
    },
  );

  it.each([
    ['garbage', 'not-a-token'],
    ['empty', ''],
    ['a token of GET /events', Buffer.from('s:12').toString('base64url')],
    ['a job position without an id', Buffer.from('j:1700000000000:').toString('base64url')],
    [
      'a job position with a bad id',
      Buffer.from('j:1700000000000:not-a-uuid-not-a-uuid-not-a-uuid-12345').toString('base64url'),
    ],
    [
      'a job position with dashes for an id',
      Buffer.from(`j:1:${'-'.repeat(36)}`).toString('base64url'),
    ],
    [
      'a time past any date',
      Buffer.from('j:9999999999999999:00000000-0000-4000-8000-000000000000').toString('base64url'),
    ],
    [
      'a time of 400 digits',
      Buffer.from(`j:${'9'.repeat(400)}:00000000-0000-4000-8000-000000000000`).toString(
        'base64url',
      ),
    ],
  ])('answers nextPageToken of %s with 400 naming nextPageToken, never 5xx', async (_, token) => {
    const response = await call(
      ledger.baseUrl,
      `/capture?perPage=2&nextPageToken=${encodeURIComponent(token)}`,
      { key: ledger.apiKey },
    );
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({
      type: 'epcisException:QueryParameterException',
      code: 'QUERY_PARAMETER_INVALID',
      detail: expect.stringContaining('nextPageToken'),
    });
  });
});
