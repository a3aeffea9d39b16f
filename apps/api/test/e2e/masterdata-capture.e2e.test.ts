// The EPCIS 2.0 way to write master data: vocabularies in a captured document's header update the
// same records as PUT /masterdata/… — in the capture's transaction, so a refused or rolled-back
// capture changes none of it. Full service, real PostgreSQL, real HTTP.
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  call,
  epcisDocument,
  type LedgerApp,
  objectEvent,
  problemOf,
  startLedgerApp,
} from '../support/ledger-app.js';

const FIXTURE = new URL(
  '../fixtures/masterdata/example-9.8.1-with-master-data.jsonld',
  import.meta.url,
);
const example = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

const SITE = 'https://id.gs1.org/414/0037000007296';
const DOCK = `${SITE}/254/8201`;
const STORAGE = `${SITE}/254/8202`;
const PRODUCT = 'https://id.gs1.org/01/10614141073464';
const LOT = `${PRODUCT}/10/2017A`;
const VOCABULARIES = '/epcisHeader/epcisMasterData/vocabularyList';

type CaptureJob = {
  captureID: string;
  success: boolean;
  eventCount: number;
  errors: { pointer: string; message: string; exception: string }[];
};

const vocabulary = (type: string, elements: { id: string; attributes: [string, unknown][] }[]) => ({
  type: `urn:epcglobal:epcis:vtype:${type}`,
  vocabularyElementList: elements.map(({ id, attributes }) => ({
    id,
    attributes: attributes.map(([attributeId, attribute]) => ({ id: attributeId, attribute })),
  })),
});

const withMasterData = (events: unknown[], vocabularyList: unknown[]) =>
  epcisDocument(events, { epcisHeader: { epcisMasterData: { vocabularyList } } });

