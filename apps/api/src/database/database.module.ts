import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';

import { ReadinessRegistry } from '../health/readiness.js';
import { DATABASE_POOL_MAX, DATABASE_URL } from './database.tokens.js';
import { PrismaService } from './prisma.service.js';

const ON_CLOSE = Symbol('DATABASE_ON_CLOSE');

/** The database connection of the process (a real PostgreSQL, or the embedded PGlite's URL). */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    prisma: PrismaService,
    @Inject(ON_CLOSE) private readonly onClose: () => Promise<void>,
    @Optional() readiness?: ReadinessRegistry,
  ) {
    // /readyz answers 503 while the database does not (HealthModule may be absent in tests).
    readiness?.register({
      name: 'database',
      check: () => prisma.client.$queryRawUnsafe('SELECT 1'),
    });
  }

  /**
   * `onClose` runs after the app has closed (e.g. stops the embedded PGlite); `poolMax` bounds the
   * connection pool (1 for the embedded PGlite).
   */
  static forRoot(
    url: string,
    onClose: () => Promise<void> = () => Promise.resolve(),
    poolMax?: number,
  ): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: url },
        ...(poolMax === undefined ? [] : [{ provide: DATABASE_POOL_MAX, useValue: poolMax }]),
        { provide: ON_CLOSE, useValue: onClose },
        PrismaService,
      ],
      exports: [PrismaService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.onClose();
  }
}
