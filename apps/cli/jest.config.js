import { jestPreset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...jestPreset(),
  roots: ['<rootDir>/src', '<rootDir>/test'],
};
