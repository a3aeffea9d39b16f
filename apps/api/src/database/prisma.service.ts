import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import { createDatabase, type Database, type PrismaClient } from '@traceroot/db';

import { DATABASE_POOL_MAX, DATABASE_URL } from './database.tokens.js';
import { pgSql, type SqlDatabase } from './pg-sql.js';

/**
 * The database of the process; only repositories use it (STYLE R3). `client` is Prisma; `sql`
 * runs raw SQL straight on the same connection pool, for the hot paths (ADR 0007).
 */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  private readonly logger = new Logger(PrismaService.name);
  private readonly database: Database;
  readonly client: PrismaClient;
  readonly sql: SqlDatabase;

  constructor(
    @Inject(DATABASE_URL) url: string,
    @Optional() @Inject(DATABASE_POOL_MAX) poolMax?: number,
  ) {
    this.database = createDatabase(
      url,
      (error) =>
        this.logger.warn(`an idle database connection failed and was dropped: ${error.message}`),
      poolMax === undefined ? {} : { maxConnections: poolMax },
    );
    this.client = this.database.prisma;
    this.sql = pgSql(this.database.pool);
  }

  async onModuleDestroy(): Promise<void> {
    await this.database.close();
  }
}
