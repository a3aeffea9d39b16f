#!/usr/bin/env node
// A stand-in for Prisma's native `schema-engine` binary, backed by Prisma's own WASM build of the
// same engine (@prisma/schema-engine-wasm). The Prisma 7 CLI downloads the native binary on first
// use, which fails without internet access; with PRISMA_SCHEMA_ENGINE_BINARY pointing here
// (prisma.config.ts sets it) every `prisma migrate …`, `db …` and `generate` works offline.
//
// It speaks the binary's interface, as the CLI (prisma 7.10.1) drives it:
//   schema-engine-wasm.cjs --version
//   schema-engine-wasm.cjs --datasource '{"url":…}' cli can-connect-to-database|create-database|drop-database
//       exit 0 on success; otherwise exit 1 with JSON log lines on stderr after a first line,
//       the error as {"level":"ERROR","target":"schema_engine::logger","fields":{error_code,message}}
//   schema-engine-wasm.cjs [--datamodels <schema file>]… [--datasource '{"url":…,"shadowDatabaseUrl":…}']
//       JSON-RPC 2.0 over stdio, one message per line: each request's method and params are the
//       engine's (applyMigrations, createMigration, devDiagnostic, diff, …), forwarded to the WASM
//       engine; its log lines go to stderr, where the CLI reads them as it reads the binary's.
// The engine glue and the adapter fixes live in prisma/src/wasm-engine.js, shared with the
// in-process migrator (prisma/src/migrate.ts). Pins: prisma/README.md.
'use strict';

const { readFileSync } = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { pathToFileURL } = require('node:url');

// The protocol owns stdout, and the CLI parses stderr as JSON lines: no stray warnings.
process.noDeprecation = true;

/** Closes the RPC server's engine, if one is open (set by serveRpc). */
let closeEngine;

const CORE = pathToFileURL(path.join(__dirname, '../prisma/src/wasm-engine.js')).href;

/** @returns {{ datamodels: string[], datasource: { url?: string, shadowDatabaseUrl?: string } | undefined, cli: string | undefined, version: boolean }} */
function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '-V') args.version = true;
    else if (arg === '--datamodels') args.datamodels.push(argv[++i]);
    else if (arg === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++;
    else if (arg === 'cli') args.cli = argv[++i];
  }
  return args;
}

function logLine(level, message, extra = {}) {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...extra },
    target: 'schema_engine::logger',
  });
}

