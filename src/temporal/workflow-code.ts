/**
 * Which workflow code a worker loads:
 *
 * 1. the bundle `npm run build` prebuilt (dist/workflow-bundle.js, beside the compiled code), as
 *    in the Temporal production sample;
 * 2. running from source (`npm start`, `npm run worker`): a bundle cached under
 *    node_modules/.cache, keyed by a hash of everything the bundle is made of (src/workflows,
 *    src/domain and the lockfile), built on a miss by a child process
 *    (scripts/workflow-bundle.mjs). Webpack then never loads into the worker's own memory, and a
 *    restart after a crash starts without bundling again. An edit to the workflow code changes
 *    the key, so a stale bundle is never loaded;
 * 3. if that child fails: the workflows entry, bundled in-process by the SDK at start-up.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { WorkflowBundleOption } from '@temporalio/worker';

export type WorkflowCode = { workflowBundle: WorkflowBundleOption } | { workflowsPath: string };

/** What the workflow bundle is made of, besides node_modules (pinned by the lockfile). */
const BUNDLE_SOURCES = ['src/workflows', 'src/domain'];
const BUNDLE_TIMEOUT_MS = 180_000;
const CACHE_PREFIX = 'workflow-bundle-';
const STALE_BUNDLE_MS = 10 * 60_000;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** dist/workflow-bundle.js when running the build output; undefined when running from source. */
export function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  const path = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
  return existsSync(path) ? { codePath: path } : undefined;
}

/** The workflows entry, as source under tsx or compiled under dist. */
export function workflowsPath(): string {
  for (const ext of ['ts', 'js']) {
    const path = fileURLToPath(new URL(`../workflows/index.${ext}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('Cannot find src/workflows/index.(ts|js)');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []))
    .sort();
}

/** A hash of every file the bundle is made of (paths and contents) and of the lockfile. */
export function workflowSourceKey(root: string): string {
  const hash = createHash('sha256');
  const files = [...BUNDLE_SOURCES.flatMap((dir) => filesUnder(join(root, dir))), join(root, 'package-lock.json')];
  for (const file of files.filter((f) => existsSync(f))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 20);
}

export interface SourceBundleOptions {
  /** The checkout (default: this one). */
  root?: string;
  /** Where bundles are cached (default: <root>/node_modules/.cache/conceptflow). */
  cacheDir?: string;
  /** Told when the child could not bundle and the worker bundles in-process instead. */
  onFallback?: (reason: string) => void;
}

/** The cached bundle for the current sources, built by a child process on a miss (see above). */
export async function workflowCodeFromSource(options: SourceBundleOptions = {}): Promise<WorkflowCode> {
  const root = options.root ?? repoRoot;
  const entry = join(root, 'src/workflows/index.ts');
  const cacheDir = options.cacheDir ?? join(root, 'node_modules/.cache/conceptflow');
  const codePath = join(cacheDir, `${CACHE_PREFIX}${workflowSourceKey(root)}.js`);
  if (existsSync(codePath)) return { workflowBundle: { codePath } };
  try {
    await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts/workflow-bundle.mjs'), entry, codePath], {
      cwd: root,
      timeout: BUNDLE_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    options.onFallback?.(err instanceof Error ? err.message.split('\n')[0]! : String(err));
    return { workflowsPath: entry };
  }
  // Bundles of earlier sources are no longer wanted (once no starting worker can still be about to read one).
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (name.startsWith(CACHE_PREFIX) && path !== codePath && Date.now() - statSync(path).mtimeMs > STALE_BUNDLE_MS) rmSync(path, { force: true });
  }
  return { workflowBundle: { codePath } };
}
