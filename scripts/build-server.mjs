#!/usr/bin/env node
// Second half of `npm run build` (after tsc → dist/): copies the SQL migrations next to the compiled
// code and prebuilds the workflow bundle (dist/workflow-bundle.js) that the worker loads instead of
// bundling the workflow code at every start (as in the Temporal production sample).
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWorkflowBundle } from './workflow-bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

cpSync(join(root, 'src/persistence/migrations'), join(dist, 'persistence/migrations'), { recursive: true });

const started = Date.now();
const bytes = await writeWorkflowBundle(join(root, 'src/workflows/index.ts'), join(dist, 'workflow-bundle.js'));
console.log(`build: dist/workflow-bundle.js (${(bytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms; migrations copied`);
