// GET /exports/fsma204 on the full service and real PostgreSQL, with the demo's scenario 2 loaded
// over HTTP and the recalled clamshell lot PCP-4103 exported: every row is a captured event (each
// fetched by its eventID and its KDEs compared with the event's own fields, and its CTE with the
// scenario's own `tr:fsmaCte` label), the set of rows is the one the scenario says (computed here
// from the scenario's events), the XLSX parses back with exceljs into the CSV's rows, and the
// signed checkpoint verifies and covers every row's leaf index.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { epcUriToDigitalLink, type TraceBundle, verifyTraceBundle } from '@traceroot/trace';
import ExcelJS from 'exceljs';

import { loadDemo, type LoadedDemo } from '../../src/demo/load-demo.js';
import { buildDemo, type EpcisEvent } from '../../src/demo/scenarios/index.js';
import { FSMA204_COLUMNS, fsma204Rows } from '../../src/exports/fsma204.js';
import { call, type LedgerApp, problemOf, startLedgerApp } from '../support/ledger-app.js';
import { parseCsv } from '../support/csv.js';

/** A cell's value as the text a spreadsheet shows (the tests write only strings and numbers). */
const cellText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return `${value}`;
  return value === null || value === undefined ? '' : JSON.stringify(value);
};

const BASE_TIME = new Date('2026-11-27T15:00:00Z');
const demo = buildDemo(BASE_TIME);
const strawberryEvents: EpcisEvent[] = demo.captures
  .filter((c) => c.by.startsWith('berry-'))
  .flatMap((c) => c.document.epcisBody.eventList);
const LOT = demo.masterData.lots.find((l) => l.lot === 'PCP-4103')!;
const FIELD_LOT = demo.masterData.lots.find((l) => l.lot === 'SV-R12-B2')!;
const TLC = `(01)${LOT.gtin}(10)${LOT.lot}`;
const FIELD_TLC = `(01)${FIELD_LOT.gtin}(10)${FIELD_LOT.lot}`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const dl = (id: string): string => (id.startsWith('urn:epc:') ? epcUriToDigitalLink(id) : id);
const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const classes = (
  e: Record<string, unknown>,
  key: string,
): { epcClass: string; quantity?: unknown; uom?: unknown }[] =>
  list(e[key])
    .map(record)
    .map((q) => ({ ...q, epcClass: dl(String(q.epcClass)) }));

type Row = Record<(typeof FSMA204_COLUMNS)[number], string>;

/** The columns that come from the log alone (the others describe with master data). */
const MASTER_DATA_COLUMNS = new Set([
  'Product Description',
  'Location Description',
  'Ship-From Location',
  'Ship-To Location',
  'Traceability Lot Code Source',
]);
const FROM_LOG = FSMA204_COLUMNS.filter((c) => !MASTER_DATA_COLUMNS.has(c));

