// ESLint (flat config). Workflow files get the rule the Temporal samples use: no Node builtins,
// and here also no runtime imports of modules that are not deterministic workflow code. The web
// page (web/src) runs in the browser: browser globals only, and the React hooks rules.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { ignores: ['web/src/**'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node builtins.' })),
          patterns: [
            {
              group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity', '@temporalio/testing', 'sharp', 'express', 'pino', '@supabase/*', '@electric-sql/*', 'ws', 'zod'],
              message: 'Workflow code may import only @temporalio/workflow, @temporalio/common and pure project modules.',
            },
            {
              group: ['**/activities/*', '**/activities', '**/persistence/*', '**/providers/*', '**/imaging/*', '**/api/*', '**/config*', '**/logger*', '**/temporal/!(search-attributes)*'],
              allowTypeImports: true,
              message: 'Workflows import activities (and other non-workflow modules) as types only: `import type`.',
            },
          ],
        },
      ],
    },
  },
);
