// @ts-check
// Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm), made usable without the
// native `schema-engine` binary the Prisma CLI would otherwise download. Two callers share it:
// tools/schema-engine-wasm.cjs (the binary's stand-in for the CLI) and src/migrate.ts (migrations
// in-process). Plain JavaScript on purpose: the CLI stand-in must run before anything is built.
//
// It works around five incompatibilities between the engine, @prisma/adapter-pg 7.10.1 and Node
// (STACK-NOTES §1.2 lists the first four; the fifth showed up with our trigger migration):
// 1. The engine calls adapter methods unbound: the factory goes through
//    bindMigrationAwareSqlAdapterFactory.
// 2. The Postgres describer reads catalog columns of type "char" (OID 18), which adapter-pg
//    refuses ("Column type 'char' could not be deserialized"). Such columns are reported to the
//    engine as Character, the type it reads them as (reporting them as text passes until the
//    first CHECK constraint, whose pg_constraint.contype the engine then fails to read as char).
// 3. PrismaPg.connectToShadowDb() drops the shadow database before closing its pool, and never
//    closes the connection it created it with: our factory creates and drops it itself, in order,
//    addressing it by rewriting the URL's path (a connection string's database wins over a
//    `database` field in node-postgres).
// 4. The engine arms 10 s timers it never clears and never disposes the connections it opened:
//    the glue's setTimeout import is swapped for an unref()'d one, and every adapter we hand out is
//    tracked and disposed by close().
// 5. adapter-pg's executeScript splits a script on every ";", which breaks dollar-quoted function
//    bodies (our append-only triggers) and string literals. The native engine sends a migration
//    as one simple-protocol query (one implicit transaction); so do we.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

/** OIDs of PostgreSQL's internal one-byte "char" type and of text. */
const CHAR_OID = 18;
const TEXT_OID = 25;

/**
 * Prisma error codes for the adapter's connection-level error kinds, as the native engine
 * reports them (https://www.prisma.io/docs/orm/reference/error-reference).
 * @type {Record<string, string>}
 */
const ERROR_CODES_BY_KIND = {
  AuthenticationFailed: 'P1000',
  DatabaseNotReachable: 'P1001',
  DatabaseDoesNotExist: 'P1003',
  SocketTimeout: 'P1008',
  DatabaseAlreadyExists: 'P1009',
  DatabaseAccessDenied: 'P1010',
  TlsConnectionError: 'P1011',
};

/**
 * @typedef {import('@prisma/schema-engine-wasm').SchemaEngine} SchemaEngine
 * @typedef {import('@prisma/schema-engine-wasm').MigrationList} MigrationList
 * @typedef {{ SchemaEngine: typeof import('@prisma/schema-engine-wasm').SchemaEngine, version: () => string }} EngineModule
 * @typedef {{ message: string | null }} PanicRegistry
 */

/** @type {Promise<EngineModule> | undefined} */
let engineModule;
/** The last panic message the engine reported (it panics into a RuntimeError "unreachable"). */
export const panicRegistry = /** @type {PanicRegistry} */ ({ message: null });

/**
 * Instantiates the WASM engine once per process (≈ 50 ms). The package's entry point imports the
 * .wasm file as an ES module, which Node 20 cannot do; we instantiate it ourselves and swap the
 * glue's setTimeout import for one whose timers do not keep the process alive (fix 4).
 * @returns {Promise<EngineModule>}
 */
