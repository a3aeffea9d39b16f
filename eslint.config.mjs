// Flat config: typescript-eslint's type-checked rules plus the dependency rules of STYLE §3.3.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const RESTRICTED_IN_CORE = [
  {
    group: ['node:*', 'fs', 'path', 'crypto', 'buffer'],
    message: 'libs/trace must run in the browser.',
  },
  {
    group: ['@nestjs/*', 'next', 'next/*', 'react', '@prisma/*'],
    message: 'libs/trace has no framework deps.',
  },
  { group: ['merkletreejs'], message: 'merkletreejs needs Buffer: only src/node/ may use it.' },
  { group: ['**/apps/**'], message: 'libs never import apps.' },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.next/**',
      '**/coverage/**',
      '**/test/vectors/**',
      'prisma/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: 'error',
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    files: ['libs/trace/src/**/*.ts'],
    ignores: ['libs/trace/src/node/**', 'libs/trace/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: RESTRICTED_IN_CORE }],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', 'setTimeout', 'crypto'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass time in.' },
        { object: 'Math', property: 'random', message: 'Pass randomness in.' },
      ],
    },
  },
  {
    // STYLE §3.6: one reader of the environment per app.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/config/env.ts', 'apps/api/src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through config/env.ts (the ENV token).',
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/test/**', '**/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../*/src/**', '@traceroot/api', '@traceroot/web'],
              message: 'Apps never import each other: talk over HTTP, share code through libs/.',
            },
          ],
        },
      ],
    },
  },
);
