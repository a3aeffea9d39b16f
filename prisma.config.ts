// The Prisma CLI's configuration (Prisma 7 reads the connection URL here, not from the schema).
// Paths are relative to this file. See prisma/README.md.
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Offline: the CLI would download a native schema-engine binary on every command; this stand-in
// runs Prisma's own WASM build of that engine instead (tools/schema-engine-wasm.cjs).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(
  import.meta.dirname,
  'tools/schema-engine-wasm.cjs',
);
// No update check against checkpoint.prisma.io (the CLI's only other network call here).
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/traceroot',
  },
});
