// Units of measure for mass balance: UN/CEFACT Recommendation 20 codes, as EPCIS 2.0 quantity
// elements carry them (`uom`). Each known code converts to its dimension's base unit.

export type Dimension = 'mass' | 'volume';

/** Known codes: dimension and the factor to its base unit (mass: kilogram, volume: litre). */
export const UNITS: Readonly<Record<string, { dimension: Dimension; factor: number }>> = {
  KGM: { dimension: 'mass', factor: 1 },
  GRM: { dimension: 'mass', factor: 1e-3 },
  MGM: { dimension: 'mass', factor: 1e-6 },
  TNE: { dimension: 'mass', factor: 1000 },
  LBR: { dimension: 'mass', factor: 0.45359237 },
  ONZ: { dimension: 'mass', factor: 0.028349523125 },
  LTR: { dimension: 'volume', factor: 1 },
  MLT: { dimension: 'volume', factor: 1e-3 },
  MTQ: { dimension: 'volume', factor: 1000 },
  GLL: { dimension: 'volume', factor: 3.785411784 },
};

/** The base unit each dimension's sums are expressed in. */
export const BASE_UNIT: Readonly<Record<Dimension, string>> = { mass: 'KGM', volume: 'LTR' };

/**
 * Where a quantity is summed: its dimension (mass, volume) for a known code, converted to the
 * base unit; otherwise the code itself (`uom:XYZ`, or `uom:` for none), unconverted.
 */
export const quantityGroup = (
  quantity: number,
  uom: string | undefined,
): { group: string; amount: number } => {
  const unit = uom !== undefined && Object.hasOwn(UNITS, uom) ? UNITS[uom] : undefined;
  return unit
    ? { group: unit.dimension, amount: quantity * unit.factor }
    : { group: `uom:${uom ?? ''}`, amount: quantity };
};
