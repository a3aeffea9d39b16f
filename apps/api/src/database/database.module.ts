import { type DynamicModule, Global, Module } from '@nestjs/common';

import { DATABASE_URL } from './database.tokens.js';
import { PrismaService } from './prisma.service.js';

/** The database connection of the process (a real PostgreSQL, or the embedded PGlite's URL). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_URL, useValue: url }, PrismaService],
      exports: [PrismaService],
    };
  }
}
