// The spreadsheet files (fsma204-file.ts): RFC 4180 quoting in the CSV, the proof section after an
// empty line, and the XLSX read back with exceljs (rows, numbers, the proof sheet, long values in
// parts).
import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';

import { FSMA204_COLUMNS, type Fsma204Row } from './fsma204.js';
import {
  type Fsma204Proof,
  fsma204Csv,
  fsma204Xlsx,
  PROOF_SHEET,
  ROWS_SHEET,
  XLSX_CELL_MAX,
} from './fsma204-file.js';

/** A cell's value as the text a spreadsheet shows (the tests write only strings and numbers). */
const cellText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return `${value}`;
  return value === null || value === undefined ? '' : JSON.stringify(value);
};

const load = async (file: Buffer): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(
    file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
  );
  return workbook;
};

const row = (overrides: Partial<Fsma204Row>): Fsma204Row => ({
  ...(Object.fromEntries(FSMA204_COLUMNS.map((c) => [c, ''])) as Fsma204Row),
  ...overrides,
});

const ROWS = [
  row({
    'Critical Tracking Event': 'shipping',
    'Product Description': 'Berries, "premium", 1 lb',
    'Location Description': 'Line one\nline two',
    Quantity: '960',
    'Leaf Index': '48',
    'Sealed by Checkpoint (tree size)': '66',
  }),
  row({ 'Critical Tracking Event': 'receiving', Quantity: '2.5', 'Leaf Index': '49' }),
];

const PROOF: Fsma204Proof = {
  origin: 'example.test/log',
  checkpoint: 'example.test/log\n66\nAAAA\n\n— example.test/log sig\n',
  treeSize: 66,
  bundle: JSON.stringify({ checkpoint: 'x', entries: [] }),
  unsealed: ['urn:uuid:1', 'urn:uuid:2'],
  query: 'tlc=(01)00778899100162(10)PCP-4103',
  generatedAt: '2026-11-27T18:00:00.000Z',
  truncated: false,
};

describe('fsma204Csv', () => {
  const csv = fsma204Csv(ROWS, PROOF);

  it('quotes fields with commas, quotes and line breaks (RFC 4180), CRLF between records', () => {
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(FSMA204_COLUMNS.join(','));
    expect(lines[1]).toContain('"Berries, ""premium"", 1 lb"');
    expect(csv).toContain('"Line one\nline two"');
  });

  it('ends with an empty line, then the proof section', () => {
    const [rows, proof] = csv.split('\r\n\r\n');
    expect(
      rows!.split('\r\n').filter((l) => l.startsWith('shipping') || l.startsWith('receiving')),
    ).toHaveLength(2);
    expect(proof!.startsWith('Proof,Value\r\nExport,tlc=(01)00778899100162(10)PCP-4103\r\n')).toBe(
      true,
    );
    expect(proof).toContain('Unsealed eventIDs,urn:uuid:1 urn:uuid:2\r\n');
    expect(proof).toContain(
      'Signed checkpoint,"example.test/log\n66\nAAAA\n\n— example.test/log sig\n"',
    );
  });
});

describe('fsma204Xlsx', () => {
  it('reads back with exceljs: the rows (numbers as numbers) and the proof sheet', async () => {
    const workbook = await load(await fsma204Xlsx(ROWS, PROOF));
    const sheet = workbook.getWorksheet(ROWS_SHEET)!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Critical Tracking Event');
    const quantity = FSMA204_COLUMNS.indexOf('Quantity') + 1;
    expect(sheet.getRow(2).getCell(quantity).value).toBe(960);
    expect(sheet.getRow(3).getCell(quantity).value).toBe(2.5);
    expect(sheet.getRow(2).getCell(5).value).toBe('Berries, "premium", 1 lb');
    expect(sheet.rowCount).toBe(3);
    const proof = workbook.getWorksheet(PROOF_SHEET)!;
    const pairs = new Map<string, unknown>();
    proof.eachRow((r) => pairs.set(cellText(r.getCell(1).value), r.getCell(2).value));
    expect(pairs.get('Signed checkpoint')).toBe(PROOF.checkpoint);
    expect(pairs.get('Checkpoint tree size')).toBe('66');
  });

  it('splits a value longer than a cell holds into parts that join back', async () => {
    const bundle = 'x'.repeat(XLSX_CELL_MAX * 2 + 5);
    const workbook = await load(await fsma204Xlsx(ROWS, { ...PROOF, bundle }));
    const parts: [string, string][] = [];
    workbook.getWorksheet(PROOF_SHEET)!.eachRow((r) => {
      const key = cellText(r.getCell(1).value);
      if (key.startsWith('TraceBundle (JSON)')) parts.push([key, cellText(r.getCell(2).value)]);
    });
    expect(parts.map(([k]) => k)).toEqual([
      'TraceBundle (JSON) (part 1/3)',
      'TraceBundle (JSON) (part 2/3)',
      'TraceBundle (JSON) (part 3/3)',
    ]);
    expect(parts.map(([, v]) => v).join('')).toBe(bundle);
  });
});
