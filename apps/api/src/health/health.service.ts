import { Injectable, Logger } from '@nestjs/common';

import { APP_VERSION } from '../config/app-version.js';
import type { Readiness } from './readiness.js';
import { ReadinessRegistry, assertReady } from './readiness.js';

export type Liveness = { status: 'ok'; version: string };

@Injectable()
export class HealthService {
  private readonly logger = new Logger('Readiness');

  constructor(private readonly readiness: ReadinessRegistry) {}

  getLiveness(): Liveness {
    return { status: 'ok', version: APP_VERSION };
  }

  async getReadiness(): Promise<Readiness> {
    const results = await this.readiness.evaluate();
    // The reasons stay in the log: the 503 names the failed checks only.
    for (const { name, error } of results.filter((result) => !result.ok)) {
      this.logger.warn(`Readiness check "${name}" failed`, error);
    }
    return assertReady(results);
  }
}
