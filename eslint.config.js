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

/**
 * Imports only point down: domain ← persistence / imaging / providers ← activities ← workflows;
 * usecases/ (the API's use cases) over persistence / imaging and temporal/'s ConceptRuns port;
 * temporal/ and api/ on top; the entry points (main, worker, api-main, bootstrap) over all.
 */
const ENTRY_POINTS = ['**/bootstrap*', '**/main*', '**/api-main*', '**/worker.js', '**/process*'];
const layer = (files, banned, what, ignores = [], extraPatterns = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: banned, message: `${what} must not import from a layer above it.` }, ...extraPatterns] }],
  },
});
const ADAPTER_BANS = ['**/activities/*', '**/workflows/*', '**/temporal/*', '**/usecases/*', '**/api/*', ...ENTRY_POINTS];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { ignores: ['web/src/**'], languageOptions: { globals: { ...globals.node } } },
  {
    // Typed with web/tsconfig.json (the nearest one), so promises the page drops are caught too.
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    extends: [reactHooks.configs.flat.recommended],
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['web/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
    },
  },
  layer(
    ['src/domain/**/*.ts'],
    ['**/persistence/*', '**/imaging/*', '**/providers/*', '**/activities/*', '**/workflows/*', '**/temporal/*', '**/usecases/*', '**/api/*', '**/config*', ...ENTRY_POINTS],
    'domain/',
  ),
  layer(['src/persistence/**/*.ts', 'src/imaging/**/*.ts', 'src/providers/**/*.ts'], ADAPTER_BANS, 'persistence/, imaging/ and providers/'),
  // The HTTP providers share providers/http/ and domain/, never the local provider's code.
  layer(['src/providers/{http,jigsawstack,openai}/**/*.ts'], ADAPTER_BANS, 'providers/', [], [
    { group: ['**/local/*'], message: 'The HTTP providers must not import from providers/local/.' },
  ]),
  layer(['src/activities/**/*.ts'], ['**/workflows/*', '**/temporal/*', '**/usecases/*', '**/api/*', ...ENTRY_POINTS], 'activities/'),
  layer(
    ['src/usecases/**/*.ts'],
    ['**/activities/*', '**/workflows/*', '**/temporal/!(runs)*', '**/api/*', ...ENTRY_POINTS],
    'usecases/ (it starts and reads runs only through the ConceptRuns port, temporal/runs.ts)',
  ),
  layer(['src/temporal/**/*.ts'], ['**/usecases/*', '**/api/*', ...ENTRY_POINTS], 'temporal/'),
  layer(['src/api/**/*.ts'], ['**/temporal/!(runs)*', ...ENTRY_POINTS], 'api/ (it sees Temporal only through the ConceptRuns port)'),
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
              group: ['**/activities/*', '**/activities', '**/persistence/*', '**/providers/*', '**/imaging/*', '**/api/*', '**/config*', '**/logger*', '**/temporal/*'],
              allowTypeImports: true,
              message: 'Workflows import activities (and other non-workflow modules) as types only: `import type`.',
            },
          ],
        },
      ],
    },
  },
);