/** The `cli` subcommands: no JSON-RPC, just an exit code and JSON log lines on stderr. */
async function runCliCommand(command, url, core) {
  if (!url) return fail({ code: undefined, message: 'The --datasource argument has no url.' });
  const server = core.withDatabase(url, 'postgres');
  const db = core.quoteIdent(core.databaseOf(url));
  let error;
  switch (command) {
    case 'can-connect-to-database':
      error = await core.tryStatement(url, 'SELECT 1');
      break;
    case 'create-database':
      error = await core.tryStatement(server, `CREATE DATABASE ${db}`, url);
      break;
    case 'drop-database':
      error = await core.tryStatement(server, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`, url);
      break;
    default:
      error = { code: undefined, message: `Unknown cli subcommand: ${command}` };
  }
  if (error) return fail(error);
  process.stderr.write(logLine('INFO', `${command}: done`) + '\n');
  return 0;

  function fail({ code, message }) {
    // The CLI skips the first stderr line and parses every following line as JSON.
    process.stderr.write(logLine('INFO', `Starting schema-engine-wasm ${command}`) + '\n');
    process.stderr.write(logLine('ERROR', message, code ? { error_code: code } : {}) + '\n');
    return 1;
  }
}

/** The JSON-RPC server: one engine per process, created on the first request. */
function serveRpc(args, core) {
  const datamodels = args.datamodels.map((file) => [
    file,
    readFileSync(path.resolve(file), 'utf8'),
  ]);
  const url = args.datasource?.url;
  let opened;
  closeEngine = async () => (opened ? (await opened.catch(() => null))?.close() : undefined);
  const open = (engineUrl = url) =>
    (opened ??= core.openSchemaEngine({
      url: engineUrl,
      shadowDatabaseUrl: args.datasource?.shadowDatabaseUrl,
      datamodels,
      log: (line) => process.stderr.write(line.endsWith('\n') ? line : line + '\n'),
    }));

  let printCount = 0;
  const methods = {
    // Named differently in the WASM engine.
    getDatabaseVersion: async (params) => (await open()).engine.version(params ?? undefined),
    // Not in the WASM engine: the native one creates the database of the given URL.
    // The WASM engine computes the schema a migrations directory produces only in devDiagnostic
    // and diagnoseMigrationHistory (they get the shadow-database factory), and caches it keyed by
    // the migrations applied to the database at that moment; evaluateDataLoss and createMigration
    // only read that cache, and on a miss fail with "PostgreSQL shadow DB must be provided through
    // an external factory" (e.g. `migrate dev` on a new database: devDiagnostic, then
    // applyMigrations, then evaluateDataLoss). Diagnosing first fills the cache for the current
    // state, which `migrate dev` has just brought up to date.
    // The WASM engine connects at start, even for a diff that reads no database (e.g.
    // --from-empty --to-schema); when the configured database does not exist (yet), such a diff
    // runs on the server's `postgres` database instead (shadow databases go to the same server).
    diff: async (params) => {
      const readsDatabase = [params?.from, params?.to].some(
        (target) => target?.tag === 'schemaDatasource' || target?.tag === 'url',
      );
      const engine = await open()
        .catch((error) => {
          if (readsDatabase || error?.errorCode !== 'P1003') throw error;
          opened = undefined;
          return open(core.withDatabase(url, 'postgres'));
        })
        .then((o) => o.engine);
      // The WASM engine returns the script (or summary) as `stdout`; the binary instead sends
      // it to the CLI in a `print` request, which the CLI writes to its stdout. Do as the binary.
      const result = await engine.diff(params);
      if (typeof result.stdout === 'string') {
        send({
          jsonrpc: '2.0',
          id: `print-${++printCount}`,
          method: 'print',
          params: { content: result.stdout },
        });
      }
      return { ...result, stdout: null };
    },
    evaluateDataLoss: (params) => withMigrationSchemaCached('evaluateDataLoss', params),
    createMigration: (params) => withMigrationSchemaCached('createMigration', params),
    createDatabase: async (params) => {
      const target = params?.datasource?.url ?? url;
      const error = await core.tryStatement(
        core.withDatabase(target, 'postgres'),
        `CREATE DATABASE ${core.quoteIdent(core.databaseOf(target))}`,
        target,
      );
      if (error) throw Object.assign(new Error(error.message), { errorCode: error.code });
      return { databaseName: core.databaseOf(target) };
    },
  };

  async function withMigrationSchemaCached(method, params) {
    const { engine } = await open();
    await engine.diagnoseMigrationHistory({
      migrationsList: params.migrationsList,
      optInToShadowDatabase: true,
      filters: params.filters ?? { externalTables: [], externalEnums: [] },
    });
    return engine[method](params);
  }

  const send = (message) =>
    process.stdout.write(
      JSON.stringify(message, (_key, value) =>
        typeof value === 'bigint' ? Number(value) : value,
      ) + '\n',
    );

  async function handle(request) {
    const { id, method, params } = request;
    const live = opened ? await opened.catch(() => null) : null;
    if (live) live.factory.errors.lastKind = undefined;
    try {
      if (!url) throw new Error('The --datasource argument has no url.');
      let result;
      if (Object.hasOwn(methods, method)) {
        result = await methods[method](params);
      } else {
        const { engine } = await open();
        if (typeof engine[method] !== 'function' || method === 'free') {
          throw new Error(`The WASM schema engine has no method \`${method}\`.`);
        }
        result = await engine[method](params ?? {});
      }
      send({ jsonrpc: '2.0', id, result: result ?? null });
      return true;
    } catch (error) {
      const panicked = error instanceof WebAssembly.RuntimeError;
      const message = panicked
        ? (core.panicRegistry.message ?? String(error.message))
        : error instanceof Error
          ? error.message
          : String(error);
      const errorCode =
        error?.errorCode ??
        (opened ? (await opened.catch(() => null))?.factory.errors.errorCode() : undefined);
      send({
        jsonrpc: '2.0',
        id,
        error: {
          code: 4466,
          message: 'An error happened. Check the data field for details.',
          data: panicked
            ? { is_panic: true, message, meta: null, error: { message } }
            : {
                is_panic: false,
                message,
                meta: null,
                ...(errorCode ? { error_code: errorCode } : {}),
              },
        },
      });
      // A panicked engine is unusable: exit like the binary does (101).
      return !panicked;
    }
  }

  // Requests are handled one at a time, in order: the engine is not re-entrant.
  let queue = Promise.resolve(true);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      process.stderr.write(
        logLine('ERROR', `Invalid JSON-RPC message: ${line.slice(0, 200)}`) + '\n',
      );
      return;
    }
    // A response to a request of ours (the binary's `print`); we send none, ignore.
    if (request.method === undefined) return;
    queue = queue.then(async (healthy) => {
      if (!healthy) return false;
      const ok = await handle(request);
      if (!ok) await shutdown(101);
      return ok;
    });
  });
  // The CLI ends stdin to stop the engine; close its connections, then exit.
  lines.on('close', () => {
    queue = queue.then(() => shutdown(0));
  });

  async function shutdown(code) {
    const engine = opened ? await opened.catch(() => null) : null;
    await engine?.close().catch(() => {});
    process.exit(code);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const core = await import(CORE);
  // A Rust panic traps the WASM engine ("unreachable"), sometimes outside any request's promise.
  // Report it as the binary would (an ERROR log line the CLI shows) and exit with its code, 101.
  process.on('uncaughtException', (error) => {
    const message = core.panicRegistry.message ?? String(error?.stack ?? error);
    process.stderr.write(logLine('ERROR', message, { is_panic: true }) + '\n');
    const code = error instanceof WebAssembly.RuntimeError ? 101 : 1;
    // Still drop any shadow database and close the pools, but never hang on it.
    setTimeout(() => process.exit(code), 5000).unref();
    void (closeEngine?.() ?? Promise.resolve()).finally(() => process.exit(code));
  });
  if (args.version) {
    const { version } = await core.loadSchemaEngine();
    process.stdout.write(`schema-engine-cli ${version()}\n`);
    return;
  }
  if (args.cli) {
    process.exitCode = await runCliCommand(args.cli, args.datasource?.url, core);
    return;
  }
  serveRpc(args, core);
}

main().catch((error) => {
  process.stderr.write(logLine('ERROR', `schema-engine-wasm: ${error?.stack ?? error}`) + '\n');
  process.exit(1);
});
