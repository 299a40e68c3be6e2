import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// src/features/<name>: each folder is a feature, and its index.ts is its public entry.
const features = readdirSync(join(import.meta.dirname, 'src/features'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

export default tseslint.config(
  { ignores: ['dist', 'coverage', 'e2e/screenshots', 'node_modules', 'src/lib/api/schema.d.ts'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [
      js.configs.recommended,
      ...tseslint.configs.strictTypeChecked,
      reactHooks.configs.flat['recommended-latest'],
      reactRefresh.configs.vite,
    ],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Boundaries. Imports are resolved to files (the `@/` alias through tsconfig), so a
  // relative `../../other` is caught like `@/features/other/…`.
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Follow imports into TypeScript files too: without these, no-cycle reads no .ts file
      // and passes whatever the imports are.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.json'],
          tsconfig: { configFile: join(import.meta.dirname, 'tsconfig.app.json') },
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            // One-way imports: app → features → components/lib. Shared code never reaches up.
            {
              target: ['./src/lib', './src/components'],
              from: ['./src/features', './src/app'],
              message: 'lib/ and components/ must not import features or app.',
            },
            { target: './src/features', from: './src/app', message: 'features must not import from app/.' },
            // Outside a feature (app, test, other features), only its index.ts may be
            // imported; inside, its own folders are free.
            ...features.map((name) => ({
              target: ['./src/!(features)/**', './src/*', `./src/features/!(${name})/**`],
              from: `./src/features/${name}`,
              except: ['./index.ts'],
              message: `Import another feature only through its public entry: '@/features/${name}' (src/features/${name}/index.ts).`,
            })),
          ],
        },
      ],
    },
  },
  // No import cycles between features. Other features are reached only through their
  // index, and every module of a feature is reached from its index, so a feature that
  // imports a feature importing it back closes a cycle through the two indexes: checking
  // the indexes finds it, at a fraction of the cost of checking every file. (Type-only
  // imports don't count here; src/features/boundaries.test.ts checks those too.)
  {
    files: ['src/features/*/index.ts'],
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    rules: { 'react-refresh/only-export-components': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
  },
);
