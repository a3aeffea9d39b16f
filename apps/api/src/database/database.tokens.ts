/** Injection token of the resolved database URL (a real server, or the embedded PGlite's). */
export const DATABASE_URL = Symbol('DATABASE_URL');
