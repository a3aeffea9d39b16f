import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { DomainErrorFilter } from './domain-error.filter.js';
import { NotFoundFilter } from './not-found.filter.js';

// Registered as app-wide filters here rather than in main.ts, so that a test which boots
// AppModule renders errors exactly as production does.
@Module({
  providers: [
    { provide: APP_FILTER, useClass: NotFoundFilter },
    { provide: APP_FILTER, useClass: DomainErrorFilter },
  ],
})
export class ErrorsModule {}
