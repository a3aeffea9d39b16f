/** Injection token of the resolved database URL (a real server, or the embedded PGlite's). */
export const DATABASE_URL = Symbol('DATABASE_URL');

/** How many connections the pool may open (undefined: node-postgres' default). */
export const DATABASE_POOL_MAX = Symbol('DATABASE_POOL_MAX');
