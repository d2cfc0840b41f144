// ESLint (flat config). Workflow files get the rule the Temporal samples use: no Node builtins,
// and here also no runtime imports of modules that are not deterministic workflow code.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
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
