#!/usr/bin/env node
// Second half of `npm run build` (after tsc → dist/): copies the SQL migrations next to the compiled
// code and prebuilds the workflow bundle (dist/workflow-bundle.js) that the worker loads instead of
// bundling the workflow code at every start (as in the Temporal production sample).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

cpSync(join(root, 'src/persistence/migrations'), join(dist, 'persistence/migrations'), { recursive: true });

const started = Date.now();
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
const { code } = await bundleWorkflowCode({ workflowsPath: join(root, 'src/workflows/index.ts'), logger: quiet });
writeFileSync(join(dist, 'workflow-bundle.js'), code);
console.log(`build: dist/workflow-bundle.js (${(code.length / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms; migrations copied`);
