import { invalidParameter } from './problem';

/** QR code error correction levels (ISO/IEC 18004 §7.5.1): recovers ≈ 7, 15, 25, 30 %. */
export type Ecc = 'L' | 'M' | 'Q' | 'H';

export const ECC_LEVELS: readonly Ecc[] = ['L', 'M', 'Q', 'H'];

export type QrOptions = {
  /** Side in pixels of the PNG (or 1 px less: see renderQrPng); width (and height) of the SVG. */
  size: number;
  /** Quiet zone around the symbol, in modules. */
  margin: number;
  ecc: Ecc;
};

export type IntegerBounds = { min: number; max: number; default: number };

export const QR_SIZE = { min: 64, max: 2048, default: 320 } as const satisfies IntegerBounds;
// ISO/IEC 18004 §6.3.8 asks for a quiet zone of 4 modules: the default. 0 is for printing the
// code inside a larger white area that already provides one (a label).
export const QR_MARGIN = { min: 0, max: 16, default: 4 } as const satisfies IntegerBounds;
export const DEFAULT_ECC: Ecc = 'M';

/** Unique values of the given query parameters; a repeated one is ambiguous, so refused. */
export const singleValues = (
  params: URLSearchParams,
  names: readonly string[],
): Map<string, string> => {
  const values = new Map<string, string>();
  for (const [name, value] of params) {
    if (!names.includes(name)) {
      throw invalidParameter(name, `unknown parameter (known: ${names.join(', ')})`);
    }
    if (values.has(name)) throw invalidParameter(name, 'given more than once');
    values.set(name, value);
  }
  return values;
};

/** A decimal integer within bounds; `undefined` gives the default. Attacker-controlled. */
export const parseBoundedInteger = (
  name: string,
  raw: string | undefined,
  bounds: IntegerBounds,
): number => {
  if (raw === undefined) return bounds.default;
  const range = `an integer from ${bounds.min} to ${bounds.max}`;
  // Digits only: Number() would also take '', ' 1', '1e3', '0x40' and '12.0'.
  if (!/^[0-9]{1,9}$/.test(raw)) throw invalidParameter(name, `must be ${range}`);
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw invalidParameter(name, `must be ${range}, not ${value}`);
  }
  return value;
};

export const parseEcc = (raw: string | undefined): Ecc => {
  if (raw === undefined) return DEFAULT_ECC;
  const ecc = ECC_LEVELS.find((level) => level === raw.toUpperCase());
  if (!ecc) throw invalidParameter('ecc', `must be one of ${ECC_LEVELS.join(', ')}`);
  return ecc;
};

/** The options of a QR code request: `size`, `margin`, `ecc`; anything else is refused. */
export const parseQrOptions = (params: URLSearchParams): QrOptions => {
  const values = singleValues(params, ['size', 'margin', 'ecc']);
  return {
    size: parseBoundedInteger('size', values.get('size'), QR_SIZE),
    margin: parseBoundedInteger('margin', values.get('margin'), QR_MARGIN),
    ecc: parseEcc(values.get('ecc')),
  };
};
