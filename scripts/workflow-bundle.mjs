#!/usr/bin/env node
// Bundles the workflow code (src/workflows/index.ts and what it imports) with the SDK's
// bundleWorkflowCode and writes it atomically (temporary file, then rename). Used by
// `npm run build` (dist/workflow-bundle.js) and, as a child process, by a worker running from
// source (src/temporal/workflow-code.ts), so webpack never loads into the app's own memory.
//
//   node scripts/workflow-bundle.mjs <workflows entry> <output file>
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

/** Bundles `workflowsPath` into `outFile`; returns the bundle's size in bytes. */
export async function writeWorkflowBundle(workflowsPath, outFile) {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  mkdirSync(dirname(outFile), { recursive: true });
  const staging = `${outFile}.${process.pid}.tmp`;
  writeFileSync(staging, code);
  renameSync(staging, outFile);
  return code.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [workflowsPath, outFile] = process.argv.slice(2);
  if (!workflowsPath || !outFile) {
    console.error('usage: node scripts/workflow-bundle.mjs <workflows entry> <output file>');
    process.exit(2);
  }
  await writeWorkflowBundle(resolve(workflowsPath), resolve(outFile));
}