export function loadSchemaEngine() {
  engineModule ??= (async () => {
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    /** @type {Record<string, unknown> & { __wbg_set_wasm: (exports: unknown) => void }} */
    const glue = await import(gluePath);
    /** @type {Record<string, unknown>} */
    const imports = { ...glue };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) {
        imports[name] = (/** @type {() => void} */ callback, /** @type {number} */ ms) =>
          setTimeout(callback, ms >>> 0).unref();
      }
    }
    // The glue reports panics here before the engine traps.
    Object.assign(globalThis, {
      PRISMA_WASM_PANIC_REGISTRY: {
        set_message: (/** @type {string} */ message) => {
          panicRegistry.message = message;
        },
      },
    });
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    // (@types/node 20 does not declare the WebAssembly global.)
    /** @type {{ instantiate: (bytes: Uint8Array, imports: object) => Promise<{ instance: { exports: Record<string, unknown> } }> }} */
    const wasm = Reflect.get(globalThis, 'WebAssembly');
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': imports });
    glue.__wbg_set_wasm(instance.exports);
    /** @type {() => void} */ (instance.exports['__wbindgen_start'])();
    return /** @type {EngineModule} */ (/** @type {unknown} */ (glue));
  })();
  return engineModule;
}

/**
 * The URL of another database on the same server.
 * @param {string} url
 * @param {string} database
 */