describe('GET /exports/fsma204 (e2e)', () => {
  let ledger: LedgerApp;
  let loaded: LoadedDemo;
  let csv: string;
  let header: string[];
  let rows: Row[];
  let proof: Map<string, string>;

  beforeAll(async () => {
    ledger = await startLedgerApp({ env: { SEAL_INTERVAL_MS: '100' } });
    loaded = await loadDemo({
      baseUrl: ledger.baseUrl,
      adminKey: ledger.adminKey,
      baseTime: BASE_TIME,
      timeoutMs: 60_000,
    });
    const response = await call(
      ledger.baseUrl,
      `/exports/fsma204?tlc=${encodeURIComponent(TLC)}&format=csv`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    csv = await response.text();
    const lines = parseCsv(csv);
    const blank = lines.findIndex((l) => l.length === 1 && l[0] === '');
    expect(blank).toBeGreaterThan(0);
    header = lines[0]!;
    rows = lines
      .slice(1, blank)
      .map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) as Row);
    expect(lines[blank + 1]).toEqual(['Proof', 'Value']);
    proof = new Map(lines.slice(blank + 2).map(([k, v]) => [k!, v ?? '']));
  }, 180_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('has the columns of the sortable spreadsheet and one row per CTE of the lot, as the scenario says', () => {
    expect(header).toEqual([...FSMA204_COLUMNS]);
    const packed = strawberryEvents.find(
      (e) =>
        e.type === 'TransformationEvent' &&
        classes(e, 'outputQuantityList').some((q) => q.epcClass.endsWith(`/10/${LOT.lot}`)),
    )!;
    const pallet = strawberryEvents.find(
      (e) =>
        e.type === 'AggregationEvent' &&
        classes(e, 'childQuantityList').some((q) => q.epcClass.endsWith(`/10/${LOT.lot}`)),
    )!;
    const fieldLot = `https://id.gs1.org/01/${FIELD_LOT.gtin}/10/${FIELD_LOT.lot}`;
    // The field lot's CTEs up to the packing of this lot, the packing itself, the pallet's trips.
    const expected = strawberryEvents
      .filter((e) => typeof e['tr:fsmaCte'] === 'string')
      .filter(
        (e) =>
          (classes(e, 'quantityList').some((q) => q.epcClass === fieldLot) &&
            Date.parse(e.eventTime) <= Date.parse(packed.eventTime)) ||
          e === packed ||
          (list(e.epcList).includes(pallet.parentID) &&
            Date.parse(e.eventTime) >= Date.parse(pallet.eventTime)),
      )
      .map((e) => [e.eventID, e['tr:fsmaCte']]);
    expect(expected).toHaveLength(9);
    expect(rows.map((r) => [r.eventID, r['Critical Tracking Event']])).toEqual(expected);
    expect(new Set(rows.map((r) => r['Critical Tracking Event']))).toEqual(
      new Set(['harvesting', 'cooling', 'shipping', 'receiving', 'initial_packing']),
    );
  });

  it('maps every row to a captured event: fetched by eventID, its KDEs follow from its fields', async () => {
    for (const row of rows) {
      const response = await call(ledger.baseUrl, `/events/${encodeURIComponent(row.eventID)}`);
      expect(response.status).toBe(200);
      const event = (await response.json()) as Record<string, unknown> & {
        ledger: { leafIndex: number; eventHashId: string; withheld: number };
      };
      expect(row['Leaf Index']).toBe(String(event.ledger.leafIndex));
      expect(row['Event Time']).toBe(event.eventTime);
      expect(row['Event Date']).toBe(String(event.eventTime).slice(0, 10)); // local date as written
      // The row names the event hash ID its leaf holds. The demo's eventIDs are the CBV 2.0
      // event hash IDs of the events as sent; an event with private fields (a purchase order) is
      // committed with a secret salt (docs/specs/privacy.md §4), so its leaf's ID differs.
      expect(row['Event Hash ID']).toBe(event.ledger.eventHashId);
      if (event.ledger.withheld === 0) expect(row['Event Hash ID']).toBe(row.eventID);
      else expect(row['Event Hash ID']).not.toBe(row.eventID);
      const tlc = row['Traceability Lot Code'];
      expect([TLC, FIELD_TLC]).toContain(tlc);
      const lotId = tlc === TLC ? `/10/${LOT.lot}` : `/10/${FIELD_LOT.lot}`;
      const quantity: { quantity?: unknown; uom?: unknown } | undefined =
        event.type === 'TransformationEvent'
          ? classes(event, 'outputQuantityList').find((q) => q.epcClass.endsWith(lotId))
          : list(event.epcList).length > 0
            ? { quantity: 960, uom: undefined } // a pallet: 960 clamshells of the lot (the packing)
            : classes(event, 'quantityList').find((q) => q.epcClass.endsWith(lotId));
      expect(row.Quantity).toBe(String(quantity!.quantity));
      const uom: unknown = quantity!.uom;
      expect(row['Unit of Measure']).toBe(typeof uom === 'string' ? uom : 'EA');
      const place =
        row['Critical Tracking Event'] === 'shipping'
          ? list(event.sourceList)
              .map(record)
              .find((s) => s.type === 'location')?.source
          : (record(event.bizLocation).id ?? record(event.readPoint).id);
      expect(row['Location GLN']).toBe(dl(String(place)).replace('https://id.gs1.org/414/', ''));
      const numbers = list(event.bizTransactionList).map((t) =>
        String(record(t).bizTransaction).split(':').at(-1),
      );
      expect(row['Reference Document Number']).toBe(numbers.join('; '));
      if (row['Critical Tracking Event'] === 'initial_packing') {
        expect(row['Input Traceability Lot Codes']).toBe(`${FIELD_TLC} 1005 LBR`);
        expect(row['Product Description']).toBe('Sunrise Berries Strawberries, 1 lb clamshell');
      }
    }
  });

  it('ends with the signed checkpoint and the TraceBundle that prove every row', () => {
    const bundle = JSON.parse(proof.get('TraceBundle (JSON)')!) as TraceBundle;
    expect(proof.get('Signed checkpoint')).toBe(bundle.checkpoint);
    const verdict = verifyTraceBundle(bundle, [ledger.verifierKey], { origin: ledger.origin });
    if (!verdict.ok) throw new Error(`${verdict.code}: ${verdict.message}`);
    expect(String(verdict.treeSize)).toBe(proof.get('Checkpoint tree size'));
    expect(proof.get('Log origin')).toBe(ledger.origin);
    const verified = new Map(verdict.entries.map((e) => [e.leafIndex, e]));
    for (const row of rows) {
      expect(row['Sealed by Checkpoint (tree size)']).toBe(String(verdict.treeSize));
      const entry = verified.get(Number(row['Leaf Index']))!;
      expect(entry.eventHashId).toBe(row['Event Hash ID']);
      expect(entry.fields.eventID).toBe(row.eventID);
    }
    expect(proof.get('Unsealed eventIDs')).toBe('');
    expect(proof.get('Rows complete')).toBe('yes');
  });

  it('lets a recipient recompute every row from the verified events alone (an edit shows)', () => {
    const bundle = JSON.parse(proof.get('TraceBundle (JSON)')!) as TraceBundle;
    const verdict = verifyTraceBundle(bundle, [ledger.verifierKey], { origin: ledger.origin });
    if (!verdict.ok) throw new Error(verdict.message);
    // The assembled event: ILMD members are committed (and verified) one by one.
    const events = verdict.entries.map((e) => ({
      ...e.event,
      ledger: { leafIndex: e.leafIndex },
    }));
    const hashIds = new Map(verdict.entries.map((e) => [e.leafIndex, e.eventHashId]));
    const lots = new Set(
      rows.map((r) => `https://id.gs1.org/01/${r.GTIN}/10/${encodeURIComponent(r.Lot)}`),
    );
    const recomputed = fsma204Rows({
      events,
      lots,
      eventHashIdOf: (e) => hashIds.get(e.ledger.leafIndex)!,
      treeSize: verdict.treeSize,
      describe: () => undefined, // master data is not in the log: those columns are not compared
    });
    const fromLog = (r: Row) => FROM_LOG.map((c) => r[c]);
    expect(recomputed.map(fromLog)).toEqual(rows.map(fromLog));
    const edited = rows.map((r, i) => (i === 5 ? { ...r, Quantity: '96' } : r));
    expect(recomputed.map(fromLog)).not.toEqual(edited.map(fromLog));
  });

  it('serves the same rows as XLSX (format=xlsx or Accept), with the proof on a second sheet', async () => {
    for (const request of [
      `/exports/fsma204?tlc=${encodeURIComponent(TLC)}&format=xlsx`,
      `/exports/fsma204?tlc=${encodeURIComponent(TLC)}`,
    ]) {
      const response = await call(ledger.baseUrl, request, { headers: { accept: XLSX } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(XLSX);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const sheet = workbook.getWorksheet('FSMA 204')!;
      const values: string[][] = [];
      sheet.eachRow((row) => {
        values.push(
          FSMA204_COLUMNS.map((_, i) => {
            const value = row.getCell(i + 1).value;
            return cellText(value);
          }),
        );
      });
      expect(values[0]).toEqual([...FSMA204_COLUMNS]);
      expect(values.slice(1)).toEqual(rows.map((r) => FSMA204_COLUMNS.map((c) => r[c])));
      const proofSheet = workbook.getWorksheet('Proof')!;
      const pairs = new Map<string, string>();
      proofSheet.eachRow((row) =>
        pairs.set(cellText(row.getCell(1).value), cellText(row.getCell(2).value)),
      );
      const bundleParts = [...pairs]
        .filter(([k]) => k.startsWith('TraceBundle (JSON)'))
        .map(([, v]) => v)
        .join('');
      expect(JSON.parse(bundleParts)).toEqual(JSON.parse(proof.get('TraceBundle (JSON)')!));
      expect(pairs.get('Signed checkpoint')).toBe(proof.get('Signed checkpoint'));
    }
  });

  it('exports a GTIN over a date range: the rows of its lots in the range', async () => {
    const day = (iso: string) => iso.slice(0, 10);
    const packing = rows.find((r) => r['Critical Tracking Event'] === 'initial_packing')!;
    const from = day(new Date(Date.parse(packing['Event Time']) - 86_400_000).toISOString());
    const to = day(new Date(Date.parse(packing['Event Time']) + 5 * 86_400_000).toISOString());
    const response = await call(
      ledger.baseUrl,
      `/exports/fsma204?gtin=${LOT.gtin}&from=${from}&to=${to}`,
      { headers: { accept: 'text/csv' } },
    );
    expect(response.status).toBe(200);
    const lines = parseCsv(await response.text());
    const blank = lines.findIndex((l) => l.length === 1 && l[0] === '');
    const gtinRows = lines
      .slice(1, blank)
      .map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]!])) as Row);
    // Every clamshell lot packed, each with its packing and its pallets' trips; no field lot.
    expect(new Set(gtinRows.map((r) => r.Lot))).toEqual(
      new Set(['PCP-4101', 'PCP-4102', 'PCP-4103', 'PCP-4104']),
    );
    expect(gtinRows.every((r) => r.GTIN === LOT.gtin)).toBe(true);
    const ours = gtinRows.filter((r) => r.Lot === LOT.lot).map((r) => r.eventID);
    expect(ours).toEqual(rows.filter((r) => r.Lot === LOT.lot).map((r) => r.eventID));
  });

  it.each([
    ['no parameter', '', 'tlc'],
    ['tlc and gtin', `tlc=${encodeURIComponent(TLC)}&gtin=${LOT.gtin}`, 'gtin'],
    ['a tlc that names no lot', `tlc=${encodeURIComponent(`/01/${LOT.gtin}`)}`, 'tlc'],
    ['a malformed tlc', 'tlc=%2801%2912', 'tlc'],
    ['a gtin without from', `gtin=${LOT.gtin}&to=2026-12-01`, 'from'],
    ['a bad date', `gtin=${LOT.gtin}&from=2026-13-01&to=2026-12-01`, 'from'],
    ['to before from', `gtin=${LOT.gtin}&from=2026-12-01&to=2026-11-01`, 'to'],
    ['a bad gtin', 'gtin=123&from=2026-11-01&to=2026-12-01', 'gtin'],
    ['an unknown format', `tlc=${encodeURIComponent(TLC)}&format=pdf`, 'format'],
  ])('refuses %s with 400 naming the parameter', async (_case, query, name) => {
    const response = await call(ledger.baseUrl, `/exports/fsma204?${query}`);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.detail).toContain(name);
  });

  it('answers 404 for a lot no event names and 406 for an Accept it cannot serve', async () => {
    const unknown = await call(
      ledger.baseUrl,
      `/exports/fsma204?tlc=${encodeURIComponent(`(01)${LOT.gtin}(10)NO-SUCH-LOT`)}`,
    );
    expect(unknown.status).toBe(404);
    await problemOf(unknown);
    const pdf = await call(ledger.baseUrl, `/exports/fsma204?tlc=${encodeURIComponent(TLC)}`, {
      headers: { accept: 'application/pdf' },
    });
    expect(pdf.status).toBe(406);
    await problemOf(pdf);
    expect(loaded.treeSize).toBeGreaterThan(0);
  });
});

