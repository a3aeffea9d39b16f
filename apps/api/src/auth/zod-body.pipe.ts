import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

import type { FieldError } from '../common/errors/domain-error.js';
import { DomainError } from '../common/errors/domain-error.js';
import { toJsonPointer } from '../common/errors/json-pointer.js';

const toPath = (path: readonly PropertyKey[]): (string | number)[] =>
  path.map((key) => (typeof key === 'number' ? key : String(key)));

// One field error per offending field; zod reports unknown keys as one issue on their parent.
const toFieldErrors = (issue: z.core.$ZodIssue): FieldError[] => {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
  return keys.map((key) => {
    const pointer = toJsonPointer(
      key === undefined ? toPath(issue.path) : [...toPath(issue.path), key],
    );
    const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
    return { pointer, message: `${pointer === '' ? 'the body' : pointer}: ${message}` };
  });
};

/**
 * Validates a JSON body against a zod schema: VALIDATION_FAILED (400) with one error per field,
 * each naming its RFC 6901 JSON pointer.
 */
export class ZodBodyPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const errors = result.error.issues.flatMap(toFieldErrors);
    throw new DomainError(
      'VALIDATION_FAILED',
      `the request body is invalid: ${errors.map((error) => error.message).join('; ')}`,
      { errors, epcisException: null },
    );
  }
}
