import { jestPreset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...jestPreset(),
  roots: ['<rootDir>/src', '<rootDir>/test'],
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // The bar for libs/trace; the test command fails below it.
  coverageThreshold: { global: { lines: 95, branches: 95, functions: 95, statements: 95 } },
};
