// The FSMA 204 sortable spreadsheet as a file: CSV (RFC 4180, csv-stringify) or XLSX (exceljs).
// The rows come first; then what proves them (docs/specs/fsma204.md, "Checking an export"): in the
// CSV after one empty line, in the XLSX on a second sheet.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

import { FSMA204_COLUMNS, type Fsma204Row } from './fsma204.js';

export const CSV_MEDIA_TYPE = 'text/csv';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const ROWS_SHEET = 'FSMA 204';
export const PROOF_SHEET = 'Proof';

/** The first cell of the proof section's header row (CSV) and of the proof sheet. */
export const PROOF_HEADER = ['Proof', 'Value'] as const;

/** What a recipient needs to check that no row was edited. */
export type Fsma204Proof = {
  /** The log's origin (the checkpoint's first line), or '' when nothing is sealed. */
  origin: string;
  /** The signed checkpoint (C2SP signed note) every sealed row's proof is at; '' when none. */
  checkpoint: string;
  treeSize: number | null;
  /** The TraceBundle (JSON) of the rows' sealed events: verifyTraceBundle checks it. */
  bundle: string;
  /** The rows' events no checkpoint covers yet (their rows say UNSEALED). */
  unsealed: readonly string[];
  /** What was exported, e.g. `tlc=(01)…(10)…`. */
  query: string;
  generatedAt: string;
  /** The trace hit a bound: the export may be incomplete. */
  truncated: boolean;
};

/** The proof section as key/value pairs, in order. */
export const proofPairs = (proof: Fsma204Proof): [string, string][] => [
  ['Export', proof.query],
  ['Generated at', proof.generatedAt],
  ['Rows complete', proof.truncated ? 'no: the trace reached a bound' : 'yes'],
  ['Log origin', proof.origin],
  ['Checkpoint tree size', proof.treeSize === null ? '' : String(proof.treeSize)],
  ['Signed checkpoint', proof.checkpoint],
  ['TraceBundle (JSON)', proof.bundle],
  ['Unsealed eventIDs', proof.unsealed.join(' ')],
  [
    'How to check',
    'Verify the TraceBundle with the log key (verifyTraceBundle, or traceroot verify); each row ' +
      'with a tree size must have an entry with its Leaf Index and Event Hash ID, and its KDEs ' +
      'must follow from that entry’s verified fields by the mapping in docs/specs/fsma204.md.',
  ],
];

const cells = (row: Fsma204Row): string[] => FSMA204_COLUMNS.map((column) => row[column]);

// RFC 4180 §2: CRLF between records; a field with a comma, a quote, a CR or an LF is quoted
// (csv-stringify quotes only the record delimiter itself unless told: a checkpoint note has LFs).
const CSV_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/** RFC 4180 CSV (CRLF line ends): header, rows, an empty line, the proof section. */
export const fsma204Csv = (rows: readonly Fsma204Row[], proof: Fsma204Proof): string =>
  stringify([[...FSMA204_COLUMNS], ...rows.map(cells)], CSV_OPTIONS) +
  '\r\n' +
  stringify([[...PROOF_HEADER], ...proofPairs(proof)], CSV_OPTIONS);

/** Columns written as numbers in the XLSX (so that they sort as numbers). */
const NUMERIC: ReadonlySet<string> = new Set([
  'Quantity',
  'Leaf Index',
  'Sealed by Checkpoint (tree size)',
]);

const cellValue = (column: string, value: string): string | number =>
  NUMERIC.has(column) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;

/** A cell holds at most 32,767 characters: a longer value goes in parts, `key (part i/n)`. */
export const XLSX_CELL_MAX = 32_000;

const xlsxPairs = (pairs: readonly [string, string][]): [string, string][] =>
  pairs.flatMap(([key, value]): [string, string][] => {
    if (value.length <= XLSX_CELL_MAX) return [[key, value]];
    const n = Math.ceil(value.length / XLSX_CELL_MAX);
    return Array.from({ length: n }, (_, i): [string, string] => [
      `${key} (part ${i + 1}/${n})`,
      value.slice(i * XLSX_CELL_MAX, (i + 1) * XLSX_CELL_MAX),
    ]);
  });

/** The XLSX workbook: the rows (header frozen, auto-filter) and the proof sheet. */
export const fsma204Xlsx = async (
  rows: readonly Fsma204Row[],
  proof: Fsma204Proof,
): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Traceroot';
  workbook.created = new Date(proof.generatedAt);
  const sheet = workbook.addWorksheet(ROWS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...FSMA204_COLUMNS]).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(FSMA204_COLUMNS.map((column) => cellValue(column, row[column])));
  }
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, rows.length + 1), column: FSMA204_COLUMNS.length },
  };
  FSMA204_COLUMNS.forEach((column, i) => {
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(12, column.length + 2));
  });
  const proofSheet = workbook.addWorksheet(PROOF_SHEET);
  proofSheet.addRow([...PROOF_HEADER]).font = { bold: true };
  for (const pair of xlsxPairs(proofPairs(proof))) proofSheet.addRow(pair);
  proofSheet.getColumn(1).width = 24;
  proofSheet.getColumn(2).width = 100;
  return Buffer.from(await workbook.xlsx.writeBuffer());
};