describe('master data in captured EPCIS documents', () => {
  let ledger: LedgerApp;
  let otherKey: string;
  let farmId: string;
  let n = 0;
  const nextEvent = () => objectEvent(1000 + n++);

  const capture = (body: unknown, options: { key?: string; behaviour?: string } = {}) =>
    call(ledger.baseUrl, '/capture', {
      key: options.key ?? ledger.apiKey,
      body,
      headers: options.behaviour ? { 'GS1-Capture-Error-Behaviour': options.behaviour } : {},
    });
  const job = async (response: Response, key = ledger.apiKey): Promise<CaptureJob> => {
    expect(response.status).toBe(202);
    return (await (
      await call(ledger.baseUrl, response.headers.get('location')!, { key })
    ).json()) as CaptureJob;
  };
  const location = async (id: string) => {
    const response = await call(ledger.baseUrl, `/masterdata/locations/${encodeURIComponent(id)}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const versionRows = () =>
    ledger.sql<{
      record_id: string;
      version: number;
      source: string;
      capture_job_id: string | null;
      api_key_id: string | null;
    }>(
      'SELECT record_id, version, source, capture_job_id, api_key_id FROM master_data_versions ORDER BY record_id, version',
    );

  beforeAll(async () => {
    ledger = await startLedgerApp();
    farmId = (
      await ledger.sql<{ id: string }>("SELECT id FROM organizations WHERE name = 'E2E farm'")
    )[0]!.id;
    const other = await call(ledger.baseUrl, '/admin/organizations', {
      key: ledger.adminKey,
      body: { name: 'Another shipper' },
    });
    otherKey = ((await other.json()) as { apiKey: string }).apiKey;
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('a rollback capture that fails validation changes no master data', async () => {
    const list = (example.epcisHeader as { epcisMasterData: { vocabularyList: unknown[] } })
      .epcisMasterData.vocabularyList;
    const invalid = withMasterData([{ ...nextEvent(), eventTime: 'yesterday' }], list);
    expect((await problemOf(await capture(invalid))).status).toBe(400);
    expect(await versionRows()).toEqual([]);
  });

  it('the GS1 master data example (9.8.1 with CBV attributes) creates the records, source epcis', async () => {
    const captured = await job(await capture(example));
    expect(captured).toMatchObject({ success: true, eventCount: 1, errors: [] });

    const site = await location('urn:epc:id:sgln:0037000.00729.0');
    expect(site).toEqual({
      status: 200,
      body: {
        id: SITE,
        kind: 'location',
        version: 1,
        validFrom: expect.any(String),
        recordedAt: expect.any(String),
        updatedBy: { organizationId: farmId },
        source: 'epcis',
        name: 'Fancy distribution centre',
        address: {
          street: '100 Nowhere Street',
          city: 'Fancy',
          region: 'DC',
          postalCode: '99999',
          countryCode: 'US',
        },
        latitude: 18,
        longitude: -70,
      },
    });
    expect((await location(DOCK)).body).toMatchObject({ name: 'Receiving dock', source: 'epcis' });
    expect((await location(STORAGE)).body).toMatchObject({ name: 'Storage area' });
    // 8203 carries only cbvmda:sst: nothing this service keeps, so no record.
    expect((await location('urn:epc:id:sgln:0037000.00729.8203')).status).toBe(404);

    const product = await call(ledger.baseUrl, '/masterdata/products/10614141073464');
    expect(await product.json()).toMatchObject({
      id: PRODUCT,
      name: 'Acme Red Widgets',
      descriptions: { de: 'Acme Corporation kleine rote Widgets, 12 Stück' },
    });
    const lot = await call(ledger.baseUrl, '/masterdata/products/10614141073464/lots/2017A');
    expect(await lot.json()).toMatchObject({
      id: LOT,
      bestBefore: '2027-03-15',
      expirationDate: '2027-06-30',
      harvestDate: '2026-02-01',
      originCountry: 'US',
    });

    // Each version names its capture job and the capturing key.
    const rows = await versionRows();
    expect(rows.map((r) => r.record_id)).toEqual([PRODUCT, LOT, SITE, DOCK, STORAGE]);
    for (const row of rows) {
      expect(row).toMatchObject({
        version: 1,
        source: 'epcis',
        capture_job_id: captured.captureID,
      });
      expect(row.api_key_id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('the lookup a page makes finds them from the event’s identifiers', async () => {
    const response = await call(ledger.baseUrl, '/masterdata/lookup', {
      body: { ids: ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgln:0037000.00729.8201'] },
    });
    const { records } = (await response.json()) as { records: { id: string }[] };
    expect(records.map((r) => r.id)).toEqual([PRODUCT, DOCK, SITE]);
  });

  it('a later document updates what it names, keeps the rest, and adds nothing when unchanged', async () => {
    const renamed = withMasterData(
      [nextEvent()],
      [
        vocabulary('BusinessLocation', [
          {
            id: 'urn:epc:id:sgln:0037000.00729.0',
            attributes: [['cbvmda:name', 'Fancy DC (new name)']],
          },
        ]),
      ],
    );
    await job(await capture(renamed));
    const site = await location(SITE);
    expect(site.body).toMatchObject({
      version: 2,
      name: 'Fancy DC (new name)',
      address: { street: '100 Nowhere Street', city: 'Fancy' },
      latitude: 18,
    });
    const again = withMasterData(
      [nextEvent()],
      (renamed.epcisHeader as { epcisMasterData: { vocabularyList: unknown[] } }).epcisMasterData
        .vocabularyList,
    );
    await job(await capture(again));
    expect((await location(SITE)).body).toMatchObject({ version: 2 });
    expect((await versionRows()).filter((r) => r.record_id === SITE)).toHaveLength(2);
  });

  it('a PUT and the next capture write the same record, as versions of it', async () => {
    const put = await call(ledger.baseUrl, `/masterdata/locations/${encodeURIComponent(DOCK)}`, {
      method: 'PUT',
      key: ledger.apiKey,
      body: { name: 'Dock A', private: { gate: '7' } },
    });
    expect(put.status).toBe(200);
    await job(
      await capture(
        withMasterData(
          [nextEvent()],
          [
            vocabulary('ReadPoint', [
              {
                id: DOCK,
                attributes: [
                  ['cbvmda:latitude', 18.01],
                  ['cbvmda:longitude', -70.02],
                ],
              },
            ]),
          ],
        ),
      ),
    );
    const versions = await call(
      ledger.baseUrl,
      `/masterdata/locations/${encodeURIComponent(DOCK)}/versions`,
      { key: ledger.apiKey },
    );
    const body = (await versions.json()) as { versions: Record<string, unknown>[] };
    expect(body.versions.map((v) => [v.version, v.source, v.name, v.latitude])).toEqual([
      [3, 'epcis', 'Dock A', 18.01],
      [2, 'api', 'Dock A', undefined],
      [1, 'epcis', 'Receiving dock', undefined],
    ]);
    // EPCIS master data keeps the private attributes a PUT gave.
    expect(body.versions[0]).toMatchObject({ private: { gate: '7' } });
  });

  it('a rollback capture with a duplicate event changes no master data (409)', async () => {
    const event = { ...nextEvent(), eventID: 'urn:uuid:6a0f7c2e-1b5d-4c9e-8f3a-2d4b6c8e0a11' };
    await job(await capture(epcisDocument([event])));
    const before = await versionRows();
    const duplicate = withMasterData(
      [event],
      [
        vocabulary('BusinessLocation', [
          { id: SITE, attributes: [['cbvmda:name', 'Never stored']] },
        ]),
      ],
    );
    expect((await problemOf(await capture(duplicate))).status).toBe(409);
    expect(await versionRows()).toEqual(before);
    expect((await location(SITE)).body).toMatchObject({ name: 'Fancy DC (new name)' });
  });

  it('rollback: bad master data refuses the whole capture with 400 naming the attribute', async () => {
    const before = await versionRows();
    const eventsBefore = await ledger.sql('SELECT count(*) AS n FROM events');
    const bad = withMasterData(
      [nextEvent()],
      [
        vocabulary('BusinessLocation', [
          { id: DOCK, attributes: [['cbvmda:name', 'Dock B']] },
          { id: SITE, attributes: [['cbvmda:latitude', 'north']] },
        ]),
      ],
    );
    const problem = await problemOf(await capture(bad));
    expect(problem).toMatchObject({ status: 400, type: 'epcisException:ValidationException' });
    expect(problem.errors.map((e) => e.pointer)).toEqual([
      `${VOCABULARIES}/0/vocabularyElementList/1/attributes/0/attribute`,
    ]);
    expect(await versionRows()).toEqual(before);
    expect(await ledger.sql('SELECT count(*) AS n FROM events')).toEqual(eventsBefore);
  });

  it('rollback: a new location without a name refuses the capture (400 naming the element)', async () => {
    const before = await versionRows();
    const nameless = withMasterData(
      [nextEvent()],
      [
        vocabulary('BusinessLocation', [
          { id: 'urn:epc:id:sgln:0037000.00729.9', attributes: [['cbvmda:countryCode', 'US']] },
        ]),
      ],
    );
    const problem = await problemOf(await capture(nameless));
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.pointer)).toEqual([
      `${VOCABULARIES}/0/vocabularyElementList/0`,
    ]);
    expect(problem.detail).toContain('name');
    expect(await versionRows()).toEqual(before);
  });

  it('rollback: another organization’s record refuses the whole capture with 403, storing nothing', async () => {
    const before = await versionRows();
    const eventsBefore = await ledger.sql('SELECT count(*) AS n FROM events');
    const takeover = withMasterData(
      [nextEvent()],
      [vocabulary('BusinessLocation', [{ id: SITE, attributes: [['cbvmda:name', 'Hijacked']] }])],
    );
    const problem = await problemOf(await capture(takeover, { key: otherKey }));
    expect(problem).toMatchObject({
      status: 403,
      type: 'epcisException:SecurityException',
      code: 'FORBIDDEN',
    });
    expect(problem.errors).toEqual([
      {
        pointer: `${VOCABULARIES}/0/vocabularyElementList/0/id`,
        detail: expect.stringContaining('another organization'),
      },
    ]);
    expect(await versionRows()).toEqual(before);
    expect(await ledger.sql('SELECT count(*) AS n FROM events')).toEqual(eventsBefore);
  });

  it('proceed: the events and the other master data are stored; the refused elements are the job’s errors', async () => {
    const before = (await versionRows()).length;
    const mixed = withMasterData(
      [nextEvent()],
      [
        vocabulary('BusinessLocation', [
          { id: SITE, attributes: [['cbvmda:name', 'Hijacked']] },
          { id: 'urn:epc:id:sgln:0037000.00729.77', attributes: [['cbvmda:latitude', 200]] },
        ]),
        vocabulary('Party', [
          {
            id: 'urn:epc:id:pgln:9506000.13437',
            attributes: [['cbvmda:name', 'Another shipper Ltd']],
          },
        ]),
      ],
    );
    const refused = await job(
      await capture(mixed, { key: otherKey, behaviour: 'proceed' }),
      otherKey,
    );
    expect(refused).toMatchObject({ success: false, eventCount: 1 });
    expect(refused.errors).toEqual([
      {
        pointer: `${VOCABULARIES}/0/vocabularyElementList/1/attributes/0/attribute`,
        message: expect.stringContaining('latitude'),
        exception: 'ValidationException',
      },
      {
        pointer: `${VOCABULARIES}/0/vocabularyElementList/0/id`,
        message: expect.stringContaining('another organization'),
        exception: 'SecurityException',
      },
    ]);
    expect((await location(SITE)).body).toMatchObject({ name: 'Fancy DC (new name)' });
    const party = await call(ledger.baseUrl, '/masterdata/parties/9506000134376');
    expect(await party.json()).toMatchObject({ name: 'Another shipper Ltd', source: 'epcis' });
    expect((await versionRows()).length).toBe(before + 1);
  });
});
