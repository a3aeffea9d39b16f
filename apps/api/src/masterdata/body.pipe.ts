import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

import { ZodBodyPipe } from '../auth/zod-body.pipe.js';
import { DomainError } from '../common/errors/domain-error.js';
import { findUnstorable, unstorableMessage } from '../events/storable-json.js';

/**
 * Checks a JSON body (attacker-controlled) against a zod schema: 400 `ValidationException`, one
 * error per field with its RFC 6901 pointer (as ZodBodyPipe words them). Text PostgreSQL cannot
 * store (U+0000, unpaired surrogates) is refused the same way, before any transaction sees it.
 */
export class BodyPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  private readonly zod: ZodBodyPipe<T>;

  constructor(schema: T) {
    this.zod = new ZodBodyPipe(schema);
  }

  transform(value: unknown): z.output<T> {
    const pointer = findUnstorable(value);
    if (pointer !== null) {
      const message = unstorableMessage(pointer);
      throw new DomainError('VALIDATION_FAILED', message, { errors: [{ pointer, message }] });
    }
    try {
      return this.zod.transform(value);
    } catch (error) {
      // The same failure, as the EPCIS ValidationException the other 400s of these routes are.
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(error.code, error.message, { errors: error.errors, cause: error });
    }
  }
}