describe('GET /exports/fsma204 before and after the seal (e2e)', () => {
  let ledger: LedgerApp;
  const FIELD = 'urn:epc:class:lgtin:0614141.020001.NEW-1';
  const RANCH = 'urn:epc:id:sgln:0614141.00012.0';
  const tlc = encodeURIComponent('urn:epc:class:lgtin:0614141.020001.NEW-1');

  const exportRows = async () => {
    const response = await call(ledger.baseUrl, `/exports/fsma204?tlc=${tlc}`);
    expect(response.status).toBe(200);
    const lines = parseCsv(await response.text());
    const blank = lines.findIndex((l) => l.length === 1 && l[0] === '');
    const header = lines[0]!;
    return {
      rows: lines
        .slice(1, blank)
        .map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]!])) as Row),
      proof: new Map(lines.slice(blank + 2).map(([k, v]) => [k!, v ?? ''])),
    };
  };

  beforeAll(async () => {
    ledger = await startLedgerApp(); // the sealer's timer is off: seal() seals
    const capture = await call(ledger.baseUrl, '/capture', {
      key: ledger.apiKey,
      body: {
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2026-05-02T00:00:00.000Z',
        epcisBody: {
          eventList: [
            {
              type: 'ObjectEvent',
              eventTime: '2026-05-01T09:40:00.000-07:00',
              eventTimeZoneOffset: '-07:00',
              epcList: [],
              quantityList: [{ epcClass: FIELD, quantity: 800, uom: 'KGM' }],
              action: 'ADD',
              bizStep: 'commissioning',
              bizLocation: { id: RANCH },
              ilmd: { 'cbvmda:harvestStartDate': '2026-05-01' },
            },
            {
              type: 'ObjectEvent',
              eventTime: '2026-05-01T15:00:00.000-07:00',
              eventTimeZoneOffset: '-07:00',
              epcList: [],
              quantityList: [{ epcClass: FIELD, quantity: 800, uom: 'KGM' }],
              action: 'OBSERVE',
              bizStep: 'shipping',
              readPoint: { id: RANCH },
            },
          ],
        },
      },
    });
    expect(capture.status).toBe(202);
  }, 60_000);

  afterAll(async () => {
    await ledger?.close();
  });

  it('marks rows no checkpoint covers UNSEALED and lists them; after the seal, proves them', async () => {
    const before = await exportRows();
    expect(before.rows.map((r) => r['Critical Tracking Event'])).toEqual([
      'harvesting',
      'shipping',
    ]);
    expect(before.rows.map((r) => r['Sealed by Checkpoint (tree size)'])).toEqual([
      'UNSEALED',
      'UNSEALED',
    ]);
    expect(before.proof.get('Unsealed eventIDs')).toBe(before.rows.map((r) => r.eventID).join(' '));
    expect(before.proof.get('TraceBundle (JSON)')).toBe('');
    expect(before.proof.get('Signed checkpoint')).toBe('');

    await ledger.seal();
    const after = await exportRows();
    expect(after.rows.map((r) => r.eventID)).toEqual(before.rows.map((r) => r.eventID));
    // The event hash IDs computed for the unsealed rows are the ones the leaves commit to.
    expect(after.rows.map((r) => r['Event Hash ID'])).toEqual(
      before.rows.map((r) => r['Event Hash ID']),
    );
    const bundle = JSON.parse(after.proof.get('TraceBundle (JSON)')!) as TraceBundle;
    const verdict = verifyTraceBundle(bundle, [ledger.verifierKey], { origin: ledger.origin });
    if (!verdict.ok) throw new Error(verdict.message);
    expect(after.rows.map((r) => r['Sealed by Checkpoint (tree size)'])).toEqual([
      String(verdict.treeSize),
      String(verdict.treeSize),
    ]);
    expect(after.proof.get('Unsealed eventIDs')).toBe('');
  });
});
