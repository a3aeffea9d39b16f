import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { ProblemDetailsFilter } from './problem-details.filter.js';

// Registered app-wide here rather than in main.ts, so that a test which boots AppModule renders
// errors exactly as production does.
@Module({ providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }] })
export class ErrorsModule {}
