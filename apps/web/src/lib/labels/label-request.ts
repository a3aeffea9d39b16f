import { normalizeGtin } from '@traceroot/trace';

import { canonicalDigitalLink, type GtinIdentifier } from '@/lib/qr/digital-link';
import { type Ecc, parseBoundedInteger, parseEcc } from '@/lib/qr/options';
import { invalidParameter, ProblemError } from '@/lib/qr/problem';

/** One label: a GS1 identifier, its canonical Digital Link (the QR code) and what is printed. */
export type Label = {
  /** GTIN-14. */
  gtin: string;
  lot?: string;
  serial?: string;
  uri: string;
};

export type LabelSheet = { name?: string; ecc: Ecc; labels: Label[] };

/**
 * Request fields by name, each with its values in order. `serials` holds one serial number per
 * value (the adapters split comma lists); every other field takes one value.
 */
export type LabelFields = Map<string, string[]>;

export const LABEL_FIELDS = ['gtin', 'lot', 'serials', 'serialFrom', 'count', 'name', 'ecc'];

// A sheet is for printing, not for a production run: 500 labels are 24 A4 pages, ≈ 2 MB of HTML.
export const MAX_LABELS = 500;
const MAX_NAME_LENGTH = 80;
// AI (21) holds at most 20 characters, so a numeric serial range stays within 20 digits.
const MAX_SERIAL_DIGITS = 20;

const COUNT = { min: 1, max: MAX_LABELS, default: 1 };

const single = (fields: LabelFields, name: string): string | undefined => {
  const values = fields.get(name) ?? [];
  if (values.length > 1) throw invalidParameter(name, 'given more than once');
  return values[0];
};

// The library's refusal of an identifier, attributed to the field that carried it.
const blaming = <T>(parameter: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'INVALID_IDENTIFIER') {
      throw new ProblemError(error.code, error.message, parameter);
    }
    throw error;
  }
};

const parseName = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  if (raw.length > MAX_NAME_LENGTH) {
    throw invalidParameter('name', `must be at most ${MAX_NAME_LENGTH} characters`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) {
    throw invalidParameter('name', 'must not contain control characters');
  }
  return raw;
};

// serialFrom, serialFrom + 1, … keeping serialFrom's width: 0098 → 0098, 0099, 0100.
const serialRange = (from: string, count: number): string[] => {
  if (!new RegExp(`^[0-9]{1,${MAX_SERIAL_DIGITS}}$`).test(from)) {
    throw invalidParameter('serialFrom', `must be 1 to ${MAX_SERIAL_DIGITS} digits`);
  }
  const start = BigInt(from);
  const serials = Array.from({ length: count }, (_, i) =>
    (start + BigInt(i)).toString().padStart(from.length, '0'),
  );
  if (serials.some((s) => s.length > MAX_SERIAL_DIGITS)) {
    throw invalidParameter('count', `the range passes ${MAX_SERIAL_DIGITS} digits`);
  }
  return serials;
};

// The serial numbers to print: a list, a range, or none (`count` copies of one label).
const parseSerials = (fields: LabelFields): (string | undefined)[] => {
  const list = fields.get('serials') ?? [];
  const from = single(fields, 'serialFrom');
  const rawCount = single(fields, 'count');
  if (list.length > 0 && (from !== undefined || rawCount !== undefined)) {
    const other = from !== undefined ? 'serialFrom' : 'count';
    throw invalidParameter(other, 'cannot be combined with serials (the list sets the labels)');
  }
  if (list.length > MAX_LABELS) {
    throw invalidParameter('serials', `at most ${MAX_LABELS} labels per sheet, not ${list.length}`);
  }
  if (list.length > 0) return list;
  const count = parseBoundedInteger('count', rawCount, COUNT);
  return from === undefined
    ? Array.from({ length: count }, () => undefined)
    : serialRange(from, count);
};

/**
 * The sheet the fields ask for, every identifier checked by the library (a refusal names the
 * field: gtin, lot or serials) and turned into its canonical Digital Link on `base`.
 *
 * Attacker-controlled input: every field is bounded before anything is built from it.
 */
export const parseLabelSheet = (fields: LabelFields, base: string): LabelSheet => {
  for (const name of fields.keys()) {
    if (!LABEL_FIELDS.includes(name)) {
      throw invalidParameter(name, `unknown parameter (known: ${LABEL_FIELDS.join(', ')})`);
    }
  }
  const rawGtin = single(fields, 'gtin');
  if (rawGtin === undefined) throw invalidParameter('gtin', 'required');
  const lot = single(fields, 'lot');
  const name = parseName(single(fields, 'name'));
  const ecc = parseEcc(single(fields, 'ecc'));
  const serials = parseSerials(fields);

  blaming('gtin', () => canonicalDigitalLink({ gtin: rawGtin }, base));
  const gtin = normalizeGtin(rawGtin);
  if (lot !== undefined) blaming('lot', () => canonicalDigitalLink({ gtin, lot }, base));
  const labels = serials.map((serial): Label => {
    const id: GtinIdentifier = { gtin, lot, serial };
    const uri = blaming('serials', () => canonicalDigitalLink(id, base));
    return { ...id, uri };
  });
  return { ...(name !== undefined && { name }), ecc, labels };
};
