import { DomainError } from '../errors/domain-error.js';

/** A query or path parameter that must be a whole number ≥ min; names the parameter when not. */
export const parseCount = (value: string | undefined, name: string, min = 0): number => {
  if (value === undefined || value === '') {
    throw new DomainError('QUERY_PARAMETER_INVALID', `the parameter ${name} is required`);
  }
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new DomainError(
      'QUERY_PARAMETER_INVALID',
      `${name} must be a whole number ≥ ${min}, not "${value}"`,
    );
  }
  return n;
};
