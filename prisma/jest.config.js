import { jestPreset } from '../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...jestPreset(),
  roots: ['<rootDir>/test'],
  // Integration tests: real PostgreSQL (TEST_DATABASE_URL or 127.0.0.1:5432) and PGlite, whose
  // first start runs initdb (seconds on a busy machine).
  testTimeout: 120_000,
};
