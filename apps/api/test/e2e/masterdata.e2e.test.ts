// Versioned master data over HTTP on the full service and a real PostgreSQL: PUT / GET / ?at= /
// versions / lookup, ownership, scopes, private attributes, and 400s that store nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink } from '@traceroot/trace';

import {
  MasterDataRepository,
  RECORD_LOCK_BUCKETS,
} from '../../src/masterdata/masterdata.repository.js';
import { call, type LedgerApp, problemOf, startLedgerApp } from '../support/ledger-app.js';

const GTIN13 = '9506000134352';
const GTIN14 = '09506000134352';
const PRODUCT_ID = `https://id.gs1.org/01/${GTIN14}`;
const GLN = '0037000007296'; // urn:epc:id:sgln:0037000.00729.0
const PGLN = '9506000134376';

type Version = Record<string, unknown> & {
  id: string;
  kind: string;
  version: number;
  validFrom: string;
  source: string;
  updatedBy: { organizationId: string };
};

const enc = encodeURIComponent;

describe('master data: /masterdata', () => {
  let ledger: LedgerApp;
  /** The organization of ledger.apiKey ("E2E farm"), and a second one. */
  let farmId: string;
  let otherKey: string;

  /** `key` null: no Authorization header. */
  const put = (path: string, body: unknown, key: string | null = ledger.apiKey) =>
    call(ledger.baseUrl, `/masterdata/${path}`, { method: 'PUT', body, ...(key ? { key } : {}) });
  const get = (path: string, key?: string) =>
    call(ledger.baseUrl, `/masterdata/${path}`, key ? { key } : {});
  const json = async <T = Version>(response: Response, status: number): Promise<T> => {
    const text = await response.text();
    expect([response.status, text]).toEqual([status, expect.any(String)]);
    return JSON.parse(text) as T;
  };
  const count = async (table: string): Promise<number> =>
    Number((await ledger.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

  beforeAll(async () => {
    ledger = await startLedgerApp();
    const [farm] = await ledger.sql<{ id: string }>(
      "SELECT id FROM organizations WHERE name = 'E2E farm'",
    );
    farmId = farm!.id;
    const other = await call(ledger.baseUrl, '/admin/organizations', {
      key: ledger.adminKey,
      body: { name: 'Counterfeit Traders' },
    });
    otherKey = ((await other.json()) as { apiKey: string }).apiKey;
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  describe('products', () => {
    const baijiu = {
      name: 'Sichuan Baijiu 52%',
      names: { en: 'Sichuan Baijiu 52%', 'zh-Hans': '四川白酒 52%' },
      brand: 'Jinjiang',
      description: 'Strong-aroma baijiu, 500 ml',
      imageUrl: 'https://cdn.example.com/baijiu.png',
      category: 'Spirits',
    };
    let first: Version;

    it('PUT creates the first version (201) under the canonical GTIN-14 Digital Link', async () => {
      const response = await put(`products/${GTIN13}`, { ...baijiu, private: { cost: 41.5 } });
      first = await json(response, 201);
      expect(response.headers.get('location')).toBe(`/masterdata/products/${GTIN13}`);
      expect(first).toEqual({
        id: PRODUCT_ID,
        kind: 'product',
        version: 1,
        validFrom: expect.any(String),
        recordedAt: expect.any(String),
        updatedBy: { organizationId: farmId },
        source: 'api',
        ...baijiu,
        private: { cost: 41.5 },
      });
      // The key the events' identifier index uses for the same GTIN.
      expect(first.id).toBe(epcUriToDigitalLink('urn:epc:idpat:sgtin:9506000.013435.*'));
    });

    it('GET is public; private attributes go to the owning organization only', async () => {
      const anonymous = await json(await get(`products/${GTIN14}`), 200);
      expect(anonymous).toEqual({ ...first, private: undefined });
      expect(anonymous).not.toHaveProperty('private');
      expect(await json(await get(`products/${GTIN14}`, otherKey), 200)).not.toHaveProperty(
        'private',
      );
      expect(await json(await get(`products/${GTIN13}`, ledger.apiKey), 200)).toEqual(first);
    });

    it('stores who wrote the version: organization and API key', async () => {
      const rows = await ledger.sql<{ organization_id: string; api_key_id: string }>(
        'SELECT organization_id, api_key_id FROM master_data_versions WHERE record_id = $1',
        [PRODUCT_ID],
      );
      const keyId = ledger.apiKey.slice(4, 36).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
      expect(rows).toEqual([{ organization_id: farmId, api_key_id: keyId }]);
    });

    it('an unchanged body adds no version (200, the same version)', async () => {
      const again = await json(
        await put(`products/${GTIN14}`, { ...baijiu, private: { cost: 41.5 } }),
        200,
      );
      expect(again).toEqual(first);
      expect(await count('master_data_versions')).toBe(1);
    });

    it('a changed body adds a version; ?at= answers the one valid then; /versions lists all', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await json(
        await put(`products/${GTIN13}`, { ...baijiu, name: 'Sichuan Baijiu 53%' }),
        200,
      );
      expect(second).toMatchObject({ version: 2, name: 'Sichuan Baijiu 53%' });
      expect(second).not.toHaveProperty('private'); // PUT replaces everything, private included
      expect(Date.parse(second.validFrom)).toBeGreaterThan(Date.parse(first.validFrom));

      expect(await json(await get(`products/${GTIN13}`), 200)).toMatchObject({ version: 2 });
      const at = (iso: string) => get(`products/${GTIN13}?at=${enc(iso)}`);
      expect(await json(await at(first.validFrom), 200)).toMatchObject({ version: 1 });
      expect(await json(await at(second.validFrom), 200)).toMatchObject({ version: 2 });
      const before = new Date(Date.parse(first.validFrom) - 1).toISOString();
      const missing = await problemOf(await at(before));
      expect(missing).toMatchObject({
        status: 404,
        type: 'epcisException:NoSuchResourceException',
      });

      const versions = await json<{ id: string; kind: string; versions: Version[] }>(
        await get(`products/${GTIN13}/versions`),
        200,
      );
      expect(versions.id).toBe(PRODUCT_ID);
      expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
      expect(versions.versions[1]).not.toHaveProperty('private');
      const owned = await json<{ versions: Version[] }>(
        await get(`products/${GTIN13}/versions`, ledger.apiKey),
        200,
      );
      expect(owned.versions[1]).toMatchObject({ private: { cost: 41.5 } });
    });

    it('validFrom backdates a version, which ?at= then finds; the current one stays', async () => {
      const backdated = await json(
        await put(`products/${GTIN13}`, {
          ...baijiu,
          name: 'Sichuan Baijiu (2025 label)',
          validFrom: '2025-06-01T00:00:00+08:00',
        }),
        200,
      );
      expect(backdated).toMatchObject({ version: 3, validFrom: '2025-05-31T16:00:00.000Z' });
      expect(await json(await get(`products/${GTIN13}`), 200)).toMatchObject({ version: 2 });
      const then = await json(await get(`products/${GTIN13}?at=2025-12-31T23:59:59Z`), 200);
      expect(then).toMatchObject({ version: 3, name: 'Sichuan Baijiu (2025 label)' });
      // An unencoded "+" arrives as a space: still read as the offset.
      expect(
        await json(await get(`products/${GTIN13}?at=2025-06-01T00:00:00+08:00`), 200),
      ).toMatchObject({
        version: 3,
      });
      expect(
        await problemOf(await get(`products/${GTIN13}?at=2025-05-31T15:59:59Z`)),
      ).toMatchObject({
        status: 404,
      });
    });

    it('refuses a validFrom in the future (400 naming /validFrom), storing nothing', async () => {
      const before = await count('master_data_versions');
      const problem = await problemOf(
        await put(`products/${GTIN13}`, { ...baijiu, validFrom: '2999-01-01T00:00:00Z' }),
      );
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problem.errors.map((e) => e.pointer)).toEqual(['/validFrom']);
      expect(await count('master_data_versions')).toBe(before);
    });

    it.each([
      ['not ISO 8601', 'yesterday'],
      ['without an offset', '2026-03-01T08:00:00'],
      ['an impossible date', '2026-02-30'],
    ])('answers ?at= %s with 400 QueryParameterException', async (_case, value) => {
      const problem = await problemOf(await get(`products/${GTIN13}?at=${enc(value)}`));
      expect(problem).toMatchObject({
        status: 400,
        type: 'epcisException:QueryParameterException',
      });
      expect(problem.detail).toContain('at must be');
    });
  });

  describe('who may write', () => {
    it('refuses another organization with 403 SecurityException and stores nothing', async () => {
      const before = await count('master_data_versions');
      const problem = await problemOf(
        await put(`products/${GTIN13}`, { name: 'Fake Baijiu' }, otherKey),
      );
      expect(problem).toMatchObject({
        status: 403,
        type: 'epcisException:SecurityException',
        code: 'FORBIDDEN',
      });
      expect(problem.detail).toContain('another organization');
      expect(await count('master_data_versions')).toBe(before);
      expect(await json(await get(`products/${GTIN13}`), 200)).not.toMatchObject({
        name: 'Fake Baijiu',
      });
    });

    it('needs an API key (401) of an organization (403) with the capture scope (403)', async () => {
      expect((await problemOf(await put(`parties/${PGLN}`, { name: 'X' }, null))).status).toBe(401);
      const admin = await problemOf(await put(`parties/${PGLN}`, { name: 'X' }, ledger.adminKey));
      expect(admin).toMatchObject({ status: 403, type: 'epcisException:SecurityException' });

      const created = await call(ledger.baseUrl, '/admin/organizations', {
        key: ledger.adminKey,
        body: { name: 'Read-only Retail' },
      });
      const { apiKey, keyId } = (await created.json()) as { apiKey: string; keyId: string };
      await ledger.sql("UPDATE api_keys SET scopes = '{query}' WHERE id = $1", [keyId]);
      const readOnly = await problemOf(await put(`parties/${PGLN}`, { name: 'X' }, apiKey));
      expect(readOnly).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(readOnly.detail).toContain('capture scope');
      expect(await count("master_data_records WHERE kind = 'party'")).toBe(0);
    });
  });

  describe('bad input: 400 naming the field, nothing stored', () => {
    it.each([
      ['products/09506000134369', {}, ['/name']],
      ['products/09506000134369', { name: '  ' }, ['/name']],
      [
        'products/09506000134369',
        { name: 'X', imageUrl: 'ftp://example.com/x.png' },
        ['/imageUrl'],
      ],
      ['products/09506000134369', { name: 'X', names: { 'not a tag': 'x' } }, ['/names/not a tag']],
      ['products/09506000134369', { name: 'X', colour: 'red' }, ['/colour']],
      ['products/09506000134369', { name: 'X', private: 'secret' }, ['/private']],
      [
        'products/09506000134369',
        { name: 'X', private: { blob: 'x'.repeat(17_000) } },
        ['/private'],
      ],
      ['products/09506000134369', { name: 'X\u0000' }, ['/name']],
      [`products/${GTIN13}/lots/L1`, { bestBefore: '2026-02-30' }, ['/bestBefore']],
      [`products/${GTIN13}/lots/L1`, { harvestDate: '01/03/2026' }, ['/harvestDate']],
      [`products/${GTIN13}/lots/L1`, { originCountry: 'XX' }, ['/originCountry']],
      [`products/${GTIN13}/lots/L1`, { originCountry: 'cn' }, ['/originCountry']],
      [`locations/${GLN}`, { name: 'Depot', latitude: 91, longitude: 0 }, ['/latitude']],
      [`locations/${GLN}`, { name: 'Depot', latitude: 30 }, ['/longitude']],
      [
        `locations/${GLN}`,
        { name: 'Depot', address: { countryCode: 'China' } },
        ['/address/countryCode'],
      ],
      [`locations/${GLN}`, { name: 'Depot', owningParty: '9506000134377' }, ['/owningParty']],
      [`parties/${PGLN}`, { name: 'P', contactUrl: 'javascript:alert(1)' }, ['/contactUrl']],
    ])('PUT /masterdata/%s (case %#)', async (path, body, pointers) => {
      const before = await count('master_data_versions');
      const problem = await problemOf(await put(path, body));
      expect(problem).toMatchObject({
        status: 400,
        type: 'epcisException:ValidationException',
        code: 'VALIDATION_FAILED',
      });
      expect(problem.errors.map((e) => e.pointer)).toEqual(pointers);
      expect(await count('master_data_versions')).toBe(before);
    });

    it.each([
      ['products/09506000134353', 'a wrong check digit'],
      ['products/123', 'too short'],
      [`products/${GTIN13}/lots/${enc('lot with spaces')}`, 'a lot outside CSET 82'],
      [`products/${GTIN13}/lots/${'L'.repeat(21)}`, 'a lot of 21 characters'],
      [`locations/${enc('urn:epc:id:sgtin:9506000.013435.1')}`, 'an SGTIN as a location'],
      ['locations/0037000007297', 'a GLN with a wrong check digit'],
      ['parties/95060001343', 'a short PGLN'],
    ])('answers a path with %s (%s) with 400, storing nothing', async (path) => {
      const problem = await problemOf(
        await put(path, path.includes('/lots/') ? {} : { name: 'X' }),
      );
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problem.detail).toMatch(/^the path names no /);
      expect((await problemOf(await get(path))).status).toBe(400);
    });

    it('stored no record in all of that', async () => {
      expect(
        await ledger.sql('SELECT id FROM master_data_records WHERE id <> $1 ORDER BY id', [
          PRODUCT_ID,
        ]),
      ).toEqual([]);
    });
  });

  describe('lots, locations and parties', () => {
    const LOT = 'L-2026/03'; // a "/" travels percent-encoded in the path
    const LOT_ID = `${PRODUCT_ID}/10/L-2026%2F03`;

    it('a lot is keyed like the events index an LGTIN, and read back by its encoded path', async () => {
      const body = {
        productionDate: '2026-03-01',
        harvestDate: '2025-09-20',
        bestBefore: '2036-03-01',
        originCountry: 'CN',
        names: { en: 'Spring 2026 bottling' },
        description: 'Bottled in Yibin',
      };
      const created = await json(await put(`products/${GTIN13}/lots/${enc(LOT)}`, body), 201);
      expect(created).toMatchObject({ id: LOT_ID, kind: 'lot', version: 1, ...body });
      expect(LOT_ID).toBe(epcUriToDigitalLink('urn:epc:class:lgtin:9506000.013435.L-2026%2F03'));
      expect(await json(await get(`products/${GTIN14}/lots/${enc(LOT)}`), 200)).toEqual(created);
      expect(
        (
          await json<{ versions: unknown[] }>(
            await get(`products/${GTIN14}/lots/${enc(LOT)}/versions`),
            200,
          )
        ).versions,
      ).toHaveLength(1);
      expect((await problemOf(await get(`products/${GTIN14}/lots/OTHER`))).status).toBe(404);
    });

    it('a location is one record whether named by GLN, SGLN (extension 0) or Digital Link', async () => {
      const body = {
        name: 'Yibin distillery',
        names: { 'zh-Hans': '宜宾酒厂' },
        address: {
          street: '1 Minjiang Rd',
          city: 'Yibin',
          region: 'Sichuan',
          postalCode: '644000',
          countryCode: 'CN',
        },
        latitude: 28.77,
        longitude: 104.63,
        owningParty: PGLN,
      };
      const created = await json(await put(`locations/${GLN}`, body), 201);
      expect(created).toMatchObject({
        id: `https://id.gs1.org/414/${GLN}`,
        kind: 'location',
        ...body,
      });
      for (const id of [
        'urn:epc:id:sgln:0037000.00729.0',
        `https://id.gs1.org/414/${GLN}`,
        `https://example.com/shop/414/${GLN}?linkType=gs1:pip`,
      ]) {
        expect(await json(await get(`locations/${enc(id)}`), 200)).toEqual(created);
      }
      const sub = await json(
        await put(`locations/${enc('urn:epc:id:sgln:0037000.00729.8201')}`, {
          name: 'Bottling line 1',
        }),
        201,
      );
      expect(sub.id).toBe(`https://id.gs1.org/414/${GLN}/254/8201`);
      expect(
        await json(await get(`locations/${enc(`https://id.gs1.org/414/${GLN}/254/8201`)}`), 200),
      ).toEqual(sub);
    });

    it('a party, by its PGLN', async () => {
      const created = await json(
        await put(`parties/${PGLN}`, {
          name: 'Yibin Distillers Ltd',
          contactUrl: 'mailto:info@example.com',
        }),
        201,
      );
      expect(created).toMatchObject({
        id: `https://id.gs1.org/417/${PGLN}`,
        kind: 'party',
        version: 1,
      });
      expect(await json(await get(`parties/${PGLN}`), 200)).toEqual(created);
      expect((await problemOf(await get('parties/9506000134383'))).status).toBe(404);
    });
  });

  describe('POST /masterdata/lookup', () => {
    const lookup = (body: unknown, key?: string) =>
      call(ledger.baseUrl, '/masterdata/lookup', { body, ...(key ? { key } : {}) });

    it('answers every version of every record describing the ids, in one call, publicly', async () => {
      const response = await lookup(
        {
          ids: [
            `https://id.gs1.org/01/${GTIN14}/10/${enc('L-2026/03')}/21/0001`, // a bottle
            'urn:epc:id:sgln:0037000.00729.8201', // a read point (sub-location)
            'urn:epc:id:pgln:9506000.13437',
            'https://id.gs1.org/01/09506000134369', // no master data
            'urn:example:private:thing', // no GS1 key
            'not an identifier at all',
          ],
        },
        ledger.apiKey,
      );
      const { records } = await json<{
        records: { id: string; kind: string; versions: Record<string, unknown>[] }[];
      }>(response, 200);
      expect(records.map((r) => [r.id, r.kind])).toEqual([
        [PRODUCT_ID, 'product'],
        [`${PRODUCT_ID}/10/L-2026%2F03`, 'lot'],
        [`https://id.gs1.org/414/${GLN}/254/8201`, 'location'],
        [`https://id.gs1.org/414/${GLN}`, 'location'],
        [`https://id.gs1.org/417/${PGLN}`, 'party'],
      ]);
      const product = records[0]!;
      expect(product.versions.map((v) => v.version)).toEqual([3, 2, 1]);
      expect(product.versions[2]).toEqual({
        version: 1,
        validFrom: expect.any(String),
        source: 'api',
        attributes: expect.objectContaining({ name: 'Sichuan Baijiu 52%', brand: 'Jinjiang' }),
      });
      // Public attributes only, even to the owner's key.
      expect(JSON.stringify(records)).not.toContain('cost');
    });

    it.each([
      [{}, '/ids'],
      [{ ids: 'x' }, '/ids'],
      [{ ids: [1] }, '/ids/0'],
      [{ ids: Array.from({ length: 501 }, (_, i) => `urn:x:${i}`) }, '/ids'],
      [{ ids: [], extra: true }, '/extra'],
    ])('refuses body %# with 400 naming the field', async (body, pointer) => {
      const problem = await problemOf(await lookup(body));
      expect(problem.status).toBe(400);
      expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
    });

    it('takes 500 ids', async () => {
      const ids = Array.from({ length: 500 }, (_, i) => (i === 499 ? PRODUCT_ID : `urn:x:${i}`));
      const { records } = await json<{ records: { id: string }[] }>(await lookup({ ids }), 200);
      expect(records.map((r) => r.id)).toEqual([PRODUCT_ID]);
    });
  });

  describe('the API description', () => {
    it('/openapi.json lists the master data operations, writes secured, reads public', async () => {
      const document = (await (await fetch(`${ledger.baseUrl}/openapi.json`)).json()) as {
        paths: Record<
          string,
          Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
        >;
      };
      const expected: [string, string, boolean, string[]][] = [
        ['/masterdata/products/{gtin}', 'put', true, ['200', '201', '400', '401', '403']],
        ['/masterdata/products/{gtin}', 'get', false, ['200', '400', '404']],
        ['/masterdata/products/{gtin}/versions', 'get', false, ['200', '404']],
        ['/masterdata/products/{gtin}/lots/{lot}', 'put', true, ['200', '201', '400', '403']],
        ['/masterdata/products/{gtin}/lots/{lot}', 'get', false, ['200', '404']],
        ['/masterdata/products/{gtin}/lots/{lot}/versions', 'get', false, ['200', '404']],
        ['/masterdata/locations/{id}', 'put', true, ['200', '201', '400', '403']],
        ['/masterdata/locations/{id}', 'get', false, ['200', '404']],
        ['/masterdata/locations/{id}/versions', 'get', false, ['200', '404']],
        ['/masterdata/parties/{pgln}', 'put', true, ['200', '201', '400', '403']],
        ['/masterdata/parties/{pgln}', 'get', false, ['200', '404']],
        ['/masterdata/parties/{pgln}/versions', 'get', false, ['200', '404']],
        ['/masterdata/lookup', 'post', false, ['200', '400']],
      ];
      for (const [path, method, secured, statuses] of expected) {
        const operation = document.paths[path]?.[method];
        expect([path, method, operation !== undefined]).toEqual([path, method, true]);
        expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(statuses));
        if (secured) expect(operation!.security).toEqual([{ 'api-key': [] }]);
        else expect(operation!.security ?? []).toEqual([]);
      }
    });
  });

  describe('locking', () => {
    it('locks any number of records with a bounded number of advisory locks', async () => {
      // One advisory lock per record (the first design) ran PostgreSQL out of its shared lock
      // table (max_locks_per_transaction × max_connections: 6,400 by default) at this size.
      const repository = ledger.app.get(MasterDataRepository);
      const ids = Array.from(
        { length: 20_000 },
        (_, i) => `https://id.gs1.org/414/${String(i).padStart(13, '0')}`,
      );
      const held = await repository.transaction(async (tx) => {
        await repository.lockRecords(ids, tx);
        const [row] = await tx.$queryRawUnsafe<{ n: string }[]>(
          "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
        );
        return Number(row!.n);
      });
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThanOrEqual(RECORD_LOCK_BUCKETS);
    });
  });
});
