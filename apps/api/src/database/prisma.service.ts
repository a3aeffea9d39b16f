import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@traceroot/db';

import { DATABASE_URL } from './database.tokens.js';

/** The one Prisma client of the process; only repositories use it (STYLE R3). */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  readonly client: PrismaClient;

  constructor(@Inject(DATABASE_URL) url: string) {
    this.client = createPrismaClient(url);
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
  }
}
