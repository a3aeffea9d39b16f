import { jestPreset } from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...jestPreset({ decorators: true }),
  roots: ['<rootDir>/src', '<rootDir>/test'],
};
