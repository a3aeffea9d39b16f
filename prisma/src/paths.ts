// Where this package's files are, whether running from src/ (tests) or dist/src/ (built).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The package's root directory (the one holding schema.prisma). */
export const PACKAGE_DIR =
  [path.resolve(here, '..'), path.resolve(here, '../..')].find((dir) =>
    existsSync(path.join(dir, 'schema.prisma')),
  ) ?? path.resolve(here, '..');

/** The Prisma schema. */
export const SCHEMA_PATH = path.join(PACKAGE_DIR, 'schema.prisma');

/** The migrations directory, as `prisma migrate` writes it. */
export const MIGRATIONS_DIR = path.join(PACKAGE_DIR, 'migrations');