export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * The database a URL names (PostgreSQL's default: the user name).
 * @param {string} url
 */
export function databaseOf(url) {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return name || decodeURIComponent(parsed.username) || 'postgres';
}

/**
 * Double-quotes a PostgreSQL identifier.
 * @param {string} name
 */
export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * @typedef {{ columnNames: string[], columnTypes: number[], rows: unknown[][] }} ResultSet
 * @typedef {{
 *   queryRaw: (q: unknown) => Promise<ResultSet>,
 *   executeRaw: (q: unknown) => Promise<number>,
 *   executeScript: (script: string) => Promise<void>,
 *   startTransaction: (isolationLevel?: string) => Promise<PgQueryable>,
 *   dispose: () => Promise<void>,
 *   underlyingDriver: () => { query: (text: string) => Promise<unknown> },
 *   onError: (error: unknown) => never,
 *   performIO: (q: unknown) => Promise<{ fields: { dataTypeID: number }[], rows: unknown[][] }>,
 * }} PgAdapter
 * @typedef {Pick<PgAdapter, 'performIO' | 'queryRaw' | 'executeRaw'>} PgQueryable
 */

/**
 * Records the kind of the last driver-adapter error, so that an engine error (which carries only
 * a message) can be given the Prisma error code the native engine would report.
 */
class ErrorKindTracker {
  /** @type {string | undefined} */
  lastKind;

  /** @param {unknown} error */
  note(error) {
    const cause = /** @type {{ name?: string, cause?: { kind?: unknown } }} */ (error)?.cause;
    if (/** @type {{ name?: string }} */ (error)?.name === 'DriverAdapterError' && cause) {
      this.lastKind = typeof cause.kind === 'string' ? cause.kind : undefined;
    }
  }

  /** The Prisma error code of the last connection-level error, if any. */
  errorCode() {
    return this.lastKind ? ERROR_CODES_BY_KIND[this.lastKind] : undefined;
  }
}

/**
 * The "char" columns of a result, keyed by its rows array, which queryRaw passes through.
 * @type {WeakMap<object, number[]>}
 */
const charColumnsByRows = new WeakMap();

/**
 * Fix 2 on one adapter-pg queryable (an adapter or one of its transactions): performIO hides
 * OID 18 from adapter-pg (as text) and remembers where; queryRaw then reports those columns as
 * Character.
 * @param {PgQueryable} queryable
 * @param {ErrorKindTracker} errors
 */
function patchQueryable(queryable, errors) {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    try {
      const result = await performIO(query);
      /** @type {number[]} */
      const charColumns = [];
      (result.fields ?? []).forEach((field, i) => {
        if (field.dataTypeID === CHAR_OID) {
          field.dataTypeID = TEXT_OID;
          charColumns.push(i);
        }
      });
      if (charColumns.length > 0 && result.rows) charColumnsByRows.set(result.rows, charColumns);
      return result;
    } catch (error) {
      errors.note(error);
      throw error;
    }
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const charColumns = charColumnsByRows.get(result.rows);
    for (const i of charColumns ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
}

/**
 * @param {PgAdapter} adapter
 * @param {ErrorKindTracker} errors
 * @returns {PgAdapter}
 */
function patchAdapter(adapter, errors) {
  patchQueryable(adapter, errors);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    try {
      const tx = await startTransaction(isolationLevel);
      patchQueryable(tx, errors);
      return tx;
    } catch (error) {
      errors.note(error);
      throw error;
    }
  };
  adapter.executeScript = async (script) => {
    try {
      // One simple-protocol query: PostgreSQL runs the statements in one implicit transaction.
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      try {
        adapter.onError(error);
      } catch (converted) {
        errors.note(converted);
        throw converted;
      }
    }
  };
  return adapter;
}

/**
 * A migration-aware driver-adapter factory over adapter-pg with fixes 2, 3 and 5, which tracks
 * every connection it opens so that close() can dispose them (fix 4).
 */
export class MigrationAdapterFactory {
  provider = /** @type {const} */ ('postgres');
  adapterName = '@prisma/adapter-pg';
  errors = new ErrorKindTracker();
  /** @type {Set<PgAdapter>} */
  #open = new Set();
  #url;
  #shadowDatabaseUrl;

  /**
   * @param {string} url
   * @param {{ shadowDatabaseUrl?: string | undefined }} [options]
   */
  constructor(url, options = {}) {
    this.#url = url;
    this.#shadowDatabaseUrl = options.shadowDatabaseUrl;
  }

  /** @param {string} url */
  async #connectTo(url) {
    const adapter = /** @type {PgAdapter} */ (
      /** @type {unknown} */ (await new PrismaPg({ connectionString: url }).connect())
    );
    patchAdapter(adapter, this.errors);
    const dispose = adapter.dispose.bind(adapter);
    let disposed = false;
    adapter.dispose = async () => {
      if (disposed) return;
      disposed = true;
      this.#open.delete(adapter);
      await dispose();
    };
    this.#open.add(adapter);
    return adapter;
  }

  connect() {
    return this.#connectTo(this.#url);
  }

  /**
   * The configured shadow database, or a fresh one on the same server, created here and dropped
   * (WITH (FORCE)) only after its own pool has been closed.
   */
  async connectToShadowDb() {
    if (this.#shadowDatabaseUrl) return this.#connectTo(this.#shadowDatabaseUrl);
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await this.#runOnServer(`CREATE DATABASE ${quoteIdent(name)}`);
    const shadow = await this.#connectTo(withDatabase(this.#url, name));
    const dispose = shadow.dispose;
    shadow.dispose = async () => {
      await dispose();
      await this.#runOnServer(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    };
    return shadow;
  }

  /** @param {string} sql */
  async #runOnServer(sql) {
    const admin = await this.#connectTo(this.#url);
    try {
      await admin.executeScript(sql);
    } finally {
      await admin.dispose();
    }
  }

  /** Disposes every connection still open. */
  async close() {
    await Promise.allSettled([...this.#open].map((adapter) => adapter.dispose()));
  }
}

/**
 * @typedef {{
 *   engine: SchemaEngine,
 *   factory: MigrationAdapterFactory,
 *   close: () => Promise<void>,
 * }} OpenEngine
 */

/**
 * Starts a schema engine on a database. The engine connects at once, so a missing or
 * unreachable database fails here.
 * @param {{
 *   url: string,
 *   shadowDatabaseUrl?: string | undefined,
 *   datamodels: [path: string, content: string][],
 *   log?: ((line: string) => void) | undefined,
 * }} options
 * @returns {Promise<OpenEngine>}
 */
export async function openSchemaEngine({ url, shadowDatabaseUrl, datamodels, log }) {
  const { SchemaEngine } = await loadSchemaEngine();
  const factory = new MigrationAdapterFactory(url, { shadowDatabaseUrl });
  const bound = bindMigrationAwareSqlAdapterFactory(
    /** @type {Parameters<typeof bindMigrationAwareSqlAdapterFactory>[0]} */ (
      /** @type {unknown} */ (factory)
    ),
  );
  let engine;
  try {
    // No schema at all is `undefined` to the engine; an empty list makes it panic.
    const options = { datamodels: datamodels.length > 0 ? datamodels : undefined };
    engine = await SchemaEngine.new(options, log ?? (() => {}), bound);
  } catch (error) {
    await factory.close();
    // The engine's error carries only a message; add the code the native engine would report.
    const errorCode = factory.errors.errorCode();
    if (errorCode && typeof error === 'object' && error !== null) {
      Object.assign(error, { errorCode });
    }
    throw error;
  }
  let closed = false;
  return {
    engine,
    factory,
    close: async () => {
      if (closed) return;
      closed = true;
      engine.free();
      await factory.close();
    },
  };
}

/**
 * Reads a migrations directory into the engine's MigrationList, exactly as the Prisma CLI does
 * (directories sorted with localeCompare; a missing migration.sql becomes an error entry).
 * @param {string} migrationsDir
 * @param {string} [shadowDbInitScript]
 * @returns {Promise<MigrationList>}
 */
export async function readMigrationsList(migrationsDir, shadowDbInitScript = '') {
  const lockfilePath = 'migration_lock.toml';
  const lockfile = {
    path: lockfilePath,
    content: await readFile(path.join(migrationsDir, lockfilePath), 'utf8').catch(() => null),
  };
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const file = 'migration.sql';
    const content = await readFile(path.join(migrationsDir, entry.name, file), 'utf8').then(
      (value) => /** @type {const} */ ({ tag: 'ok', value }),
      (error) => /** @type {const} */ ({ tag: 'error', value: String(error.message) }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: file, content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir: migrationsDir, lockfile, migrationDirectories, shadowDbInitScript };
}

/**
 * Runs one statement on a database through adapter-pg and reports the outcome the way the
 * native engine's `cli` subcommands do: null, or a Prisma error code and message.
 * @param {string} url
 * @param {string} sql
 * @param {string} [subjectUrl] the database the message should name (default: `url`'s)
 * @returns {Promise<null | { code: string | undefined, message: string }>}
 */
export async function tryStatement(url, sql, subjectUrl = url) {
  const factory = new MigrationAdapterFactory(url);
  try {
    const adapter = await factory.connect();
    await adapter.executeScript(sql);
    return null;
  } catch (error) {
    return describeConnectionError(error, subjectUrl);
  } finally {
    await factory.close();
  }
}

/**
 * The native engine's wording for connection-level errors.
 * @param {unknown} error
 * @param {string} url
 * @returns {{ code: string | undefined, message: string }}
 */
export function describeConnectionError(error, url) {
  const cause = /** @type {{ cause?: { kind?: string } }} */ (error)?.cause;
  const kind = cause?.kind;
  const parsed = new URL(url);
  const server = `${parsed.hostname}:${parsed.port || '5432'}`;
  const database = databaseOf(url);
  const user = decodeURIComponent(parsed.username);
  switch (kind) {
    case 'DatabaseNotReachable':
      return {
        code: 'P1001',
        message: `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`,
      };
    case 'DatabaseDoesNotExist':
      return {
        code: 'P1003',
        message: `Database \`${database}\` does not exist on the database server at \`${server}\`.`,
      };
    case 'AuthenticationFailed':
      return {
        code: 'P1000',
        message: `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${server}\`.`,
      };
    case 'DatabaseAccessDenied':
      return {
        code: 'P1010',
        message: `User \`${user}\` was denied access on the database \`${database}\``,
      };
    case 'DatabaseAlreadyExists':
      return {
        code: 'P1009',
        message: `Database \`${database}\` already exists on the database server at \`${server}\``,
      };
    default: {
      const code = kind ? ERROR_CODES_BY_KIND[kind] : undefined;
      return { code, message: error instanceof Error ? error.message : String(error) };
    }
  }
}
