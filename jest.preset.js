// The jest setup every workspace shares (ADR 0003): jest in ESM mode, TypeScript through
// @swc/jest. A workspace's jest.config.js spreads `jestPreset(…)` and adds only what is its own.

/**
 * @param {object} [options]
 * @param {boolean} [options.decorators] Nest's legacy decorators with their metadata.
 * @param {boolean} [options.tsx] Also transform `.tsx` (React's automatic JSX runtime).
 * @returns {import('jest').Config}
 */
export const jestPreset = ({ decorators = false, tsx = false } = {}) => ({
  testEnvironment: 'node',
  // A hang guard, not a timing assertion: CI runs every workspace's suite at once on 2 cores.
  testTimeout: 60_000,
  testRegex: '\\.test\\.ts$',
  extensionsToTreatAsEsm: tsx ? ['.ts', '.tsx'] : ['.ts'],
  // Sources import siblings as './x.js' (Node ESM); jest resolves them to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    [tsx ? '^.+\\.tsx?$' : '^.+\\.ts$']: [
      '@swc/jest',
      {
        jsc: {
          // Keep `with { type: 'json' }` on JSON imports (the EPCIS schema); jest 31 requires it.
          experimental: { keepImportAttributes: true },
          parser: {
            syntax: 'typescript',
            ...(decorators && { decorators: true }),
            ...(tsx && { tsx: true }),
          },
          ...(decorators && {
            // Nest's DI reads constructor types from decorator metadata, and class names.
            transform: { legacyDecorator: true, decoratorMetadata: true },
            keepClassNames: true,
          }),
          ...(tsx && { transform: { react: { runtime: 'automatic' } } }),
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
});
