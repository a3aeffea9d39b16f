import { parse } from 'csv-parse/sync';

/**
 * RFC 4180 CSV → rows of fields (quoted fields may hold commas, quotes and line breaks; an empty
 * line is a row of one empty field, as the FSMA 204 file's section break).
 */
export const parseCsv = (text: string): string[][] => {
  const rows: string[][] = parse(text, { relax_column_count: true });
  return rows;
};
