import { jestPreset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...jestPreset({ tsx: true }),
  roots: ['<rootDir>/src', '<rootDir>/test'],
  // Next sources import without extensions and through the '@/' alias, so this replaces the
  // preset's './x.js' mapping.
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
};
